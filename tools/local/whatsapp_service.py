"""The local stand-in for AWS End User Messaging Social, which moto lacks: it takes the real
adapter's SendWhatsAppMessage (botocore sends it here: AWS_ENDPOINT_URL_SOCIALMESSAGING), keeps
the message for the inbox, and publishes to the local WhatsApp events topic the status events
the service would (sent, then delivered or failed), in its format: an AWS header and Meta's
webhook entry as a JSON string. The real subscriber (record_whatsapp_receipts) reads them.

A switch per phone number shows the fallback: "not_on_whatsapp" (Meta's error 131026),
"fails" (131049, not delivered) or "silent" (no receipt: the SMS after the wait).
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.whatsapp import TEMPLATES

DELIVERED, NOT_ON_WHATSAPP, FAILS, SILENT = "delivered", "not_on_whatsapp", "fails", "silent"
SWITCHES = (DELIVERED, NOT_ON_WHATSAPP, FAILS, SILENT)
_ERROR = {NOT_ON_WHATSAPP: (131026, "Message undeliverable"), FAILS: (131049, "Meta chose not to deliver")}


@dataclass
class SentWhatsApp:
    to: str
    text: str  # the approved template's body with its variables filled in, as the citizen reads it
    outcome: str


@dataclass
class WhatsAppStandIn:
    sns: Any  # a boto3 SNS client of the moto server
    topic_arn: str
    sent: list[SentWhatsApp] = field(default_factory=list)
    switches: dict[str, str] = field(default_factory=dict)  # phone (E.164) -> one of SWITCHES
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def switch(self, phone: str, outcome: str) -> None:
        if outcome not in SWITCHES:
            raise ValueError(outcome)
        with self._lock:
            self.switches[phone] = outcome

    def send(self, request_body: bytes) -> dict[str, str]:
        """SendWhatsAppMessage: the REST-JSON body botocore sends (the message base64-encoded)."""
        message = json.loads(base64.b64decode(json.loads(request_body)["message"]))
        phone, callback = message["to"], message.get("biz_opaque_callback_data", "")
        with self._lock:
            outcome = self.switches.get(phone, DELIVERED)
            self.sent.append(SentWhatsApp(phone, _rendered(message["template"]), outcome))
        message_id = str(uuid.uuid4())
        self._publish(phone, callback, "sent")
        if outcome != SILENT:
            self._publish(phone, callback, "delivered" if outcome == DELIVERED else "failed", _ERROR.get(outcome))
        return {"messageId": message_id}

    def _publish(self, phone: str, callback: str, status: str, error: tuple[int, str] | None = None) -> None:
        self.sns.publish(TopicArn=self.topic_arn, Message=json.dumps(event(phone, callback, status, error)))


def event(phone: str, callback: str, status: str, error: tuple[int, str] | None = None) -> dict[str, Any]:
    """One status event as End User Messaging Social publishes it to the WABA's event destination."""
    entry_status: dict[str, Any] = {
        "id": f"wamid.{uuid.uuid4().hex}",
        "status": status,
        "timestamp": str(int(datetime.now(UTC).timestamp())),
        "recipient_id": phone.removeprefix("+"),
        "biz_opaque_callback_data": callback,
    }
    if error:
        entry_status["errors"] = [{"code": error[0], "title": error[1]}]
    entry = {
        "id": "local-waba",
        "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "20200000000", "phone_number_id": "local-number"},
            "statuses": [entry_status],
        }}],
    }  # fmt: skip
    return {
        "context": {"MetaWabaIds": [{"wabaId": "local-waba"}], "MetaPhoneNumberIds": []},
        "whatsAppWebhookEntry": json.dumps(entry, ensure_ascii=False),
        "message_timestamp": datetime.now(UTC).isoformat(),
        "messageId": str(uuid.uuid4()),
    }


def _rendered(template: dict[str, Any]) -> str:
    body = TEMPLATES[template["name"]].body
    components = template.get("components", [])
    values = [parameter["text"] for component in components for parameter in component["parameters"]]
    for number, value in enumerate(values, start=1):
        body = body.replace(f"{{{{{number}}}}}", value)
    return body
