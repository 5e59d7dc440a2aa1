"""How a citizen's request is shown over the API: what an inquiry answers (docs/interfaces.md#inquiry).
What a submission answers is the domain's one mapping, domain/application.submission_answer, which
the idempotency table keeps for a retry too."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.inquiry import RequestStanding, StandingChange
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status


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
