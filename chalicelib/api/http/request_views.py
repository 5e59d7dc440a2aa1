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
    """The first attempt's answer and every retry's, byte for byte: the domain's one mapping of a
    Submission, which the idempotency table keeps too (domain/application.py says why it lives there)."""
    from chalicelib.domain.application import submission_answer as answer  # loaded already: it made `filed`

    return answer(filed)


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
