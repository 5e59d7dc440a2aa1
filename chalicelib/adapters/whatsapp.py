"""WhatsApp through AWS End User Messaging Social: one template message to one number, and the
delivery receipts the service publishes to its event destination (an SNS topic).

A message is sent to a number whether or not it is on WhatsApp: the answer is only that the
message was accepted. What became of it comes later, as events: `sent`, `delivered`, `read`, or
`failed` (a number not on WhatsApp is a `failed` event). Each event carries Meta's webhook entry,
whose statuses carry back the message's `biz_opaque_callback_data`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalicelib.observability.logs import logger

# The Meta Graph API version the message object is written for (AWS passes it through).
META_API_VERSION = "v20.0"


@dataclass(frozen=True)
class WhatsAppSender:
    """Sends one template message from the governorate's WhatsApp business number."""

    # Gives the boto3 socialmessaging client, made on the first WhatsApp message only: a process
    # that sends none (most of them) never pays for parsing the service's model.
    social: Callable[[], Any]
    phone_number_id: str  # the business number's id in End User Messaging Social (phone-number-id-...)

    def send(self, message: dict[str, Any]) -> str:
        """Hands the message (Meta's Cloud API message object) over; returns its message id.
        Raises botocore's errors when the service refuses it or cannot be reached."""
        answer = self.social().send_whatsapp_message(
            originationPhoneNumberId=self.phone_number_id,
            message=json.dumps(message, ensure_ascii=False).encode("utf-8"),
            metaApiVersion=META_API_VERSION,
        )
        return str(answer["messageId"])


@dataclass(frozen=True)
class Receipt:
    """What one status event says about one message we sent."""

    callback: str  # the outbox message's key, as sent in biz_opaque_callback_data
    status: str  # "sent", "delivered", "read" or "failed"
    error: str | None = None  # Meta's error code, for a failure


def receipts(sns_message: str) -> list[Receipt]:
    """The receipts in one event End User Messaging Social published (the SNS message's body):
    its `whatsAppWebhookEntry` is Meta's webhook entry, as a JSON string
    (docs.aws.amazon.com/social-messaging/latest/userguide/managing-event-destination-dlrs.html).
    Statuses of messages we did not tag (none of ours) and incoming messages are left out; so is
    anything not of the shape Meta documents, counted in one warning that quotes none of it (the
    topic is the WABA's, and an event is never worth a retry: it will not become readable)."""
    unreadable = 0
    found = []
    for status in _statuses(_json_object(sns_message)):
        receipt = _receipt(status)
        if receipt is None:
            unreadable += status is not _UNTAGGED
        else:
            found.append(receipt)
    if unreadable:
        logger.warning("WhatsApp event with statuses of an unknown shape left out", extra={"unreadable": unreadable})
    return found


# An outbox message's key (store/outbox.py key_for): "<tracking number>#<version>#<event>".
_OUTBOX_KEY = re.compile(r"[0-9A-Za-z-]{1,40}#[0-9]{6}#[a-z_]{1,40}")
_STATUS = re.compile(r"[a-z_]{1,40}")
_ERROR_CODE = re.compile(r"[0-9]{1,10}")
_UNTAGGED: dict[str, Any] = {}  # a status with no callback: another sender's, not ours to read


def _json_object(text: Any) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    if not isinstance(text, str):
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _statuses(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Every status of the entry's changes, as dicts; untagged ones as _UNTAGGED."""
    entry = _json_object(event.get("whatsAppWebhookEntry"))
    found: list[dict[str, Any]] = []
    for change in _list(entry.get("changes")):
        value = change.get("value") if isinstance(change, dict) else None
        for status in _list(value.get("statuses") if isinstance(value, dict) else None):
            tagged = isinstance(status, dict) and "biz_opaque_callback_data" in status
            found.append(status if tagged else _UNTAGGED)
    return found


def _receipt(status: dict[str, Any]) -> Receipt | None:
    callback, state = status.get("biz_opaque_callback_data"), status.get("status")
    if not (isinstance(callback, str) and _OUTBOX_KEY.fullmatch(callback)):
        return None
    if not (isinstance(state, str) and _STATUS.fullmatch(state)):
        return None
    errors = _list(status.get("errors"))
    code = errors[0].get("code") if errors and isinstance(errors[0], dict) else None
    error = str(code) if isinstance(code, int | str) and _ERROR_CODE.fullmatch(str(code)) else None
    return Receipt(callback, state, error)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
