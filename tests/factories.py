"""Valid inputs to build on: each test changes only what it is about (tools/testing/synthetic.py makes them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chalicelib.domain.catalogue import Service, load_catalogue
from tools.testing import synthetic
from tools.testing.synthetic import national_id

__all__ = [
    "CATALOGUE_DAY",
    "details_for",
    "free_service_code",
    "hand_in_paper",
    "national_id",
    "paid_service_code",
    "submission",
]

CATALOGUE_DAY = date(2026, 11, 27)


def _service(service_code: str) -> Service:
    service = load_catalogue(rollout_phase=1).service(service_code, on=CATALOGUE_DAY)
    assert service is not None, service_code
    return service


def details_for(service_code: str) -> dict[str, Any]:
    return synthetic.details(_service(service_code))


def paid_service_code() -> str:
    return next(s.code for s in load_catalogue(1).services(on=CATALOGUE_DAY) if s.fee_egp > 0)


def free_service_code() -> str:
    return next(s.code for s in load_catalogue(1).services(on=CATALOGUE_DAY) if s.fee_egp == 0)


def submission(service_code: str | None = None, district_code: str = "dokki", **overrides: Any) -> dict[str, Any]:
    body = synthetic.submission(_service(service_code or paid_service_code()), district_code)
    body.update(overrides)
    return body


def hand_in_paper(tracking_number: str, now: datetime) -> int:
    """Every document the request's service lists, handed in at its district's window: a
    request is approved only with its documents (services/office_moves.py). Recording them is a
    change of its own: the request's version after it."""
    from chalicelib.domain.staff import Role, StaffMember
    from chalicelib.services.catalogue import current_catalogue
    from chalicelib.services.office_documents import record_paper
    from chalicelib.store.requests.request import load_request_record

    request = load_request_record(tracking_number)
    assert request is not None
    service = current_catalogue().service(request.service_code, on=request.submitted_at.date())
    assert service is not None
    manager = StaffMember("manager-paper", Role.MANAGER, request.district_code)
    paper = synthetic.paper_documents(service, int(request.version))
    return int(record_paper(manager, tracking_number, paper, now).request.version)
