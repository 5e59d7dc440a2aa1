"""Writes resent after DynamoDB's answer was lost (issue 23, items 8 and 9): the write happened,
the caller could not know, and its retry must neither fail nor count twice. moto ignores a
transaction's ClientRequestToken, so the retry is met here as real DynamoDB meets it once the
token is no help (tests/faults.py's ANSWER_LOST: the call reaches moto, then the answer is lost);
that the token is sent, the same on every try, is checked on the wire.

Here the card order, whose transaction spans the payments table (store/payments.py) and the
request's checkout attempt (store/requests/checkout_attempts.py); a wrong guess's lost answer is
in requests/test_proof.py, an event's in requests/test_history.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.store.connection import dynamodb_client
from chalicelib.store.payments import load_card_order, record_card_order
from chalicelib.store.requests.changes import insert_submission, load_request
from chalicelib.store.requests.checkout_attempts import reserve_checkout_attempt
from tests.faults import ANSWER_LOST, CONFLICT, TIMEOUT, DynamoDBFaults
from tests.integration.store.requests.test_changes import CHECK, records

TRACKING_NUMBER = "1234567890128"
REFERENCE = f"{TRACKING_NUMBER}01"
ORDER_ID = "217503754"
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


@pytest.fixture
def sent_transactions(aws: None) -> Iterator[list[dict[str, Any]]]:
    """The TransactWriteItems bodies the store's client sends, each try of each call."""
    sent: list[dict[str, Any]] = []

    def keep(request: Any, **kwargs: Any) -> None:
        sent.append(json.loads(request.body))

    events = dynamodb_client().meta.events
    events.register("before-send.dynamodb.TransactWriteItems", keep)
    yield sent
    events.unregister("before-send.dynamodb.TransactWriteItems", keep)


def test_a_card_order_whose_answer_was_lost_is_recorded_once_and_the_checkout_goes_on(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    checkout = reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 1, NOW)
    dynamodb_faults.plan("TransactWriteItems", ANSWER_LOST)

    record_card_order(checkout, ORDER_ID, NOW)

    assert dynamodb_faults.injected[("TransactWriteItems", ANSWER_LOST)] == 1
    order = load_card_order(ORDER_ID)
    assert order is not None
    assert (order.tracking_number, order.reference) == (TRACKING_NUMBER, REFERENCE)
    stored = load_request(TRACKING_NUMBER)
    assert stored is not None
    assert [a.order_id for a in stored.checkout_attempts] == [ORDER_ID]


def test_the_card_orders_transaction_carries_one_client_request_token_on_every_try(
    sent_transactions: list[dict[str, Any]], dynamodb_faults: DynamoDBFaults
) -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    checkout = reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 1, NOW)
    sent_transactions.clear()
    # A conflict is retried by the store (a new call); a timeout by botocore (the same call again).
    dynamodb_faults.plan("TransactWriteItems", CONFLICT, TIMEOUT)

    record_card_order(checkout, ORDER_ID, NOW)

    tokens = [body.get("ClientRequestToken") for body in sent_transactions]
    assert len(tokens) == 3
    assert tokens[0] is not None
    assert len(set(tokens)) == 1


def test_a_card_order_whose_attempt_holds_another_order_is_still_refused(aws: None) -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    checkout = reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 1, NOW)
    record_card_order(checkout, ORDER_ID, NOW)

    from pynamodb.exceptions import TransactWriteError

    with pytest.raises(TransactWriteError):
        record_card_order(checkout, "999999999", NOW)
