"""The intent to tell a citizen about a change, as an outbox message written with the change
(chalicelib/services/intents.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.messages import Event
from chalicelib.services.intents import KEPT_AFTER_CREATION, REMINDER_BEFORE_EXPIRY, intent, submission_intents
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.request import PaymentTerms, RequestRecord

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
EXPIRES = datetime(2026, 12, 4, 22, 30, tzinfo=UTC)  # 00:30 on 5 December in Cairo


def request(fee: bool = True, version: int = 1) -> RequestRecord:
    payment = (
        PaymentTerms(reference="123456789012801", amount_egp=1000, status="unpaid", expires_at=EXPIRES) if fee else None
    )
    return RequestRecord("1234567890128", RequestRecord.ITEM, version=version, payment=payment)


def test_an_intent_is_keyed_by_request_version_and_event_and_due_now_unless_told() -> None:
    message = intent(request(version=3), Event.APPROVED, NOW, office="dokki", note=None)

    assert message.key == "1234567890128#000003#approved"
    assert (message.tracking_number, message.event, message.status) == ("1234567890128", "approved", "pending")
    assert message.values.as_dict() == {"office": "dokki"}  # a value not given is left out
    assert (message.due_at, message.created_at, message.expires_at) == (NOW, NOW, NOW + KEPT_AFTER_CREATION)
    assert message.due_queue == OutboxMessage.WAITING
    assert message.due_order == f"2026-11-27T09:30:00.000000Z#{message.key}"


def test_an_intent_may_be_due_later() -> None:
    later = NOW + timedelta(hours=3)
    assert intent(request(), Event.READY, NOW, due_at=later).due_at == later


def test_a_submission_with_a_fee_says_how_to_pay_and_reminds_a_day_before_the_invoice_expires() -> None:
    received, reminder = submission_intents(request(), NOW)

    assert (received.event, received.due_at) == ("submitted", NOW)
    assert received.values.as_dict() == {"reference": "123456789012801", "amount_egp": 1000}
    assert reminder.event == "payment_reminder"
    assert reminder.due_at == EXPIRES - REMINDER_BEFORE_EXPIRY
    assert reminder.values.as_dict() == {"reference": "123456789012801", "pay_by": "2026-12-05"}  # Cairo's day


def test_a_reminder_never_falls_due_before_the_submission() -> None:
    _, reminder = submission_intents(request(), EXPIRES - timedelta(hours=2))
    assert reminder.due_at == EXPIRES - timedelta(hours=2)


def test_a_free_request_is_only_received_and_a_window_filing_only_reminded() -> None:
    (received,) = submission_intents(request(fee=False), NOW)
    assert (received.event, received.values.as_dict()) == ("submitted", {})

    assert submission_intents(request(fee=False), NOW, receipt=False) == []
    assert [m.event for m in submission_intents(request(), NOW, receipt=False)] == ["payment_reminder"]
