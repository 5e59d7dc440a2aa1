"""Reading a citizen's application: every field checked, every problem reported at once."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.catalogue import Catalogue, District, FormField, Service
from chalicelib.domain.digits import clean_text, to_ascii_digits
from chalicelib.domain.errors import FieldProblem, InvalidInput, invalid_fields
from chalicelib.domain.names import normalise_full_name
from chalicelib.domain.national_id import NationalId, parse_national_id
from chalicelib.domain.phone import normalise_mobile

DetailValue = str | int | float

DEFAULT_TEXT_LENGTH = {"text": 200, "textarea": 2000}
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
# A decision's, a licence's or a registration's number: digit groups joined by "/", "-" or «لسنة».
_REFERENCE_NUMBER = re.compile(r"[0-9]+(?: *(?:/|-| لسنة | لسنه ) *[0-9]+)*")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))
# The only way a date is written (what <input type="date"> sends), the same rule as the portal's script.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LONGEST_NUMBER = 15
# Beyond any area, count or amount a form asks for, and within what DynamoDB can store.
_LARGEST_NUMBER = 10**12
_ARABIC_DECIMAL_SEPARATOR = "\u066b"

_REQUIRED = FieldProblem("هذا الحقل مطلوب.", "This field is required.")  # a hidden field: no label to name
_NOT_TEXT = FieldProblem("اكتب هذا الحقل نصًا.", "This field must be text.")
_UNKNOWN_DISTRICT = FieldProblem("اختر حيًا أو مركزًا من القائمة.", "Choose a district from the list.")
_UNKNOWN_SERVICE = FieldProblem("اختر خدمة من القائمة.", "Choose a service from the list.")


# The applicant's questions, by the names the API reads (the portal's labels are these words).
APPLICANT_LABELS_AR = {"full_name": "الاسم الكامل", "national_id": "الرقم القومي", "phone": "رقم الهاتف المحمول"}


def required_problem(label_ar: str, kind: str) -> FieldProblem:
    """A required answer left empty, naming the question as the summary at the top lists it
    ("أدخل الاسم الكامل"): the same words on the server's page and from the portal's script,
    which reads them from the form (portal/fields.py)."""
    verb = "اختر" if kind == "choice" else "أدخل"
    return FieldProblem(f"{verb} {label_ar}", "This field is required.")


def detail_problem(form_field: FormField, problem: str, english: str) -> FieldProblem:
    """What is wrong with one of the service's answers, after the question's name."""
    return FieldProblem(f"{form_field.label_ar}: {problem}", english)


@dataclass(frozen=True)
class Applicant:
    """Who asks: kept out of every log line and every repr."""

    full_name: str
    national_id: NationalId
    phone: str

    def __repr__(self) -> str:
        return "Applicant(<redacted>)"


NOTIFY_BY = ("sms", "voice", "whatsapp", "none")


@dataclass(frozen=True)
class FeeInvoice:
    """The invoice a fee-bearing request is filed with: what to pay, under which reference, by when."""

    reference: str  # the Fawry reference (the invoice's merchant reference)
    amount_egp: int
    status: str  # unpaid, paid or refunded
    expires_at: datetime


@dataclass(frozen=True)
class Submission:
    """A request just filed (docs/interfaces.md#submission): the same for its first attempt and every retry."""

    tracking_number: str
    status: str
    submitted_at: datetime
    fee_egp: int
    sla_due_date: str  # YYYY-MM-DD
    payment: FeeInvoice | None  # None when the service has no fee


def submission_answer(filed: Submission) -> dict[str, Any]:
    """What a submission answers (docs/interfaces.md#submission), for its first attempt and every retry.

    The one mapping of a Submission, kept here because two rooms need it and may reach only the
    domain: the API answers it (api/routes/citizen.py, office.py, portal_pages.py), and the idempotency table keeps that
    same answer for a retry (store/idempotency.py, which reads it back into a Submission). Were it the
    API's, the store could not import it; were it the store's, the API's answer would be defined by a
    table. Either copy drifting from the other would break "a retry gets the same answer"."""
    payment = filed.payment
    return {
        "tracking_number": filed.tracking_number,
        "status": filed.status,
        "submitted_at": iso_utc(filed.submitted_at),
        "fee_egp": filed.fee_egp,
        "sla_due_date": filed.sla_due_date,
        "payment": None
        if payment is None
        else {
            "reference": payment.reference,
            "amount_egp": payment.amount_egp,
            "status": payment.status,
            "expires_at": iso_utc(payment.expires_at),
        },
    }


@dataclass(frozen=True)
class NotificationChoice:
    """How a request's applicant chose to be told of it from now on: one of NOTIFY_BY."""

    tracking_number: str
    notify_by: str


@dataclass(frozen=True)
class Application:
    """A citizen's application once read and checked against the service it asks for."""

    service: Service
    district: District
    applicant: Applicant
    details: dict[str, DetailValue]
    notify_by: str = "sms"


def read_application(body: Mapping[str, Any], catalogue: Catalogue, today: date) -> Application:
    """The application in `body`, or InvalidInput naming each field that is wrong."""
    problems: dict[str, FieldProblem] = {}
    district = _read_district(body.get("district_code"), catalogue, problems)
    service = _read_service(body.get("service_code"), catalogue, today, problems)
    if service is not None and district is not None and not service.offered_in(district.code):
        problems["service_code"] = FieldProblem(
            "هذه الخدمة لا تقدم في الوحدة المحلية المختارة.",
            "This service is not offered in the chosen district.",
        )
    applicant = _read_applicant(body.get("applicant"), today, problems)
    details = _read_details(body.get("details", {}), service, problems) if service is not None else {}
    notify_by = body.get("notify_by", "sms")
    if notify_by not in NOTIFY_BY:
        problems["notify_by"] = FieldProblem(
            "اختر طريقة إبلاغك: رسالة نصية أو واتساب أو مكالمة صوتية أو بدون.",
            "Choose how to be told: sms, whatsapp, voice or none.",
        )
    if body.get("consent") is not True:
        problems["consent"] = FieldProblem(
            "يلزم موافقتك على استخدام بياناتك لغرض هذا الطلب.",
            "Your consent to the use of your data for this request is required.",
        )
    if problems or district is None or service is None or applicant is None:
        raise invalid_fields(problems)
    if not district.active:
        raise InvalidInput(
            code="district_not_active",
            message_ar=f"لم تبدأ الخدمات الإلكترونية في {district.name_ar} بعد، يرجى التوجه إلى مركز الخدمات.",
            message_en=f"Online services have not started in {district.name_en} yet; please visit the service centre.",
            fields={"district_code": f"لم تبدأ الخدمات الإلكترونية في {district.name_ar} بعد."},
        )
    return Application(service=service, district=district, applicant=applicant, details=details, notify_by=notify_by)


def _read_district(raw: Any, catalogue: Catalogue, problems: dict[str, FieldProblem]) -> District | None:
    district = catalogue.district(raw) if isinstance(raw, str) else None
    if district is None:
        problems["district_code"] = _REQUIRED if raw in (None, "") else _UNKNOWN_DISTRICT
    return district


def _read_service(raw: Any, catalogue: Catalogue, today: date, problems: dict[str, FieldProblem]) -> Service | None:
    service = catalogue.service(raw, on=today) if isinstance(raw, str) else None
    if service is None:
        problems["service_code"] = _REQUIRED if raw in (None, "") else _UNKNOWN_SERVICE
    return service


def _read_applicant(raw: Any, today: date, problems: dict[str, FieldProblem]) -> Applicant | None:
    if not isinstance(raw, Mapping):
        problems["applicant"] = FieldProblem("بيانات مقدم الطلب مطلوبة.", "The applicant's details are required.")
        return None
    readers: dict[str, Callable[[str], Any]] = {
        "full_name": normalise_full_name,
        "national_id": lambda text: parse_national_id(text, today),
        "phone": normalise_mobile,
    }
    values: dict[str, Any] = {}
    for name, read in readers.items():
        text = raw.get(name)
        try:
            if text is None or (isinstance(text, str) and not text.strip()):
                raise required_problem(APPLICANT_LABELS_AR[name], name)
            if not isinstance(text, str):
                raise _NOT_TEXT
            values[name] = read(text)
        except FieldProblem as problem:
            problems[f"applicant.{name}"] = problem
    if len(values) < len(readers):
        return None
    return Applicant(**values)


def _read_details(raw: Any, service: Service, problems: dict[str, FieldProblem]) -> dict[str, DetailValue]:
    if not isinstance(raw, Mapping):
        problems["details"] = FieldProblem("تفاصيل الطلب غير صحيحة.", "The request details are malformed.")
        return {}
    known = {form_field.name: form_field for form_field in service.fields}
    for name in raw.keys() - known.keys():
        problems[f"details.{name}"[:80]] = FieldProblem(
            "هذا الحقل ليس من حقول هذه الخدمة.", "This field does not belong to this service."
        )
    details: dict[str, DetailValue] = {}
    for name, form_field in known.items():
        try:
            value = _read_detail(raw.get(name), form_field)
        except FieldProblem as problem:
            problems[f"details.{name}"] = problem
            continue
        if value is not None:
            details[name] = value
        elif form_field.required:
            problems[f"details.{name}"] = required_problem(form_field.label_ar, form_field.type)
    return details


def _read_detail(value: Any, form_field: FormField) -> DetailValue | None:
    """The field's value, or None when nothing was given (text that is only spaces or
    invisible marks counts as nothing)."""
    if value is None or (isinstance(value, str) and not clean_text(value)):
        return None
    if form_field.type in DEFAULT_TEXT_LENGTH:
        return _read_text(value, form_field)
    if form_field.type == "number":
        return _read_number(value, form_field)
    if form_field.type == "date":
        return _read_date(value, form_field)
    if form_field.type == "choice":
        return _read_choice(value, form_field)
    raise ValueError(f"unknown field type {form_field.type!r}")


def _read_text(value: Any, form_field: FormField) -> str:
    if not isinstance(value, str):
        raise _NOT_TEXT
    text = clean_text(value)
    limit = form_field.max_length or DEFAULT_TEXT_LENGTH[form_field.type]
    if len(text) > limit:
        raise detail_problem(form_field, f"النص أطول من {limit} حرفًا.", f"The text is longer than {limit} characters.")
    if form_field.format == "reference_number" and not _REFERENCE_NUMBER.fullmatch(text.translate(_DASHES)):
        raise detail_problem(
            form_field,
            "اكتب الرقم بالأرقام، مثل 123 لسنة 2024 أو 123/2024.",
            "Write the number in digits, as in 123/2024.",
        )
    return text


def _read_number(value: Any, form_field: FormField) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise detail_problem(form_field, "اكتب رقمًا.", "Enter a number.")
    if isinstance(value, str):
        text = to_ascii_digits(value).strip().replace(_ARABIC_DECIMAL_SEPARATOR, ".").replace(",", "")
        if len(text) > _LONGEST_NUMBER or not _NUMBER.fullmatch(text):
            raise detail_problem(form_field, "اكتب رقمًا صحيحًا بالأرقام فقط.", "Enter a number, digits only.")
        value = float(text) if "." in text else int(text)
    # An int is compared as an int: float(10**400) would overflow before any comparison.
    if (isinstance(value, float) and not math.isfinite(value)) or abs(value) >= _LARGEST_NUMBER:
        raise detail_problem(form_field, "الرقم خارج الحدود المقبولة.", "The number is out of range.")
    if form_field.minimum is not None and value < form_field.minimum:
        least = f"{form_field.minimum:g}"
        raise detail_problem(form_field, f"يجب ألا يقل الرقم عن {least}.", f"The number must be at least {least}.")
    if form_field.maximum is not None and value > form_field.maximum:
        most = f"{form_field.maximum:g}"
        raise detail_problem(form_field, f"يجب ألا يزيد الرقم على {most}.", f"The number must be at most {most}.")
    return value


def _read_date(value: Any, form_field: FormField) -> str:
    problem = detail_problem(form_field, "اكتب التاريخ بالصيغة سنة-شهر-يوم.", "Enter the date as year-month-day.")
    if not isinstance(value, str):
        raise problem
    text = to_ascii_digits(value).strip()
    if not _DAY.fullmatch(text):
        raise problem
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise problem from None


def _read_choice(value: Any, form_field: FormField) -> str:
    allowed = {option.value for option in form_field.options}
    if not isinstance(value, str) or value not in allowed:
        raise detail_problem(form_field, "اختر إحدى الإجابات المعروضة.", "Choose one of the answers offered.")
    return value
