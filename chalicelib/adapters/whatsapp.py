"""WhatsApp through AWS End User Messaging Social: one template message to one number, and the
delivery receipts the service publishes to its event destination (an SNS topic).

A message is sent to a number whether or not it is on WhatsApp: the answer is only that the
message was accepted. What became of it comes later, as events: `sent`, `delivered`, `read`, or
`failed` (a number not on WhatsApp is a `failed` event). Each event carries Meta's webhook entry,
whose statuses carry back the message's `biz_opaque_callback_data`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    its `whatsAppWebhookEntry` is Meta's webhook entry, as a JSON string. Statuses of messages
    we did not tag (none of ours) and incoming messages are left out."""
    event = json.loads(sns_message)
    entry = event.get("whatsAppWebhookEntry")
    if isinstance(entry, str):
        entry = json.loads(entry)
    found = []
    for change in (entry or {}).get("changes", []):
        for status in change.get("value", {}).get("statuses", []):
            callback = status.get("biz_opaque_callback_data")
            if not callback:
                continue
            errors = status.get("errors") or [{}]
            code = errors[0].get("code")
            found.append(Receipt(callback, str(status.get("status")), str(code) if code is not None else None))
    return found
