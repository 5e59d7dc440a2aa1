"""Payments: the gateways' notices, the Paymob orders registered for invoices, and the daily
ledger; recording a notice with what it does to its request.

payments table (`key`):
  - `notice#<gateway>#<transaction>#<kind>`: one immutable PaymentNotice per genuine gateway
    notice, written in the same transaction as what it does to the request, on condition that
    it does not exist: a repeated notice changes nothing.
    * callback: GetItem of the request (by the tracking number inside the invoice reference),
      then one TransactWriteItems (record_notice).
    * reconciliation: Query on the `ledger` index (`ledger_day = "<YYYY-MM-DD>"` in Cairo),
      ordered by `ledger_order = "<district>#<service>#<key>"`.
  - `order#paymob#<order id>`: a CardOrder, the invoice a Paymob order was registered for, so
    that a card callback finds its invoice by the order id Paymob signs (GetItem). Filed in one
    TransactWriteItems with the order id set on its checkout attempt (record_card_order; the
    attempt is an item of the requests table, requests/checkout_attempts.py).
  - `ledger#<YYYY-MM-DD>`: a DaySummary, the reconciliation of one Cairo day (PutItem; a rerun
    replaces it).
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib.domain.payments import DayReconciliation
from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.connection import shared_connection
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import VersionConflict, save_change
from chalicelib.store.requests.checkout_attempts import CheckoutAttempt
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord
from chalicelib.store.retries import retry_transient


class LedgerIndex(GlobalSecondaryIndex["PaymentNotice"]):
    class Meta:
        index_name = "ledger"
        projection = AllProjection()

    ledger_day = UnicodeAttribute(hash_key=True)
    ledger_order = UnicodeAttribute(range_key=True)


class PaymentNotice(StoredModel):
    class Meta(TableMeta):
        table = "payments"

    key = UnicodeAttribute(hash_key=True)
    gateway = UnicodeAttribute()
    transaction_id = UnicodeAttribute()
    kind = UnicodeAttribute()
    reference = UnicodeAttribute()
    tracking_number = UnicodeAttribute(null=True)
    district_code = UnicodeAttribute(null=True)
    service_code = UnicodeAttribute(null=True)
    amount_piasters = NumberAttribute()
    currency = UnicodeAttribute()
    method = UnicodeAttribute()
    outcome = UnicodeAttribute()
    received_at = UTCDateTimeAttribute()
    ledger_day = UnicodeAttribute()
    ledger_order = UnicodeAttribute()
    ledger_index = LedgerIndex()


class DaySummary(StoredModel):
    """The reconciliation of one Cairo day, under `key = "ledger#<YYYY-MM-DD>"`."""

    class Meta(TableMeta):
        table = "payments"

    key = UnicodeAttribute(hash_key=True)
    summary = UnicodeAttribute()
    computed_at = UTCDateTimeAttribute()


class CardOrder(StoredModel):
    """A Paymob order registered for an invoice, under `key = "order#paymob#<order id>"`."""

    class Meta(TableMeta):
        table = "payments"

    key = UnicodeAttribute(hash_key=True)
    tracking_number = UnicodeAttribute()
    reference = UnicodeAttribute()
    registered_at = UTCDateTimeAttribute()

    @staticmethod
    def key_for(order_id: str) -> str:
        return f"order#paymob#{order_id}"


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


def record_card_order(attempt: CheckoutAttempt, order_id: str, now: datetime) -> None:
    """The Paymob order on its checkout attempt and under its own id, together or not at all.
    Sent with one client request token for all its tries, so that DynamoDB answers a retry of a
    transaction that did commit (a timeout after the commit) with success; and should the token
    have lapsed (or a store ignore it), the retry's failed conditions are read for what they
    are: this very order already on the attempt and filed."""
    order = CardOrder(
        CardOrder.key_for(order_id), tracking_number=attempt.tracking_number, reference=attempt.reference,
        registered_at=now,
    )  # fmt: skip
    token = str(uuid.uuid4())

    def write() -> None:
        with TransactWrite(connection=shared_connection(), client_request_token=token) as transaction:
            transaction.update(
                attempt,
                actions=[CheckoutAttempt.order_id.set(order_id), CheckoutAttempt.registered_at.set(now)],
                condition=CheckoutAttempt.order_id.does_not_exist(),
            )
            transaction.save(order, condition=CardOrder.key.does_not_exist())

    try:
        retry_transient(write)
    except TransactWriteError:
        if not _card_order_recorded(attempt, order_id):
            raise


def _card_order_recorded(attempt: CheckoutAttempt, order_id: str) -> bool:
    filed = load_card_order(order_id)
    if filed is None or filed.tracking_number != attempt.tracking_number or filed.reference != attempt.reference:
        return False
    try:
        stored = CheckoutAttempt.get(attempt.tracking_number, attempt.item, consistent_read=True)
    except CheckoutAttempt.DoesNotExist:
        return False
    return stored.order_id == order_id


def notices_of_day(day: str) -> list[PaymentNotice]:
    """Every notice recorded on a Cairo day, for reconciliation (all pages)."""
    return list(PaymentNotice.ledger_index.query(day))


def save_day_summary(summary: DayReconciliation, now: datetime) -> None:
    """Keeps the day's reconciliation, as JSON of its fields; a rerun replaces it with the same figures."""
    day = summary.day.isoformat()
    kept = {**dataclasses.asdict(summary), "day": day}
    DaySummary(f"ledger#{day}", summary=json.dumps(kept, ensure_ascii=False), computed_at=now).save()
