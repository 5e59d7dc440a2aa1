"""The daily reconciliation: each day's money per district and service, and what needs a look.

It reads the day's notices from the ledger index, totals what came in and what went back,
and flags invoices paid twice, paid with the wrong amount (underpaid or overpaid), paid
after expiry or after cancellation, refunds of nothing, and money naming no invoice.
Running it again for the same day gives the same answer and writes the same record.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from chalicelib.domain.payments import (
    CURRENCY,
    FLAGGED,
    MONEY_BACK,
    MONEY_IN,
    DayReconciliation,
    NoticeKind,
    Outcome,
    ReconciledLine,
    ReconciliationFlag,
)
from chalicelib.observability.logs import logger
from chalicelib.store.payments import PaymentNotice, notices_of_day, save_day_summary


def reconcile_day(day: date, now: datetime) -> DayReconciliation:
    notices = notices_of_day(day.isoformat())
    totals: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"received_piasters": 0, "refunded_piasters": 0, "payments": 0}
    )
    flags = []
    for notice in notices:
        line = totals[(notice.district_code or "unknown", notice.service_code or "unknown")]
        outcome = Outcome(notice.outcome)
        kind = NoticeKind(notice.kind)
        # Only pounds are added up; money in another currency is flagged (amount_mismatch).
        in_pounds = notice.currency == CURRENCY
        # Money in is a payment, never a refund or void, whatever invoice it names or does not;
        # every genuine refund or void is money that went back, applied to an invoice or not.
        if in_pounds and kind is NoticeKind.PAID and outcome in MONEY_IN:
            line["received_piasters"] += int(notice.amount_piasters)
            line["payments"] += 1
        elif in_pounds and kind in MONEY_BACK:
            line["refunded_piasters"] += int(notice.amount_piasters)
        if outcome in FLAGGED:
            flags.append(_flag(notice))
    summary = DayReconciliation(
        day=day,
        notices=len(notices),
        lines=tuple(
            ReconciledLine(district_code=district, service_code=service, **figures)
            for (district, service), figures in sorted(totals.items())
        ),
        received_piasters=sum(line["received_piasters"] for line in totals.values()),
        refunded_piasters=sum(line["refunded_piasters"] for line in totals.values()),
        flags=tuple(flags),
    )
    save_day_summary(summary, now)
    if flags:
        logger.error(
            "payments reconciliation found invoices to look at",
            extra={"alert": "payment_reconciliation", "day": day.isoformat(), "flags": len(flags)},
        )
    logger.info("payments reconciled", extra={"day": day.isoformat(), "notices": len(notices)})
    return summary


def _flag(notice: PaymentNotice) -> ReconciliationFlag:
    return ReconciliationFlag(
        outcome=notice.outcome,
        gateway=notice.gateway,
        transaction_id=notice.transaction_id,
        reference=notice.reference,
        tracking_number=notice.tracking_number,
        amount_piasters=int(notice.amount_piasters),
        currency=notice.currency,
    )
