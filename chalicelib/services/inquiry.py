"""A citizen asks where their request stands."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.services.limits import proven


def inquire(body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The request's public state (docs/interfaces.md#inquiry), read from its proof, which is kept with the
    request as its citizen may see it (store/requests/proof.py); NotFound alike for an unknown number
    and wrong digits, and TooManyRequests alike for both after too many failed attempts."""
    inquiry = read_inquiry(body)
    shown = proven(inquiry, now).citizen_view()  # domain/inquiry.py's citizen_view and citizen_entry
    return {
        "tracking_number": inquiry.tracking_number,
        **shown,
        "status_ar": STATUS_NAMES_AR[Status(shown["status"])],
    }
