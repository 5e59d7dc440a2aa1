"""How a citizen's request is shown over the API: what a submission answers (docs/interfaces.md#submission)
and what an inquiry answers (docs/interfaces.md#inquiry)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.inquiry import RequestStanding, StandingChange
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status

if TYPE_CHECKING:  # types only: an inquiry, which loads no catalogue, does not pay for application.py's
    from chalicelib.domain.application import Submission


def submission_answer(filed: Submission) -> dict[str, Any]:
    """The first attempt's answer and every retry's, byte for byte (a retry's value is read back from
    what the first kept, store/idempotency.py, to the second as this writes it)."""
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


def inquiry_answer(standing: RequestStanding) -> dict[str, Any]:
    """The status's Arabic name is read when asked: names may be reworded."""
    return {
        "tracking_number": standing.tracking_number,
        "status": standing.status,
        "service_code": standing.service_code,
        "district_code": standing.district_code,
        "submitted_at": iso_utc(standing.submitted_at),
        "sla_due_date": standing.sla_due_date,
        "payment_status": standing.payment_status,
        "history": [_change_view(change) for change in standing.history],
        "status_ar": STATUS_NAMES_AR[Status(standing.status)],
    }


def _change_view(change: StandingChange) -> dict[str, str]:
    shown = {"status": change.status, "at": iso_utc(change.at)}
    if change.message_ar:
        shown["message_ar"] = change.message_ar
    return shown
