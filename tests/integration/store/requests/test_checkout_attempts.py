"""A request's card checkouts, each an item of its own in the request's partition
(chalicelib/store/requests/checkout_attempts.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.store.requests.changes import insert_submission, load_request
from chalicelib.store.requests.checkout_attempts import AttemptTaken, CheckoutAttempt, reserve_checkout_attempt
from tests.integration.store.requests.test_changes import CHECK, records

TRACKING_NUMBER = "1234567890128"
REFERENCE = f"{TRACKING_NUMBER}01"
NOW = datetime(2026, 11, 27, 9, 40, tzinfo=UTC)


def test_the_item_names_the_invoice_and_the_attempt_in_two_digits() -> None:
    assert CheckoutAttempt.item_for(REFERENCE, 3) == "card_order#123456789012801#03"


def test_reserved_attempts_are_read_with_the_request_without_changing_it(aws: None) -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)

    reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 1, NOW)
    reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 2, NOW)

    stored = load_request(TRACKING_NUMBER)
    assert stored is not None
    assert [(a.reference, a.attempt, a.started_at, a.order_id) for a in stored.checkout_attempts] == [
        (REFERENCE, 1, NOW, None),
        (REFERENCE, 2, NOW, None),
    ]
    assert stored.request.version == 1


def test_an_attempts_number_is_reserved_once(aws: None) -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 1, NOW)

    with pytest.raises(AttemptTaken):
        reserve_checkout_attempt(TRACKING_NUMBER, REFERENCE, 1, NOW)

    stored = load_request(TRACKING_NUMBER)
    assert stored is not None
    assert len(stored.checkout_attempts) == 1
