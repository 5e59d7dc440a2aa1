"""How Open311 GeoReport v2 shows services and requests (docs/interfaces.md#open311): the payloads
api/routes/open311.py answers in JSON, or in XML through open311_xml.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from chalicelib.domain.open311 import (
    CONSENT_GIVEN,
    DATATYPES,
    OfferedService,
    PublicRequest,
    ServiceToFile,
    open311_status,
)
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status

if TYPE_CHECKING:  # types only: the catalogue is a cold start's cost (domain/open311.py)
    from chalicelib.domain.application import Submission
    from chalicelib.domain.catalogue import FormField


def service_entry(offered: OfferedService) -> dict[str, Any]:
    service = offered.service
    return {
        "service_code": service.code,
        "service_name": service.name_ar,
        "description": f"{service.name_en}. {service.legal_basis_en}",
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join([service.name_en, service.group, service.department]),
        "group": offered.group_name_ar,
    }


def service_definition(to_file: ServiceToFile) -> dict[str, Any]:
    """The service's questions as Open311 attributes: where and who first, then its own fields."""
    service = to_file.service
    attributes = [
        _attribute(
            "district_code",
            "singlevaluelist",
            True,
            "الحي أو المركز الذي يُقدم إليه الطلب — The district the request is filed with",
            values=[(district.code, f"{district.name_ar} — {district.name_en}") for district in to_file.districts],
        ),
        _attribute(
            "national_id",
            "string",
            True,
            "الرقم القومي لمقدم الطلب — The applicant's national ID",
            datatype_description="14 digits; Arabic-Indic digits accepted",
        ),
        _attribute(
            "consent",
            "singlevaluelist",
            True,
            "الموافقة على استخدام البيانات لغرض هذا الطلب — Consent to the use of the data for this request",
            values=[(CONSENT_GIVEN, "أوافق — I agree")],
        ),
        _attribute(
            "notify_by",
            "singlevaluelist",
            False,
            "طريقة الإبلاغ بتغير الحالة — How the applicant is told of changes (default sms)",
            values=[("sms", "رسالة نصية — SMS"), ("voice", "مكالمة صوتية — Voice call"), ("none", "بدون — None")],
        ),
    ]
    attributes += [_field_attribute(form_field) for form_field in service.fields]
    for order, attribute in enumerate(attributes, start=1):
        attribute["order"] = order
    return {"service_code": service.code, "attributes": attributes}


def _field_attribute(form_field: FormField) -> dict[str, Any]:
    description = f"{form_field.label_ar} — {form_field.label_en}"
    datatype_description = "YYYY-MM-DD" if form_field.type == "date" else None
    values = [(option.value, f"{option.label_ar} — {option.label_en}") for option in form_field.options]
    return _attribute(
        form_field.name,
        DATATYPES[form_field.type],
        form_field.required,
        description,
        datatype_description=datatype_description,
        values=values or None,
    )


def _attribute(
    code: str,
    datatype: str,
    required: bool,
    description: str,
    datatype_description: str | None = None,
    values: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "variable": True,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": datatype_description,
        "order": 0,
        "description": description,
    }
    if values is not None:
        attribute["values"] = [{"key": key, "name": name} for key, name in values]
    return attribute


def filed_requests(filed: Submission) -> list[dict[str, Any]]:
    """A filing's answer: Open311's list of the one request it filed."""
    return [{"service_request_id": filed.tracking_number, "service_notice": service_notice(filed), "account_id": None}]


def service_notice(filed: Submission) -> str:
    payment = filed.payment
    if payment is None:
        return "تم استلام الطلب. — The request was received."
    return (
        f"تم استلام الطلب. الرسوم {payment.amount_egp} جنيه، تُسدد في أي منفذ فوري بالرقم المرجعي "
        f"{payment.reference}. — The request was received. The fee of EGP {payment.amount_egp} "
        f"is paid at any Fawry outlet with the reference {payment.reference}."
    )


def public_view(request: PublicRequest) -> dict[str, Any]:
    status = Status(request.status)
    return {
        "service_request_id": request.tracking_number,
        "status": open311_status(request.status),
        "status_notes": f"{STATUS_NAMES_AR[status]} — {status.value.replace('_', ' ')}",
        "service_name": request.service_name,
        "service_code": request.service_code,
        "agency_responsible": request.agency_responsible,
        "service_notice": None,
        "requested_datetime": _w3c(request.submitted_at),
        "updated_datetime": _w3c(request.updated_at),
        "expected_datetime": _w3c(_end_of_day_in_cairo(date.fromisoformat(request.sla_due_date))),
    }


def _end_of_day_in_cairo(day: date) -> datetime:
    from zoneinfo import ZoneInfo  # on first use: its import is a cold start's cost

    return datetime.combine(day, time(23, 59, 59), ZoneInfo("Africa/Cairo"))


def _w3c(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
