"""Synthetic citizens and what they send: the one source of the demo's history (tools/local/demo.py),
the load test's traffic (bench/load/), the capacity model's applications (capacity/footprints.py)
and the tests' inputs (tests/factories.py).

Each thing comes two ways: fixed, for the tests (each test changes only what it is about), and
drawn from a `random.Random`, for the tools (seeded where a tool must repeat itself). Every
application is one the API accepts: national IDs carry the check digit of the domain's rule
(`expected_check_digit`), phones are Egyptian mobiles, and each service's form is answered
field by field from the catalogue.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.adapters.fawry import fawry_signature
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.domain.catalogue import FormField, Service
from chalicelib.domain.national_id import expected_check_digit

FULL_NAME = "منى أحمد عبد الله"
PHONE = "01012345678"
MALE_NAMES = ("محمد", "أحمد", "محمود", "مصطفى", "علي", "حسن", "عمر", "يوسف", "إبراهيم", "خالد")
FEMALE_NAMES = ("منى", "فاطمة", "سارة", "هبة", "مريم", "نورا", "ياسمين", "إيمان", "دينا", "رحاب")
FAMILY_NAMES = ("عبد الله", "السيد", "عبد الرحمن", "حسين", "إسماعيل", "الشافعي", "النجار", "عثمان",
                "سليمان", "فؤاد", "المصري", "عبد العزيز", "رمضان", "جاد", "منصور")  # fmt: skip
NAME_PARTS = (MALE_NAMES + FEMALE_NAMES, MALE_NAMES, FAMILY_NAMES)  # own name, father's, family's
# Where the applicants were born: Giza (21) most, then Cairo, the Delta, Upper Egypt, abroad (88).
GOVERNORATES = ("21", "21", "21", "01", "12", "13", "14", "22", "24", "88")
MOBILE_PREFIXES = ("010", "011", "012", "015")
STREETS = ("شارع التحرير", "شارع الهرم", "شارع السودان", "شارع النيل", "شارع مراد")
SHOP_KINDS = ("بقالة", "صيدلية", "مخبز", "مقهى", "ورشة", "مكتبة")


# --- the applicant


def national_id(birth: str = "900101", governorate: str = "21", serial: str = "1234", century: str = "2") -> str:
    """A well-formed national ID (birth as YYMMDD) whose check digit follows the common (unconfirmed) rule."""
    first13 = f"{century}{birth}{governorate}{serial}"
    return first13 + expected_check_digit(first13)


def drawn_national_id(rng: random.Random) -> str:
    """Someone born between 1950 and 2004, in one of GOVERNORATES."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55))
    century = "2" if born.year < 2000 else "3"
    return national_id(f"{born:%y%m%d}", rng.choice(GOVERNORATES), f"{rng.randrange(10000):04d}", century)


def drawn_full_name(rng: random.Random) -> str:
    return " ".join(rng.choice(part) for part in NAME_PARTS)


def drawn_phone(rng: random.Random) -> str:
    return f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def applicant() -> dict[str, str]:
    """The tests' one applicant."""
    return {"full_name": FULL_NAME, "national_id": national_id(), "phone": PHONE}


def drawn_applicant(rng: random.Random) -> dict[str, str]:
    return {"full_name": drawn_full_name(rng), "national_id": drawn_national_id(rng), "phone": drawn_phone(rng)}


# --- the service's form


def _fixed_value(form_field: FormField) -> Any:
    if form_field.type == "number":
        return int(form_field.minimum or 1) + 1 if form_field.maximum is None else int(form_field.maximum)
    if form_field.type == "date":
        return "2020-01-15"
    if form_field.type == "choice":
        return form_field.options[0].value
    if form_field.format == "reference_number":
        return "123 لسنة 2024"
    return "شارع التحرير، الدقي"


def _drawn_value(form_field: FormField, rng: random.Random) -> Any:
    if form_field.type == "number":
        low = int(form_field.minimum or 1)
        high = int(form_field.maximum) if form_field.maximum is not None else low + 500
        return rng.randint(low, min(high, low + 400))
    if form_field.type == "date":
        return (date(2010, 1, 1) + timedelta(days=rng.randrange(5000))).isoformat()
    if form_field.type == "choice":
        return rng.choice(form_field.options).value
    if "number" in form_field.name:
        text = str(rng.randrange(10**5, 10**7))
    elif "name" in form_field.name:
        text = f"م. {rng.choice(MALE_NAMES)} {rng.choice(FAMILY_NAMES)}"
    elif "address" in form_field.name:
        text = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
    else:
        text = rng.choice(SHOP_KINDS)
    return text[: form_field.max_length] if form_field.max_length else text


def details(service: Service) -> dict[str, Any]:
    """The service's form answered the same way every time, within each field's limits."""
    return {form_field.name: _fixed_value(form_field) for form_field in service.fields}


def drawn_details(service: Service, rng: random.Random) -> dict[str, Any]:
    """The service's form answered as a citizen might: each field drawn within its limits."""
    return {form_field.name: _drawn_value(form_field, rng) for form_field in service.fields}


# --- the application, its documents, its payment


def submission(service: Service, district_code: str) -> dict[str, Any]:
    """The tests' valid submission body for `service` in `district_code`."""
    return {
        "service_code": service.code,
        "district_code": district_code,
        "applicant": applicant(),
        "details": details(service),
        "consent": True,
    }


def drawn_application(service: Service, district_code: str, rng: random.Random) -> tuple[dict[str, Any], str]:
    """A valid submission body drawn for `service` in `district_code`, and its national ID's last four."""
    body = {
        "service_code": service.code,
        "district_code": district_code,
        "applicant": drawn_applicant(rng),
        "details": drawn_details(service, rng),
        "consent": True,
    }
    return body, body["applicant"]["national_id"][-4:]


def paper_documents(service: Service, version: int) -> dict[str, Any]:
    """What a window records when the citizen hands in every document the service lists (the body of
    POST /v1/office/requests/{tracking_number}/documents/received): a request is approved only with them."""
    return {"documents": [document.code for document in service.documents], "version": version}


def fawry_paid_notice(
    reference: str,
    amount_egp: float,
    fawry_ref: str,
    *,
    paid_at: datetime | None = None,
    secure_key: str = LOCAL_DEFAULTS["FAWRY_SECURE_KEY"],
) -> dict[str, Any]:
    """Fawry's V2 notice that `reference` was paid at a kiosk, signed as Fawry signs it (by default
    with the local stage's secure key). `fawry_ref` is Fawry's own number for the payment, digits."""
    notice: dict[str, Any] = {
        "requestId": secrets.token_hex(16),
        "fawryRefNumber": fawry_ref,
        "merchantRefNumber": reference,
        "paymentAmount": float(amount_egp),
        "orderAmount": float(amount_egp),
        "fawryFees": 0.0,
        "orderStatus": "PAID",
        "paymentMethod": "PAYATFAWRY",
        "paymentRefrenceNumber": f"FWR-{fawry_ref}",
        "paymentTime": int((paid_at or datetime.now(UTC)).timestamp() * 1000),
    }
    notice["messageSignature"] = fawry_signature(notice, secure_key)
    return notice
