"""One-window intake: a clerk files a request on a citizen's behalf, face to face."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import District, Service
from chalicelib.domain.errors import Forbidden
from chalicelib.domain.names import normalise_full_name
from chalicelib.domain.office import read_documents_received
from chalicelib.domain.staff import Action, StaffMember
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.submission import Filing, submit_request

WINDOW_CHANNEL = "window"


@dataclass(frozen=True)
class Intake:
    """The submission's answer, and what the printed receipt needs besides it."""

    answer: dict[str, Any]
    service: Service
    district: District
    documents_received: tuple[str, ...]
    full_name: str


def file_at_window(staff: StaffMember, body: Mapping[str, Any], idempotency_key: str | None, now: datetime) -> Intake:
    """The same validation as the citizen's own submission, recorded as the window's, by whom."""
    if not staff.may(Action.INTAKE) or body.get("district_code") != staff.district_code:
        raise Forbidden
    catalogue = current_catalogue()
    service_code = body.get("service_code")
    service = catalogue.service(service_code, on=cairo_today(now)) if isinstance(service_code, str) else None
    documents = read_documents_received(body.get("documents_received"), service.documents if service else ())
    district = catalogue.district(staff.district_code)
    filing = Filing(
        channel=WINDOW_CHANNEL, actor_role=staff.role.value, actor=staff.principal, documents_received=documents
    )
    answer = submit_request(body, idempotency_key, filing, now)
    if service is None or district is None:
        raise RuntimeError("submit_request accepted a request without a known service and district")
    return Intake(
        answer=answer,
        service=service,
        district=district,
        documents_received=documents,
        full_name=normalise_full_name(body["applicant"]["full_name"]),
    )
