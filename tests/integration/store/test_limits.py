"""Counters that say "enough", one item per subject and window (chalicelib/store/limits.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.store.connection import shared_connection
from chalicelib.store.limits import LimitCounter, add_to_transaction, count_one, give_back, take_one
from tests.faults import CONFLICT, THROTTLED, DynamoDBFaults

KEY = "submissions#hmac-of-a-phone#2026-11-27"
WINDOW_ENDS = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


def count(key: str = KEY) -> int | None:
    try:
        return int(LimitCounter.get(key, consistent_read=True).count)
    except LimitCounter.DoesNotExist:
        return None


def test_one_is_taken_until_the_limit_then_refused_and_the_window_expires_with_its_end(aws: None) -> None:
    assert [take_one(KEY, 3, WINDOW_ENDS) for _ in range(4)] == [True, True, True, False]

    assert count() == 3
    assert LimitCounter.get(KEY).expires_at == WINDOW_ENDS


def test_another_window_starts_from_zero(aws: None) -> None:
    for _ in range(3):
        take_one(KEY, 3, WINDOW_ENDS)

    assert take_one("submissions#hmac-of-a-phone#2026-11-28", 3, WINDOW_ENDS) is True
    assert count("submissions#hmac-of-a-phone#2026-11-28") == 1


def test_one_given_back_can_be_taken_again_and_nothing_is_given_back_below_zero(aws: None) -> None:
    take_one(KEY, 1, WINDOW_ENDS)
    give_back(KEY)
    assert count() == 0
    assert take_one(KEY, 1, WINDOW_ENDS) is True

    give_back(KEY)
    give_back(KEY)  # nothing left: no error, no negative count
    give_back("reveals#a-window-already-expired")

    assert count() == 0
    assert count("reveals#a-window-already-expired") is None


def test_counting_without_a_limit_answers_the_new_count(aws: None) -> None:
    key = "reveals#manager-huda#2026-11-27T09"
    assert [count_one(key, WINDOW_ENDS) for _ in range(3)] == [1, 2, 3]


def test_a_full_counter_cancels_the_transaction_it_is_added_to(aws: None) -> None:
    take_one(KEY, 1, WINDOW_ENDS)

    with pytest.raises(TransactWriteError) as refused, TransactWrite(connection=shared_connection()) as transaction:
        add_to_transaction(transaction, KEY, 1, WINDOW_ENDS)

    assert [reason.code for reason in refused.value.cancellation_reasons if reason] == ["ConditionalCheckFailed"]
    assert count() == 1


def test_a_counter_that_met_a_conflict_or_throttling_is_counted_once(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    dynamodb_faults.plan("UpdateItem", CONFLICT, THROTTLED)

    assert take_one(KEY, 3, WINDOW_ENDS) is True

    assert sum(dynamodb_faults.injected.values()) == 2
    assert count() == 1
