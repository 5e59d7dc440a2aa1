"""The daily reconciliation as a use case: a day's money and its flags, as a value, and kept."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.payments import DayReconciliation, ReconciledLine, ReconciliationFlag
from chalicelib.services.payment_notices import handle_fawry_notice
from chalicelib.services.reconciliation import reconcile_day
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.payments import DaySummary
from tests.factories import submission
from tests.integration.api.gateway_notices import fawry_notice

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_a_day_with_a_payment_and_an_underpayment_reconciles_to_its_line_and_one_flag(aws: None) -> None:
    paid = submit_request(submission("shop_licence"), None, ONLINE, NOW).payment
    short = submit_request(submission("shop_licence"), None, ONLINE, NOW).payment
    handle_fawry_notice(fawry_notice(paid.reference, paid.amount_egp, fawry_ref="9990000001"), NOW)
    handle_fawry_notice(fawry_notice(short.reference, 10, fawry_ref="9990000002"), NOW)
    day = cairo_today(NOW)

    summary = reconcile_day(day, NOW)

    pounds = paid.amount_egp * 100
    assert summary == DayReconciliation(
        day=day,
        notices=2,
        lines=(
            ReconciledLine("dokki", "shop_licence", received_piasters=pounds + 1000, refunded_piasters=0, payments=2),
        ),
        received_piasters=pounds + 1000,
        refunded_piasters=0,
        flags=(
            ReconciliationFlag(
                outcome="amount_mismatch",
                gateway="fawry",
                transaction_id="9990000002",
                reference=short.reference,
                tracking_number=short.reference[:-2],
                amount_piasters=1000,
                currency="EGP",
            ),
        ),
    )
    kept = json.loads(DaySummary.get(f"ledger#{day.isoformat()}").summary)
    assert (kept["day"], kept["notices"], len(kept["lines"]), len(kept["flags"])) == (day.isoformat(), 2, 1, 1)
