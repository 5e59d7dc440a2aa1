"""A citizen asks where their request stands."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.services.limits import proven


def inquire(body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The request's public state (CONTRACT.md), read from its proof, which is kept with the
    request as its citizen may see it (store/proofs.py); NotFound alike for an unknown number
    and wrong digits, and TooManyRequests alike for both after too many failed attempts."""
    inquiry = read_inquiry(body)
    proof = proven(inquiry, now)
    return {
        "tracking_number": inquiry.tracking_number,
        "status": proof.status,
        "status_ar": STATUS_NAMES_AR[Status(proof.status)],
        "service_code": proof.service_code,
        "district_code": proof.district_code,
        "submitted_at": iso_utc(proof.submitted_at),
        "sla_due_date": proof.sla_due_date,
        "payment_status": proof.payment_status,
        "history": proof.citizen_history(),  # domain/inquiry.py's citizen_entry, for each change of status
    }
