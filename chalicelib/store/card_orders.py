"""A request's card orders, as items of their own, so that no write of the request can lose one.

requests table, `item = "card_order#<invoice reference>#<attempt, 2 digits>"` (CardAttempt):
one per card checkout started for an invoice, in the request's own partition, so the
request's one query (load_request) reads them with it.
  * start: a conditional put reserves the attempt's number before Paymob is called, so two
    clicks at once never send Paymob the same merchant order id, and the numbers a request
    can ever use are bounded (the cap on card orders per invoice).
  * registered: one TransactWriteItems sets the attempt's Paymob order id and files the
    CardOrder (payments table, `order#paymob#<order id>`, models.py) by that id, which is
    what a card callback names.
Nothing here writes the request item itself: a payment notice or an office move saving the
request it read earlier cannot take a card order away.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError
from pynamodb.transactions import TransactWrite

from chalicelib.store.connection import shared_connection
from chalicelib.store.models import CardOrder, RequestPartitionItem
from chalicelib.store.retries import retry_transient


class CardAttempt(RequestPartitionItem, discriminator="card_order"):
    ITEM_PREFIX = "card_order#"

    reference = UnicodeAttribute()  # the invoice it pays
    attempt = NumberAttribute()
    started_at = UTCDateTimeAttribute()
    order_id = UnicodeAttribute(null=True)  # set once Paymob registered the order
    registered_at = UTCDateTimeAttribute(null=True)

    @classmethod
    def item_for(cls, reference: str, attempt: int) -> str:
        return f"{cls.ITEM_PREFIX}{reference}#{attempt:02d}"


class AttemptTaken(Exception):
    """Another checkout reserved this attempt's number first."""


def reserve_card_attempt(tracking_number: str, reference: str, attempt: int, now: datetime) -> CardAttempt:
    reserved = CardAttempt(
        tracking_number, CardAttempt.item_for(reference, attempt), reference=reference, attempt=attempt, started_at=now
    )
    try:
        retry_transient(lambda: reserved.save(condition=CardAttempt.item.does_not_exist()))
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise AttemptTaken from error
        raise
    return reserved


def record_card_order(attempt: CardAttempt, order_id: str, now: datetime) -> None:
    """The Paymob order on its attempt and under its own id, together or not at all."""
    order = CardOrder(
        CardOrder.key_for(order_id), tracking_number=attempt.tracking_number, reference=attempt.reference,
        registered_at=now,
    )  # fmt: skip

    def write() -> None:
        with TransactWrite(connection=shared_connection()) as transaction:
            transaction.update(
                attempt,
                actions=[CardAttempt.order_id.set(order_id), CardAttempt.registered_at.set(now)],
                condition=CardAttempt.order_id.does_not_exist(),
            )
            transaction.save(order, condition=CardOrder.key.does_not_exist())

    retry_transient(write)
