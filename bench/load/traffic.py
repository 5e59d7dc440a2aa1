"""What the load test sends: valid applications, signed Fawry notices, staff tokens.

Shared by the runner (which seeds the stack before the run) and the locustfile (which makes
the run's traffic), so that both send exactly what a citizen, a gateway or an office would.
"""

from __future__ import annotations

import random
import secrets
from datetime import UTC, datetime
from typing import Any

from chalicelib.adapters.fawry import fawry_signature
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import FormField, Service
from chalicelib.domain.national_id import expected_check_digit
from chalicelib.domain.staff import Role
from chalicelib.services.catalogue import current_catalogue
from tools.local.staff_token import local_signing_key, mint_token

MOBILE_PREFIXES = ("010", "011", "012", "015")


def active_districts() -> list[str]:
    return [district.code for district in current_catalogue().districts() if district.active]


def offered_services(district_code: str) -> list[Service]:
    return current_catalogue().services(on=cairo_today(datetime.now(UTC)), district_code=district_code)


def random_national_id(rng: random.Random) -> str:
    birth = f"{rng.randint(60, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    first13 = f"2{birth}21{rng.randint(0, 9999):04d}"
    # The API accepts a check digit that does not match, but a well-formed number keeps the
    # load test's requests like a citizen's.
    return first13 + expected_check_digit(first13)


def _answer_for(form_field: FormField, rng: random.Random) -> Any:
    if form_field.type == "number":
        low = int(form_field.minimum or 1)
        high = int(form_field.maximum) if form_field.maximum is not None else low + 500
        return rng.randint(low, min(high, low + 500))
    if form_field.type == "date":
        return f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
    if form_field.type == "choice":
        return rng.choice(form_field.options).value
    text = rng.choice(("١٢ شارع التحرير، الدقي", "٤ شارع الهرم", "٣٠ شارع النيل، الوراق"))
    return text[: form_field.max_length] if form_field.max_length else text


def application(district_code: str, service: Service, rng: random.Random) -> tuple[dict[str, Any], str]:
    """A valid submission body for `service` in `district_code`, and its national ID's last four."""
    national_id = random_national_id(rng)
    body = {
        "service_code": service.code,
        "district_code": district_code,
        "applicant": {
            "full_name": rng.choice(("منى أحمد عبد الله", "محمد علي حسن", "سارة محمود إبراهيم")),
            "national_id": national_id,
            "phone": f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}",
        },
        "details": {form_field.name: _answer_for(form_field, rng) for form_field in service.fields},
        "consent": True,
    }
    return body, national_id[-4:]


def idempotency_key() -> str:
    return f"load-{secrets.token_hex(12)}"


def fawry_paid_notice(reference: str, amount_egp: float, fawry_ref: str) -> dict[str, Any]:
    """Fawry's V2 notice that `reference` was paid, signed with the local stage's secure key."""
    notice: dict[str, Any] = {
        "requestId": secrets.token_hex(16),
        "fawryRefNumber": fawry_ref,
        "merchantRefNumber": reference,
        "paymentAmount": amount_egp,
        "orderAmount": amount_egp,
        "fawryFees": 0.0,
        "orderStatus": "PAID",
        "paymentMethod": "PAYATFAWRY",
        "paymentRefrenceNumber": f"FWR-{fawry_ref}",
        "paymentTime": int(datetime.now(UTC).timestamp() * 1000),
    }
    notice["messageSignature"] = fawry_signature(notice, LOCAL_DEFAULTS["FAWRY_SECURE_KEY"])
    return notice


def officer_token(district_code: str) -> str:
    """What `make token ROLE=officer DISTRICT=<code>` prints."""
    return mint_token(local_signing_key(), Role.OFFICER, district_code)
