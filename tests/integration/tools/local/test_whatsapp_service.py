"""The local stand-in for End User Messaging Social: it keeps each WhatsApp message for the inbox
and publishes the status events the service would, as the service words them
(tools/local/whatsapp_service.py)."""

from __future__ import annotations

import base64
import json
from typing import Any

import boto3
import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from tests.conftest import TEST_REGION
from tools.local.whatsapp_service import SWITCHES, WhatsAppStandIn, event

PHONE = "+201012345678"


def request_body(phone: str, callback: str = "1234567890128#000001#submitted") -> bytes:
    """SendWhatsAppMessage's body as botocore sends it: Meta's message, base64-encoded."""
    message = {
        "to": phone,
        "biz_opaque_callback_data": callback,
        "template": {
            "name": "shobbak_received_pay",
            "components": [{"type": "body", "parameters": [{"text": "1234 5678 9012 8"}, {"text": "1000"},
                                                             {"text": "1234 5678 9012 801"}]}],
        },
    }  # fmt: skip
    return json.dumps({"message": base64.b64encode(json.dumps(message).encode()).decode()}).encode()


@pytest.fixture
def stand_in(aws: None) -> WhatsAppStandIn:
    sns = boto3.client("sns", region_name=TEST_REGION)
    [topic] = [t["TopicArn"] for t in sns.list_topics()["Topics"] if t["TopicArn"].endswith("-whatsapp-events")]
    return WhatsAppStandIn(sns, topic)


def published(stand_in: WhatsAppStandIn) -> list[dict[str, Any]]:
    """Each status of each event published to the topic, read back as the subscriber reads it."""
    topic = sns_backends[DEFAULT_ACCOUNT_ID][TEST_REGION].topics[stand_in.topic_arn]
    statuses = []
    for _, message, *_ in topic.sent_notifications:
        entry = json.loads(json.loads(message)["whatsAppWebhookEntry"])
        statuses += entry["changes"][0]["value"]["statuses"]
    return statuses


def test_a_message_is_kept_as_the_citizen_reads_it_and_reported_sent_then_delivered(stand_in: WhatsAppStandIn) -> None:
    answer = stand_in.send(request_body(PHONE))

    assert answer["messageId"]
    [kept] = stand_in.sent
    assert (kept.to, kept.outcome) == (PHONE, "delivered")
    assert kept.text == (
        "شباك: استلمنا طلبك رقم 1234 5678 9012 8. سدد رسومه 1000 جنيه عبر فوري بالرقم المرجعي 1234 5678 9012 801"
        " قبل انتهاء مهلة السداد."
    )
    statuses = published(stand_in)
    assert [status["status"] for status in statuses] == ["sent", "delivered"]
    assert {status["recipient_id"] for status in statuses} == {"201012345678"}
    assert {status["biz_opaque_callback_data"] for status in statuses} == {"1234567890128#000001#submitted"}


@pytest.mark.parametrize(("switch", "after_sent"), [("not_on_whatsapp", 131026), ("fails", 131049)])
def test_a_switched_phone_fails_with_metas_error(stand_in: WhatsAppStandIn, switch: str, after_sent: int) -> None:
    stand_in.switch(PHONE, switch)

    stand_in.send(request_body(PHONE))

    sent, failed = published(stand_in)
    assert (sent["status"], failed["status"]) == ("sent", "failed")
    assert failed["errors"][0]["code"] == after_sent
    assert stand_in.sent[0].outcome == switch


def test_a_silent_phone_gets_no_receipt_and_other_phones_are_not_switched(stand_in: WhatsAppStandIn) -> None:
    stand_in.switch(PHONE, "silent")

    stand_in.send(request_body(PHONE))
    stand_in.send(request_body("+201112345678"))

    assert [status["status"] for status in published(stand_in)] == ["sent", "sent", "delivered"]


def test_only_the_known_switches_are_taken(stand_in: WhatsAppStandIn) -> None:
    assert SWITCHES == ("delivered", "not_on_whatsapp", "fails", "silent")
    with pytest.raises(ValueError, match="lost"):
        stand_in.switch(PHONE, "lost")


def test_an_event_carries_the_services_header_and_metas_webhook_entry() -> None:
    published_event = event(PHONE, "callback", "failed", (131026, "Message undeliverable"))

    assert published_event["context"]["MetaWabaIds"] == [{"wabaId": "local-waba"}]
    entry = json.loads(published_event["whatsAppWebhookEntry"])
    [status] = entry["changes"][0]["value"]["statuses"]
    assert status["id"].startswith("wamid.")
    assert status["errors"] == [{"code": 131026, "title": "Message undeliverable"}]
    assert (
        "errors"
        not in json.loads(event(PHONE, "c", "sent")["whatsAppWebhookEntry"])["changes"][0]["value"]["statuses"][0]
    )
