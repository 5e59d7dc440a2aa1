"""The outbox: a message claimed once, then settled, put back or waiting for its WhatsApp receipt,
and swept from the `due` index when its time comes (chalicelib/store/outbox.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pynamodb.exceptions import UpdateError

from chalicelib.store.outbox import (
    LEASE,
    OutboxMessage,
    await_receipt,
    claim,
    delivered_on_whatsapp,
    due_messages,
    failed_on_whatsapp,
    put_back,
    settle,
)

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
TRACKING_NUMBER = "1234567890128"


def pending(version: int = 1, due_at: datetime = NOW, event: str = "submitted") -> str:
    message = OutboxMessage(
        OutboxMessage.key_for(TRACKING_NUMBER, version, event), tracking_number=TRACKING_NUMBER, event=event,
        values={"reference": "123456789012801"}, status=OutboxMessage.PENDING, due_at=due_at, created_at=NOW,
    )  # fmt: skip
    message.wait_until(due_at)
    message.save()
    return message.key


def stored(key: str) -> OutboxMessage:
    return OutboxMessage.get(key, consistent_read=True)


def test_the_key_names_the_request_its_version_and_the_event() -> None:
    assert OutboxMessage.key_for(TRACKING_NUMBER, 7, "approved") == "1234567890128#000007#approved"


def test_a_due_message_is_claimed_once_until_its_lease_runs_out(aws: None) -> None:
    key = pending()

    first = claim(key, NOW)

    assert first is not None
    assert claim(key, NOW + timedelta(minutes=1)) is None  # a retried batch, the sweeper meeting the stream
    message = stored(key)
    assert (message.status, message.attempts, message.due_at) == (OutboxMessage.SENDING, 1, NOW + LEASE)
    # The run that claimed it died without a word: once its lease is over it is taken up again.
    assert claim(key, NOW + LEASE) is not None
    assert stored(key).attempts == 2


def test_a_message_not_yet_due_or_already_sent_is_not_claimed(aws: None) -> None:
    later = pending(due_at=NOW + timedelta(hours=1))
    sent = pending(version=2)
    message = claim(sent, NOW)
    assert message is not None
    settle(message, OutboxMessage.SENT, channel="sms", provider_message_id="sms-1")

    assert claim(later, NOW) is None
    assert claim(sent, NOW + LEASE * 2) is None


def test_a_settled_message_leaves_the_due_index_with_how_it_went(aws: None) -> None:
    key = pending()
    message = claim(key, NOW)
    assert message is not None

    settle(message, OutboxMessage.FAILED, channel="sms", error="the number does not exist")

    found = stored(key)
    assert (found.status, found.channel, found.last_error) == ("failed", "sms", "the number does not exist")
    assert (found.due_queue, found.due_order) == (None, None)
    assert due_messages(NOW + timedelta(days=1), 10) == []


def test_only_a_claimed_message_can_be_settled(aws: None) -> None:
    key = pending()
    with pytest.raises(UpdateError):
        settle(stored(key), OutboxMessage.SENT)
    assert stored(key).status == OutboxMessage.PENDING


def test_a_message_put_back_waits_again_and_a_deferred_call_does_not_count_as_tried(aws: None) -> None:
    key = pending()
    message = claim(key, NOW)
    assert message is not None
    put_back(message, NOW + timedelta(minutes=5), "the gateway timed out")
    assert (stored(key).status, stored(key).attempts, stored(key).last_error) == ("pending", 1, "the gateway timed out")

    again = claim(key, NOW + timedelta(minutes=5))
    assert again is not None
    put_back(again, NOW + timedelta(hours=12), None, attempted=False)  # a call deferred to the morning

    assert stored(key).attempts == 1
    assert due_messages(NOW + timedelta(hours=12), 10) == [key]


def test_pending_messages_are_swept_oldest_first_up_to_now_and_to_the_limit(aws: None) -> None:
    third = pending(version=3, due_at=NOW - timedelta(minutes=1))
    first = pending(version=1, due_at=NOW - timedelta(minutes=30))
    second = pending(version=2, due_at=NOW - timedelta(minutes=10))
    pending(version=4, due_at=NOW + timedelta(seconds=1))

    assert due_messages(NOW, 10) == [first, second, third]
    assert due_messages(NOW, 2) == [first, second]


def test_a_whatsapp_message_waits_for_its_receipt_and_is_settled_by_the_first_one(aws: None) -> None:
    key = pending()
    message = claim(key, NOW)
    assert message is not None
    await_receipt(message, NOW + timedelta(minutes=10), "wamid.1")
    waiting = stored(key)
    assert (waiting.status, waiting.channel, waiting.provider_message_id) == ("pending", "whatsapp", "wamid.1")

    assert delivered_on_whatsapp(key) is True
    assert delivered_on_whatsapp(key) is False  # receipts come more than once

    assert stored(key).status == OutboxMessage.SENT
    assert due_messages(NOW + timedelta(hours=1), 10) == []


def test_a_failed_whatsapp_message_is_due_at_once_for_its_sms(aws: None) -> None:
    key = pending()
    message = claim(key, NOW)
    assert message is not None
    await_receipt(message, NOW + timedelta(minutes=10), "wamid.1")

    assert failed_on_whatsapp(key, NOW + timedelta(minutes=1), "undeliverable") is True

    assert due_messages(NOW + timedelta(minutes=1), 10) == [key]
    fallback = claim(key, NOW + timedelta(minutes=1))
    assert fallback is not None
    # Its fallback claimed, a late receipt changes nothing.
    assert delivered_on_whatsapp(key) is False
    assert failed_on_whatsapp(key, NOW + timedelta(minutes=2), "late") is False
    assert stored(key).status == OutboxMessage.SENDING
