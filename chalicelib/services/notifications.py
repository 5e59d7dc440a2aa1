"""Telling citizens: intents written with the change they are about (services/intents.py),
delivered exactly once (here), by the channel the citizen chose.

Why a DynamoDB stream: an intent must exist if and only if its change does, so it is an
item written in the change's own transaction (an SQS message cannot join a DynamoDB
transaction). The table's stream hands each new intent to `deliver` at once; the sweeper
(`deliver_due`, every few minutes) takes the ones that wait: a retry after a failure, with
backoff; a voice call deferred out of the night; a reminder. A message is claimed by a
conditional write before it is sent, so a handler run twice on one record sends it once.
A failing SNS fails no request: the request was saved long before, and its messages wait.

WhatsApp says only later whether a message arrived. A message handed to it stays in the outbox,
pending, marked "whatsapp", due when the wait for its receipt (WHATSAPP_RECEIPT_WAIT_MINUTES)
is over: a `delivered` or `read` receipt settles it as sent; a `failed` one makes it due at once;
and when it falls due it is claimed like any other and sent by SMS, once (the claim is the same
conditional write). So a message is never lost between the two channels, and never sent by SMS
twice; it reaches the citizen twice only when WhatsApp delivers it after the wait is over.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters.sms import SmsSender
from chalicelib.adapters.voice import VoiceCaller, VoiceCallRequests
from chalicelib.adapters.whatsapp import WhatsAppSender, receipts
from chalicelib.aws_clients import aws_client
from chalicelib.config import messaging_settings
from chalicelib.domain.calendar import CAIRO
from chalicelib.domain.messages import RETIRED_EVENTS, SMS_ONLY, Event, MessageValues, sms_text, voice_ssml
from chalicelib.domain.whatsapp import cloud_api_message
from chalicelib.observability.logs import logger
from chalicelib.observability.metrics import Metric, count
from chalicelib.services.limits import give_back_message_slot, take_message_slot
from chalicelib.store.applicants import ApplicantRecord, load_applicant
from chalicelib.store.outbox import (
    WHATSAPP,
    OutboxMessage,
    await_receipt,
    claim,
    delivered_on_whatsapp,
    due_messages,
    failed_on_whatsapp,
    put_back,
    settle,
)
from chalicelib.store.requests.history import HistoryEntry, record_event
from chalicelib.store.requests.request import load_request_record

# Minutes to wait after each failed attempt; past the last, the message is failed and alarmed.
BACKOFF_MINUTES = (1, 5, 15, 60, 180, 360, 720)
MAX_ATTEMPTS = len(BACKOFF_MINUTES) + 1
# No voice calls at night in Cairo: a call falling between these hours waits for the morning.
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(9, 0)
SWEEP_BATCH = 100


@dataclass(frozen=True)
class Senders:
    """The channels messages go out by."""

    sms: SmsSender
    voice: VoiceCallRequests
    whatsapp: WhatsAppSender


def default_senders() -> Senders:
    configured = messaging_settings()
    sns = aws_client("sns")
    return Senders(
        sms=SmsSender(sns, configured.sms_sender_id),
        voice=VoiceCallRequests(sns, configured.voice_calls_topic_arn),
        whatsapp=WhatsAppSender(lambda: aws_client("socialmessaging"), configured.whatsapp_phone_number_id),
    )


def _voice_client() -> Any:
    return aws_client("pinpoint-sms-voice-v2")


def place_voice_call(request: str) -> str:
    """The voice topic's subscriber: places the call a message asks for."""
    return VoiceCaller(_voice_client(), messaging_settings().voice_origination_identity).place_call(request)


