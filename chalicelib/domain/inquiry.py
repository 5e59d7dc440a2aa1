"""A citizen's question "where is my request?": what they must give, and how it is checked."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import from_iso_utc, iso_utc
from chalicelib.domain.digits import digits_only
from chalicelib.domain.errors import FieldProblem, invalid_fields
from chalicelib.domain.tracking import is_valid_tracking_number

_FOUR_DIGITS = re.compile(r"[0-9]{4}")


@dataclass(frozen=True)
class Inquiry:
    """A citizen's question about a request: its number, and the national ID's last four digits as proof."""

    tracking_number: str
    national_id_last4: str

    def __repr__(self) -> str:
        return f"Inquiry({self.tracking_number}, <redacted>)"


@dataclass(frozen=True)
class StandingChange:
    """A change of status as the citizen's inquiry shows it (citizen_entry)."""

    status: str
    at: datetime
    message_ar: str | None = None  # what the citizen was told, when they were told something


@dataclass(frozen=True)
class RequestStanding:
    """Where a request stands, as its citizen's inquiry shows it (docs/interfaces.md#inquiry)."""

    tracking_number: str
    status: str
    service_code: str
    district_code: str
    submitted_at: datetime
    sla_due_date: str  # YYYY-MM-DD
    payment_status: str | None  # None when there is no fee, else unpaid, paid or refunded
    history: tuple[StandingChange, ...]

    @classmethod
    def from_view(cls, tracking_number: str, shown: Mapping[str, Any]) -> RequestStanding:
        """Read back from what citizen_view and citizen_entry wrote, kept with the request's proof."""
        return cls(
            tracking_number=tracking_number,
            status=shown["status"],
            service_code=shown["service_code"],
            district_code=shown["district_code"],
            submitted_at=from_iso_utc(shown["submitted_at"]),
            sla_due_date=shown["sla_due_date"],
            payment_status=shown["payment_status"],
            history=tuple(
                StandingChange(entry["status"], from_iso_utc(entry["at"]), entry.get("message_ar"))
                for entry in shown["history"]
            ),
        )


def read_inquiry(body: Mapping[str, Any]) -> Inquiry:
    problems: dict[str, FieldProblem] = {}
    tracking_number = digits_only(_text(body.get("tracking_number")))
    if not is_valid_tracking_number(tracking_number):
        problems["tracking_number"] = FieldProblem(
            "رقم المتابعة غير صحيح، راجع أرقامه كما وردت في رسالة التأكيد.",
            "The tracking number is not valid; check its digits against your confirmation.",
        )
    last4 = digits_only(_text(body.get("national_id_last4")))
    if not _FOUR_DIGITS.fullmatch(last4):
        problems["national_id_last4"] = FieldProblem(
            "اكتب آخر أربعة أرقام من الرقم القومي لمقدم الطلب.",
            "Enter the last four digits of the applicant's national ID.",
        )
    if problems:
        raise invalid_fields(problems)
    return Inquiry(tracking_number=tracking_number, national_id_last4=last4)


def inquiry_check(tracking_number: str, national_id_last4: str, key: str) -> str:
    """What a request keeps in place of the digits an inquiry must match: an HMAC under a
    secret key, since four digits are only 10,000 guesses away from any unkeyed digest, and a
    copy of the table must not give them away."""
    return keyed_digest(key, "inquiry", f"{tracking_number}:{national_id_last4}")


def citizen_view(
    status: str,
    service_code: str,
    district_code: str,
    submitted_at: datetime,
    sla_due_date: str,
    payment_status: str | None,
) -> dict[str, Any]:
    """A request as its citizen's inquiry shows it (docs/interfaces.md#inquiry), but for its number, which the
    citizen gave, the status's Arabic name, read when asked (names may be reworded), and the
    history (citizen_entry)."""
    return {
        "status": status,
        "service_code": service_code,
        "district_code": district_code,
        "submitted_at": iso_utc(submitted_at),
        "sla_due_date": sla_due_date,
        "payment_status": payment_status,  # None when there is no fee, else unpaid, paid or refunded
    }


def citizen_entry(status: str, at: datetime, message_ar: str | None) -> dict[str, str]:
    """A change of status as the citizen's inquiry shows it: who made it and the office's notes
    stay in the office; what the citizen was told is shown."""
    shown = {"status": status, "at": iso_utc(at)}
    if message_ar:
        shown["message_ar"] = message_ar
    return shown


def keyed_digest(key: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 of `value` for one `purpose` (so that digests made for one use never match another's)."""
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _text(value: Any) -> str:
    """Digits may arrive as a JSON string or number; anything else reads as nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""
