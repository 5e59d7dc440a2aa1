"""A citizen asks where their request stands."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.services.limits import proven_request
from chalicelib.store.models import HistoryEntry


def inquire(body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The request's public state (CONTRACT.md); NotFound alike for an unknown number and wrong
    digits, and TooManyRequests alike for both after too many failed attempts."""
    stored = proven_request(read_inquiry(body), now)
    request = stored.request
    return {
        "tracking_number": request.tracking_number,
        "status": request.status,
        "status_ar": STATUS_NAMES_AR[Status(request.status)],
        "service_code": request.service_code,
        "district_code": request.district_code,
        "submitted_at": iso_utc(request.submitted_at),
        "sla_due_date": request.sla_due_date,
        "payment_status": None if request.payment is None else request.payment.status,
        # Only the changes of status and what the citizen was told: who made them and the
        # office's notes stay in the office.
        "history": [_citizen_entry(entry) for entry in stored.history if entry.event == HistoryEntry.STATUS_CHANGE],
    }


def _citizen_entry(entry: HistoryEntry) -> dict[str, str]:
    shown = {"status": entry.to_status, "at": iso_utc(entry.at)}
    if entry.citizen_message:
        shown["message_ar"] = entry.citizen_message
    return shown
