"""A citizen asks where their request stands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.errors import NotFound
from chalicelib.domain.inquiry import inquiry_matches, read_inquiry
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.store.models import HistoryEntry
from chalicelib.store.requests import load_request


def inquire(body: Mapping[str, Any]) -> dict[str, Any]:
    """The request's public state (CONTRACT.md); NotFound alike for an unknown number and wrong digits."""
    inquiry = read_inquiry(body)
    stored = load_request(inquiry.tracking_number)
    if stored is None or not inquiry_matches(inquiry, stored.request.inquiry_check):
        raise NotFound()
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
