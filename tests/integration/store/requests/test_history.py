"""A request's history: an event recorded once, even when DynamoDB's answer to it was lost
(store/requests/history.py; see tests/faults.py's ANSWER_LOST), and never twice under one key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.store.requests.changes import insert_submission, load_request
from chalicelib.store.requests.history import HistoryEntry, record_event
from tests.faults import ANSWER_LOST, DynamoDBFaults
from tests.integration.store.requests.test_changes import CHECK, records

TRACKING_NUMBER = "1234567890128"
LATER = datetime(2026, 11, 27, 9, 45, tzinfo=UTC)  # after the submission, whose first entry is at NOW


def test_an_event_whose_answer_was_lost_is_recorded_once_without_an_error(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    request, *_ = records(TRACKING_NUMBER, key=None)
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    entry = HistoryEntry.on(request, HistoryEntry.IDENTITY_REVEALED, LATER, actor_role="manager", actor="manager-huda")
    dynamodb_faults.plan("PutItem", ANSWER_LOST)

    record_event(entry)

    stored = load_request(TRACKING_NUMBER)
    assert stored is not None
    assert [e.event for e in stored.history].count(HistoryEntry.IDENTITY_REVEALED) == 1


def test_another_event_under_the_same_key_is_still_refused(aws: None) -> None:
    request, *_ = records(TRACKING_NUMBER, key=None)
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    record_event(HistoryEntry.on(request, HistoryEntry.IDENTITY_REVEALED, LATER, actor_role="manager", actor="a"))

    from pynamodb.exceptions import PutError

    with pytest.raises(PutError):
        record_event(HistoryEntry.on(request, HistoryEntry.IDENTITY_REVEALED, LATER, actor_role="manager", actor="b"))
