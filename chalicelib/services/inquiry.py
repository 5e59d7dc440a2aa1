"""A citizen asks where their request stands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.domain.inquiry import RequestStanding, read_inquiry
from chalicelib.domain.statuses import Status
from chalicelib.services.limits import proven
from chalicelib.store.requests.request import load_request_record


def inquire(body: Mapping[str, Any], now: datetime) -> RequestStanding:
    """The request's public state (docs/interfaces.md#inquiry), read from its proof, which is kept with the
    request as its citizen may see it (store/requests/proof.py); NotFound alike for an unknown number
    and wrong digits, and TooManyRequests alike for both after too many failed attempts."""
    inquiry = read_inquiry(body)
    shown = proven(inquiry, now).citizen_view()  # domain/inquiry.py's citizen_view and citizen_entry
    return RequestStanding.from_view(inquiry.tracking_number, shown)


@dataclass(frozen=True)
class FeeDue:
    """A fee still to pay, as the track page shows it: what to pay, where, and by when."""

    reference: str  # the Fawry reference (the invoice's merchant reference)
    amount_egp: int
    expires_at: datetime  # the invoice's end: neither Fawry nor the card gateway takes it after

    def expired(self, now: datetime) -> bool:
        return now > self.expires_at


def fee_due(tracking_number: str) -> FeeDue | None:
    """The invoice of a request still waiting for its fee; None when nothing is due. Read after an
    inquiry has proved the request (the inquiry's own answer, CONTRACT.md, carries no reference)."""
    request = load_request_record(tracking_number)
    if request is None or request.payment is None or request.status != Status.AWAITING_PAYMENT.value:
        return None
    payment = request.payment
    if payment.status != "unpaid":
        return None
    return FeeDue(reference=payment.reference, amount_egp=int(payment.amount_egp), expires_at=payment.expires_at)
