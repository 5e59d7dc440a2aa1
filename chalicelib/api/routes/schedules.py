"""Scheduled work: handlers that run on a clock rather than on a request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalice import Cron
from chalice.app import CloudWatchEvent

from chalicelib.api.routes.startup import GuardedBlueprint

scheduled = GuardedBlueprint(__name__)  # its functions start without app.py


# 22:30 UTC is just past midnight in Cairo, winter or summer time: yesterday is complete.
@scheduled.schedule(Cron(30, 22, "*", "*", "?", "*"), name="reconcile_payments")
def reconcile_payments(event: CloudWatchEvent) -> dict[str, Any]:
    """Reconciles the Cairo day before the event's; `detail.day` (YYYY-MM-DD) reruns a given day."""
    # Imported on first use, as in api/routes/citizen.py: the API's cold start never pays for it.
    from chalicelib.api.http.payment_views import reconciliation_view
    from chalicelib.domain.calendar import cairo_today
    from chalicelib.services.reconciliation import reconcile_day

    requested = (event.to_dict().get("detail") or {}).get("day")
    now = datetime.now(UTC)
    if requested:
        day = date.fromisoformat(requested)
    else:
        fired = datetime.fromisoformat(event.time.replace("Z", "+00:00")) if event.time else now
        day = cairo_today(fired) - timedelta(days=1)
    return reconciliation_view(reconcile_day(day, now))
