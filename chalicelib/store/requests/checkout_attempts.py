"""A request's card checkouts, as items of their own, so that no write of the request can lose one.

requests table, `item = "card_order#<invoice reference>#<attempt, 2 digits>"` (CheckoutAttempt;
the item's tag and attributes keep the names they were stored under, `card_order` among
them): one per card checkout started for an invoice, in the request's own partition, so the
request's one query (changes.py, load_request) reads them with it. A citizen's checkouts of
one invoice are limited (services/card_checkout.py): these items are what counts them.
  * start: a conditional put reserves the attempt's number before Paymob is called, so two
    clicks at once never send Paymob the same merchant order id, and the numbers a request
    can ever use are bounded (the cap on checkouts per invoice).
  * registered: one TransactWriteItems sets the attempt's Paymob order id and files the
    CardOrder (payments table, `order#paymob#<order id>`) by that id, which is what a card
    callback names (store/payments.py, record_card_order).
Nothing here writes the request item itself: a payment notice or an office move saving the
request it read earlier cannot take a checkout attempt away.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError

from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.retries import retry_transient


class CheckoutAttempt(RequestPartitionItem, discriminator="card_order"):
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


def reserve_checkout_attempt(tracking_number: str, reference: str, attempt: int, now: datetime) -> CheckoutAttempt:
    reserved = CheckoutAttempt(
        tracking_number, CheckoutAttempt.item_for(reference, attempt), reference=reference, attempt=attempt,
        started_at=now,
    )  # fmt: skip
    try:
        retry_transient(lambda: reserved.save(condition=CheckoutAttempt.item.does_not_exist()))
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise AttemptTaken from error
        raise
    return reserved
