"""Recording payment notices with what they do to requests, card orders, and the daily ledger."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.store.connection import shared_connection
from chalicelib.store.models import CardOrder, DaySummary, HistoryEntry, OutboxMessage, PaymentNotice, RequestRecord
from chalicelib.store.requests import VersionConflict, save_change
from chalicelib.store.retries import retry_transient


class NoticeAlreadyRecorded(Exception):
    """This very notice was recorded (and acted on) before."""


def record_notice(
    notice: PaymentNotice,
    moved: tuple[RequestRecord, HistoryEntry, int] | None = None,
    outbox: list[OutboxMessage] | None = None,
) -> None:
    """Records a genuine notice, and what it does to the request (the request saved on
    condition it still has the version read, and its history entry), in one transaction."""
    token = str(uuid.uuid4())

    def write() -> None:
        with TransactWrite(connection=shared_connection(), client_request_token=token) as transaction:
            transaction.save(notice, condition=PaymentNotice.key.does_not_exist())
            if moved is not None:
                request, entry, expected_version = moved
                save_change(transaction, request, entry, expected_version)
            for message in outbox or []:
                transaction.save(message, condition=OutboxMessage.key.does_not_exist())

    try:
        retry_transient(write)
    except TransactWriteError as error:
        reasons = error.cancellation_reasons or []
        if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            raise NoticeAlreadyRecorded from error
        if any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons):
            raise VersionConflict from error
        raise


def load_card_order(order_id: str) -> CardOrder | None:
    try:
        return retry_transient(lambda: CardOrder.get(CardOrder.key_for(order_id), consistent_read=True))
    except CardOrder.DoesNotExist:
        return None


def notices_of_day(day: str) -> list[PaymentNotice]:
    """Every notice recorded on a Cairo day, for reconciliation (all pages)."""
    return list(PaymentNotice.ledger_index.query(day))


def save_day_summary(day: str, summary: dict[str, Any], now: datetime) -> None:
    """Keeps the day's reconciliation; a rerun replaces it with the same figures."""
    DaySummary(f"ledger#{day}", summary=json.dumps(summary, ensure_ascii=False), computed_at=now).save()