def deliver(key: str, now: datetime, senders: Senders | None = None) -> str:
    """Sends one message if it is due and nobody else has; says what became of it."""
    message = claim(key, now)
    if message is None:
        return "not_due_or_taken"
    applicant = load_applicant(message.tracking_number)
    about_the_number = message.event in SMS_ONLY
    if applicant is None or (applicant.notify_by == "none" and not about_the_number) or message.event in RETIRED_EVENTS:
        settle(message, OutboxMessage.SKIPPED)
        return "skipped"
    if message.event == Event.PAYMENT_REMINDER and _too_late_to_remind(message.tracking_number, now):
        settle(message, OutboxMessage.SKIPPED)
        return "skipped"
    phone = _recipient(message, applicant)
    if phone is None:
        settle(message, OutboxMessage.SKIPPED)
        return "skipped"
    # Sent on WhatsApp before, and no receipt settled it in time: this claim is its one SMS.
    channel = "sms" if message.channel == WHATSAPP or about_the_number else applicant.notify_by
    if channel == "voice" and _quiet_hours(now):
        put_back(message, _next_morning(now), None, attempted=False)
        return "deferred"
    slot = take_message_slot(phone, now)
    if slot is None:
        # Anyone can file online naming any phone: past the day's limit, news waits for tomorrow.
        put_back(message, _tomorrow_morning(now), "phone_daily_limit", attempted=False)
        logger.warning("message deferred: the phone's daily limit is reached",
                       extra={"tracking_number": message.tracking_number, "event": message.event})  # fmt: skip
        return "deferred"
    event, values = Event(message.event), _values(message)
    senders = senders or default_senders()
    if channel == WHATSAPP:
        return _hand_to_whatsapp(message, phone, event, values, now, senders, slot)
    # A failure to hand the message over (SNS down, throttled, refusing) leaves it waiting.
    try:
        if channel == "voice":
            provider_id = senders.voice.request_call(phone, voice_ssml(event, values), message.key)
        else:
            provider_id = senders.sms.send(phone, sms_text(event, values))
    except (BotoCoreError, ClientError) as failure:
        give_back_message_slot(slot)
        count(Metric.MESSAGE_FAILED, by=channel)
        return _after_failure(message, now, failure)
    # An SMS that stands in for a WhatsApp message keeps why: refused, failed, or no receipt in time.
    fell_back = (message.last_error or "whatsapp_no_receipt") if message.channel == WHATSAPP else None
    settle(message, OutboxMessage.SENT, channel=channel, provider_message_id=provider_id, error=fell_back)
    _on_the_timeline(message, channel, now)
    logger.info("message sent", extra={"tracking_number": message.tracking_number, "event": message.event,
                                       "channel": channel})  # fmt: skip
    count(Metric.MESSAGE_SENT, by=channel)
    return "sent"


def _hand_to_whatsapp(message: OutboxMessage, phone: str, event: Event, values: MessageValues, now: datetime,
                      senders: Senders, slot: Any) -> str:  # fmt: skip
    """Sends the template and leaves the message waiting for its receipt; refused at once (the
    service down, the template paused), the message falls due for its SMS now, and is sent so."""
    try:
        provider_id = senders.whatsapp.send(cloud_api_message(phone, event, values, callback=message.key))
    except (BotoCoreError, ClientError) as failure:
        give_back_message_slot(slot)
        count(Metric.MESSAGE_FAILED, by=WHATSAPP)
        await_receipt(message, now, None, error=type(failure).__name__)
        logger.warning("WhatsApp refused a message: it goes by SMS", extra={
            "tracking_number": message.tracking_number, "event": message.event, "reason": type(failure).__name__,
        })  # fmt: skip
        return deliver(message.key, now, senders)
    wait = timedelta(minutes=messaging_settings().whatsapp_receipt_wait_minutes)
    await_receipt(message, now + wait, provider_id)
    _on_the_timeline(message, WHATSAPP, now)
    logger.info("message sent", extra={"tracking_number": message.tracking_number, "event": message.event,
                                       "channel": WHATSAPP})  # fmt: skip
    count(Metric.MESSAGE_SENT, by=WHATSAPP)
    return "awaiting_receipt"


def _on_the_timeline(message: OutboxMessage, channel: str, now: datetime) -> None:
    """The request's timeline shows the message went out: its kind and channel, nothing it said.
    A WhatsApp message that falls back to SMS shows both hand-overs, as both happened."""
    key = f"{message.key}#{channel}"
    record_event(HistoryEntry.message_sent(message.tracking_number, key, message.event, channel, now))


