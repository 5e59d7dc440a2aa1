"""Valid inputs to build on: each test changes only what it is about."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chalicelib.domain.catalogue import FormField, load_catalogue
from chalicelib.domain.national_id import expected_check_digit

CATALOGUE_DAY = date(2026, 11, 27)


def national_id(birth: str = "900101", governorate: str = "21", serial: str = "1234", century: str = "2") -> str:
    """A well-formed national ID whose check digit follows the common (unconfirmed) rule."""
    first13 = f"{century}{birth}{governorate}{serial}"
    return first13 + expected_check_digit(first13)


def _valid_value(form_field: FormField) -> Any:
    if form_field.type == "number":
        return int(form_field.minimum or 1) + 1 if form_field.maximum is None else int(form_field.maximum)
    if form_field.type == "date":
        return "2020-01-15"
    if form_field.type == "choice":
        return form_field.options[0].value
    return "شارع التحرير، الدقي"


def details_for(service_code: str) -> dict[str, Any]:
    service = load_catalogue(rollout_phase=1).service(service_code, on=CATALOGUE_DAY)
    assert service is not None, service_code
    return {form_field.name: _valid_value(form_field) for form_field in service.fields}


def paid_service_code() -> str:
    return next(s.code for s in load_catalogue(1).services(on=CATALOGUE_DAY) if s.fee_egp > 0)


def free_service_code() -> str:
    return next(s.code for s in load_catalogue(1).services(on=CATALOGUE_DAY) if s.fee_egp == 0)


def submission(service_code: str | None = None, district_code: str = "dokki", **overrides: Any) -> dict[str, Any]:
    code = service_code or paid_service_code()
    body: dict[str, Any] = {
        "service_code": code,
        "district_code": district_code,
        "applicant": {"full_name": "منى أحمد عبد الله", "national_id": national_id(), "phone": "01012345678"},
        "details": details_for(code),
        "consent": True,
    }
    body.update(overrides)
    return body


def hand_in_paper(tracking_number: str, now: datetime) -> None:
    """Every document the request's service lists, handed in at its district's window: a
    request is approved only with its documents (services/office.py)."""
    from chalicelib.domain.staff import Role, StaffMember
    from chalicelib.services.catalogue import current_catalogue
    from chalicelib.services.office_documents import record_paper
    from chalicelib.store.requests.request import load_request_record

    request = load_request_record(tracking_number)
    assert request is not None
    service = current_catalogue().service(request.service_code, on=request.submitted_at.date())
    assert service is not None
    manager = StaffMember("manager-paper", Role.MANAGER, request.district_code)
    body = {"documents": [document.code for document in service.documents], "version": int(request.version)}
    record_paper(manager, tracking_number, body, now)
