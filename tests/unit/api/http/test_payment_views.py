"""How the daily reconciliation is shown (chalicelib/api/http/payment_views.py)."""

from __future__ import annotations

from datetime import date

from chalicelib.api.http.payment_views import reconciliation_view
from chalicelib.domain.payments import DayReconciliation, ReconciledLine, ReconciliationFlag


def test_the_day_its_lines_and_its_flags_are_shown_field_by_field() -> None:
    line = ReconciledLine("dokki", "shop_licence", 30000, 15000, 2)
    flag = ReconciliationFlag("unknown_reference", "fawry", "tx-1", "999", None, 5000, "EGP")
    summary = DayReconciliation(date(2026, 3, 10), 3, (line,), 30000, 15000, (flag,))

    assert reconciliation_view(summary) == {
        "day": "2026-03-10",
        "notices": 3,
        "lines": [
            {
                "district_code": "dokki",
                "service_code": "shop_licence",
                "received_piasters": 30000,
                "refunded_piasters": 15000,
                "payments": 2,
            }
        ],
        "received_piasters": 30000,
        "refunded_piasters": 15000,
        "flags": [
            {
                "outcome": "unknown_reference",
                "gateway": "fawry",
                "transaction_id": "tx-1",
                "reference": "999",
                "tracking_number": None,
                "amount_piasters": 5000,
                "currency": "EGP",
            }
        ],
    }