def record_receipts(sns_message: str, now: datetime, senders: Senders | None = None) -> Counter[str]:
    """The WhatsApp event destination's subscriber: each receipt settles its message (delivered,
    read) or sends it by SMS now (failed); `sent` says nothing yet. A receipt for a message that
    no longer waits (seen before, or its SMS already claimed) changes nothing."""
    outcomes: Counter[str] = Counter()
    for receipt in receipts(sns_message):
        if receipt.status in ("delivered", "read"):
            outcomes["delivered" if delivered_on_whatsapp(receipt.callback) else "already_settled"] += 1
        elif receipt.status == "failed":
            if failed_on_whatsapp(receipt.callback, now, f"whatsapp_failed:{receipt.error}"):
                count(Metric.MESSAGE_FAILED, by=WHATSAPP)
                outcomes[f"fallback_{deliver(receipt.callback, now, senders)}"] += 1
            else:
                outcomes["already_settled"] += 1
        else:
            outcomes["ignored"] += 1
    return outcomes


def deliver_due(now: datetime, senders: Senders | None = None) -> Counter[str]:
    """The sweeper: every waiting message whose time has come, each at most once."""
    outcomes: Counter[str] = Counter()
    for key in due_messages(now, SWEEP_BATCH):
        outcomes[deliver(key, now, senders)] += 1
    return outcomes


def _after_failure(message: OutboxMessage, now: datetime, failure: Exception) -> str:
    reason = type(failure).__name__
    if message.attempts >= MAX_ATTEMPTS:
        settle(message, OutboxMessage.FAILED, error=reason)
        logger.error("message abandoned after retries", extra={
            "alert": "notification_failed", "tracking_number": message.tracking_number, "event": message.event,
            "reason": reason,
        })  # fmt: skip
        return "failed"
    wait = timedelta(minutes=BACKOFF_MINUTES[min(message.attempts, len(BACKOFF_MINUTES)) - 1])
    put_back(message, now + wait, reason)
    logger.warning("message will be retried", extra={
        "tracking_number": message.tracking_number, "event": message.event, "reason": reason,
        "attempts": message.attempts,
    })  # fmt: skip
    return "retry"


def _recipient(message: OutboxMessage, applicant: ApplicantRecord) -> str | None:
    """The applicant's phone; for the notice to a replaced phone, that phone, kept under the
    version of the message's change (None when it is no longer kept)."""
    if message.event != Event.PHONE_CHANGED_AWAY:
        return applicant.phone
    former = applicant.former_phones.as_dict() if applicant.former_phones else {}
    return former.get(message.values.as_dict().get("former_phone_version", ""))


def _values(message: OutboxMessage) -> MessageValues:
    values = message.values.as_dict()
    pay_by = values.get("pay_by")
    amount = values.get("amount_egp")
    return MessageValues(
        tracking_number=message.tracking_number,
        reference=values.get("reference"),
        amount_egp=int(amount) if amount is not None else None,
        pay_by=date.fromisoformat(pay_by) if pay_by else None,
        district_name_ar=values.get("district_name_ar"),
        portal_address=messaging_settings().portal_address,
    )


def _too_late_to_remind(tracking_number: str, now: datetime) -> bool:
    """Paid, closed, or the invoice already expired: a reminder would only mislead."""
    request = load_request_record(tracking_number)
    if request is None or request.payment is None:
        return True
    payment = request.payment
    return payment.status != "unpaid" or request.status != "awaiting_payment" or now > payment.expires_at


def _quiet_hours(now: datetime) -> bool:
    local = now.astimezone(CAIRO).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def _tomorrow_morning(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(CAIRO).date() + timedelta(days=1), QUIET_UNTIL, tzinfo=CAIRO)


def _next_morning(now: datetime) -> datetime:
    local = now.astimezone(CAIRO)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=CAIRO)
