"""The intent to tell a citizen about a change: an outbox item written in the change's own
transaction (services/notifications.py says why, and delivers it).

Kept apart from the delivery, so that a submission, a payment or a move loads none of the SMS and
voice adapters on a container's first request.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from chalicelib.domain.calendar import CAIRO
from chalicelib.domain.messages import Event
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.request import RequestRecord

REMINDER_BEFORE_EXPIRY = timedelta(hours=24)
KEPT_AFTER_CREATION = timedelta(days=90)


def intent(request: RequestRecord, event: Event, now: datetime, due_at: datetime | None = None,
           **values: Any) -> OutboxMessage:  # fmt: skip
    """The intent to tell the applicant of `request` about `event`, at its current version."""
    message = OutboxMessage(
        OutboxMessage.key_for(request.tracking_number, request.version, event.value),
        tracking_number=request.tracking_number,
        event=event.value,
        values={name: value for name, value in values.items() if value is not None},
        created_at=now,
        expires_at=now + KEPT_AFTER_CREATION,
    )
    message.wait_until(due_at or now)
    return message


def submission_intents(request: RequestRecord, now: datetime, *, receipt: bool = True) -> list[OutboxMessage]:
    """Received (for a fee, with how to pay), unless `receipt` is False: filed at the window, the
    citizen holds the printed receipt, which says as much. For a fee, a reminder the day before
    the invoice expires, in every case: paid by then, it is skipped."""
    payment = request.payment
    intents = []
    if receipt:
        paying = {"reference": payment.reference, "amount_egp": payment.amount_egp} if payment else {}
        intents.append(intent(request, Event.SUBMITTED, now, **paying))
    if payment is not None:
        intents.append(
            intent(
                request, Event.PAYMENT_REMINDER, now, due_at=max(now, payment.expires_at - REMINDER_BEFORE_EXPIRY),
                reference=payment.reference, pay_by=payment.expires_at.astimezone(CAIRO).date().isoformat(),
            )
        )  # fmt: skip
    return intents
