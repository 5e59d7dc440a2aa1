"""The outbox: one OutboxMessage per intent to tell a citizen something, and its life: claimed
once, then sent, skipped, failed, or put back to wait; a WhatsApp message waits for its receipt,
pending, until a receipt settles it or the wait ends in an SMS.

outbox table (`key` = "<tracking number>#<version>#<event>"): written in the transaction of the
change it is about (requests/changes.py, store/payments.py), so it exists if and only if the
change does; delivered once.
  * the stream: every new intent, at once (claim, then settle or put_back).
  * the sweeper: Query on the `due` index (`due_queue = "pending"`, present only while the
    message waits), `due_order = "<due_at>#<key>"` up to now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import MapAttribute, NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.retries import retry_transient


class DueIndex(GlobalSecondaryIndex["OutboxMessage"]):
    class Meta:
        index_name = "due"
        projection = AllProjection()

    due_queue = UnicodeAttribute(hash_key=True)
    due_order = UnicodeAttribute(range_key=True)


class OutboxMessage(StoredModel):
    PENDING, SENDING, SENT, SKIPPED, FAILED = "pending", "sending", "sent", "skipped", "failed"
    WAITING = "pending"  # the due index's only partition

    class Meta(TableMeta):
        table = "outbox"

    key = UnicodeAttribute(hash_key=True)
    tracking_number = UnicodeAttribute()
    event = UnicodeAttribute()
    # What the text needs besides the tracking number (reference, amount, day, district name).
    values = MapAttribute[str, Any]()
    status = UnicodeAttribute()
    due_at = UTCDateTimeAttribute()
    attempts = NumberAttribute(default=0)
    # How it went out: sms, voice or whatsapp; "whatsapp" on a pending message: sent on WhatsApp,
    # waiting for its receipt, and due for the SMS fallback when the wait is over.
    channel = UnicodeAttribute(null=True)
    provider_message_id = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    due_queue = UnicodeAttribute(null=True)
    due_order = UnicodeAttribute(null=True)
    expires_at = TTLAttribute(null=True)
    due_index = DueIndex()

    @staticmethod
    def key_for(tracking_number: str, version: int, event: str) -> str:
        return f"{tracking_number}#{version:06d}#{event}"

    def wait_until(self, moment: datetime) -> None:
        """Files the message as pending until `moment` (the sweeper's index)."""
        self.status = self.PENDING
        self.due_at = moment
        self.due_queue = self.WAITING
        self.due_order = f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#{self.key}"


# Longer than any delivery can take (Lambda's limit is 15 minutes): a message claimed by a
# run that died is taken up again by the sweeper once its lease is over, never before.
LEASE = timedelta(minutes=15)


def claim(key: str, now: datetime) -> OutboxMessage | None:
    """Takes a due message for delivery. Only one run can: a second run of the handler on
    the same record (a retried batch, the sweeper meeting the stream) gets None, unless the
    first run's lease has run out without a word."""
    message = OutboxMessage(key)
    message.wait_until(now + LEASE)
    try:
        retry_transient(lambda: message.update(
            actions=[
                OutboxMessage.status.set(OutboxMessage.SENDING),
                OutboxMessage.attempts.add(1),
                OutboxMessage.due_at.set(message.due_at),
                OutboxMessage.due_queue.set(message.due_queue),
                OutboxMessage.due_order.set(message.due_order),
            ],
            condition=(
                (OutboxMessage.status == OutboxMessage.PENDING) | (OutboxMessage.status == OutboxMessage.SENDING)
            )
            & (OutboxMessage.due_at <= now),
        ))  # fmt: skip
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return None
        raise
    return message


def settle(message: OutboxMessage, status: str, *, channel: str | None = None, provider_message_id: str | None = None,
           error: str | None = None) -> None:  # fmt: skip
    """Records how a claimed message ended: sent, skipped (an opt-out) or failed for good."""
    retry_transient(lambda: message.update(
        actions=[
            OutboxMessage.status.set(status),
            OutboxMessage.due_queue.remove(),
            OutboxMessage.due_order.remove(),
            OutboxMessage.channel.set(channel),
            OutboxMessage.provider_message_id.set(provider_message_id),
            OutboxMessage.last_error.set(error),
        ],
        condition=OutboxMessage.status == OutboxMessage.SENDING,
    ))  # fmt: skip


def put_back(message: OutboxMessage, until: datetime, error: str | None, *, attempted: bool = True) -> None:
    """Returns a claimed message to wait until `until`: a retry's backoff (the attempt counts),
    or a call deferred to the morning (`attempted=False`: it was never tried)."""
    message.wait_until(until)
    retry_transient(lambda: message.update(
        actions=[
            OutboxMessage.status.set(OutboxMessage.PENDING),
            OutboxMessage.attempts.add(0 if attempted else -1),
            OutboxMessage.due_at.set(message.due_at),
            OutboxMessage.due_queue.set(message.due_queue),
            OutboxMessage.due_order.set(message.due_order),
            OutboxMessage.last_error.set(error),
        ],
        condition=OutboxMessage.status == OutboxMessage.SENDING,
    ))  # fmt: skip


WHATSAPP = "whatsapp"


def await_receipt(message: OutboxMessage, until: datetime, provider_message_id: str | None,
                  error: str | None = None) -> None:  # fmt: skip
    """A claimed message handed to WhatsApp: pending again, marked as sent on WhatsApp, and due
    at `until`, when (no receipt having settled it) it is claimed once more and sent by SMS.
    `until` is now when WhatsApp refused it at once (`error`)."""
    message.wait_until(until)
    retry_transient(lambda: message.update(
        actions=[
            OutboxMessage.status.set(OutboxMessage.PENDING),
            OutboxMessage.channel.set(WHATSAPP),
            OutboxMessage.provider_message_id.set(provider_message_id),
            OutboxMessage.due_at.set(message.due_at),
            OutboxMessage.due_queue.set(message.due_queue),
            OutboxMessage.due_order.set(message.due_order),
            OutboxMessage.last_error.set(error),
        ],
        condition=OutboxMessage.status == OutboxMessage.SENDING,
    ))  # fmt: skip


def _waiting_for_receipt() -> Any:
    return (OutboxMessage.status == OutboxMessage.PENDING) & (OutboxMessage.channel == WHATSAPP)


def delivered_on_whatsapp(key: str) -> bool:
    """WhatsApp delivered it: sent, and no SMS. False when it no longer waits for its receipt (its
    fallback already claimed or sent, or a receipt seen before): receipts come more than once."""
    message = OutboxMessage(key)
    return _conditional(message, [
        OutboxMessage.status.set(OutboxMessage.SENT),
        OutboxMessage.due_queue.remove(),
        OutboxMessage.due_order.remove(),
    ])  # fmt: skip


def failed_on_whatsapp(key: str, now: datetime, error: str) -> bool:
    """WhatsApp could not deliver it: due now for its SMS fallback. False when it no longer waits."""
    message = OutboxMessage(key)
    message.wait_until(now)
    return _conditional(message, [
        OutboxMessage.due_at.set(message.due_at),
        OutboxMessage.due_order.set(message.due_order),
        OutboxMessage.last_error.set(error),
    ])  # fmt: skip


def _conditional(message: OutboxMessage, actions: list[Any]) -> bool:
    try:
        retry_transient(lambda: message.update(actions=actions, condition=_waiting_for_receipt()))
    except UpdateError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def due_messages(now: datetime, limit: int) -> list[str]:
    """Keys of the pending messages whose time has come, oldest first (one query)."""
    upper = f"{now.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#~"
    return retry_transient(lambda: [
        message.key
        for message in OutboxMessage.due_index.query(
            OutboxMessage.WAITING, OutboxMessage.due_order <= upper, limit=limit
        )
    ])  # fmt: skip
