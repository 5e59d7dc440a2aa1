"""One-window intake: a clerk files a request on a citizen's behalf, face to face.

Any window serves the whole governorate: a clerk or manager of any active district files for
any active district. The request belongs to the district it names (it lands in that
district's queues); its first history entry and the receipt name the office that filed it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.application import Submission
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import District, Document, Service
from chalicelib.domain.errors import FieldProblem, Forbidden, invalid_fields
from chalicelib.domain.names import normalise_full_name
from chalicelib.domain.office import read_documents_received
from chalicelib.domain.staff import Action, StaffMember
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.document_paper import record_received_at_window
from chalicelib.services.submission import Filing, submit_request

WINDOW_CHANNEL = "window"


@dataclass(frozen=True)
class Intake:
    """The submission's answer, and what the printed receipt needs besides it."""

    answer: Submission
    service: Service
    district: District  # where the request will be processed
    office: District  # whose window filed it
    documents_received: tuple[Document, ...]
    full_name: str


def file_at_window(staff: StaffMember, body: Mapping[str, Any], idempotency_key: str | None, now: datetime) -> Intake:
    """The same validation as the citizen's own submission, recorded as the window's, by whom."""
    catalogue = current_catalogue()
    office = catalogue.district(staff.district_code) if staff.district_code else None
    if not staff.may(Action.INTAKE) or office is None or not office.active:
        raise Forbidden
    service_code = body.get("service_code")
    service = catalogue.service(service_code, on=cairo_today(now)) if isinstance(service_code, str) else None
    documents = read_documents_received(body.get("documents_received"), service.documents if service else ())
    filing = Filing(
        channel=WINDOW_CHANNEL,
        actor_role=staff.role.value,
        actor=staff.principal,
        documents_received=tuple(document.name_ar for document in documents),
        office=office.code,
        receipt_by_message=_receipt_by_message(body.get("receipt_by_message", False)),
    )
    answer = submit_request(body, idempotency_key, filing, now)
    district = catalogue.district(str(body.get("district_code")))
    if service is None or district is None:
        raise RuntimeError("submit_request accepted a request without a known service and district")
    # After the request exists, and again on a replay: recording paper twice records it once.
    record_received_at_window(answer.tracking_number, documents, staff, now)
    return Intake(
        answer=answer,
        service=service,
        district=district,
        office=office,
        documents_received=documents,
        full_name=normalise_full_name(body["applicant"]["full_name"]),
    )


def _receipt_by_message(raw: object) -> bool:
    """Whether the citizen at the window asked for "received" by message as well as on paper."""
    if not isinstance(raw, bool):
        raise invalid_fields({"receipt_by_message": FieldProblem(
            "اختر إن كان المواطن يريد رسالة بالاستلام أيضًا.", "receipt_by_message is true or false."
        )})  # fmt: skip
    return raw
