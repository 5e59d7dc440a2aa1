"""How the payments' figures are shown: the daily reconciliation, as its scheduled handler answers it."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.payments import DayReconciliation, ReconciledLine, ReconciliationFlag


def reconciliation_view(summary: DayReconciliation) -> dict[str, Any]:
    return {
        "day": summary.day.isoformat(),
        "notices": summary.notices,
        "lines": [_line_view(line) for line in summary.lines],
        "received_piasters": summary.received_piasters,
        "refunded_piasters": summary.refunded_piasters,
        "flags": [_flag_view(flag) for flag in summary.flags],
    }


def _line_view(line: ReconciledLine) -> dict[str, Any]:
    return {
        "district_code": line.district_code,
        "service_code": line.service_code,
        "received_piasters": line.received_piasters,
        "refunded_piasters": line.refunded_piasters,
        "payments": line.payments,
    }


def _flag_view(flag: ReconciliationFlag) -> dict[str, Any]:
    return {
        "outcome": flag.outcome,
        "gateway": flag.gateway,
        "transaction_id": flag.transaction_id,
        "reference": flag.reference,
        "tracking_number": flag.tracking_number,
        "amount_piasters": flag.amount_piasters,
        "currency": flag.currency,
    }
