"""Voice calls: a request for a call published to the voice topic, and the subscriber placing
it with send_voice_message (checked with botocore's Stubber: moto does not emulate that API)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.adapters.voice import ARABIC_VOICE, VoiceCaller, VoiceCallRequests

REGION = "eu-central-1"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{DEFAULT_ACCOUNT_ID}:shobbak-local-voice-calls"
PHONE = "+201012345678"
ORIGIN = "+20221234567"
KEY = "1234567890128#000001#submitted"
SSML = (
    '<speak>هذه رسالة من شباك، محافظة الجيزة.<break time="500ms"/>استلمنا طلبك رقم '
    '<say-as interpret-as="digits">1234567890128</say-as>.</speak>'
)


@pytest.fixture
def voice() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("pinpoint-sms-voice-v2", region_name=REGION)
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def call_request(phone: str = PHONE, ssml: str = SSML, key: str = KEY) -> str:
    return json.dumps({"phone": phone, "ssml": ssml, "message_key": key}, ensure_ascii=False)


def test_arabic_calls_are_read_by_zeina() -> None:
    assert ARABIC_VOICE == "ZEINA"


def test_the_call_is_placed_with_the_exact_send_voice_message_request(voice: tuple[Any, Stubber]) -> None:
    client, stubber = voice
    stubber.add_response(
        "send_voice_message",
        {"MessageId": "call-1"},
        expected_params={
            "DestinationPhoneNumber": PHONE,
            "OriginationIdentity": ORIGIN,
            "MessageBody": SSML,
            "MessageBodyTextType": "SSML",
            "VoiceId": "ZEINA",
            "Context": {"message_key": KEY},
        },
    )

    assert VoiceCaller(client, ORIGIN).place_call(call_request()) == "call-1"


def test_a_refused_call_reaches_the_subscriber_as_botocores_error(voice: tuple[Any, Stubber]) -> None:
    client, stubber = voice
    stubber.add_client_error("send_voice_message", service_error_code="ThrottlingException", http_status_code=400)

    with pytest.raises(ClientError):
        VoiceCaller(client, ORIGIN).place_call(call_request())


def test_a_request_for_a_call_is_published_to_the_topic_as_exact_json() -> None:
    client = boto3.client("sns", region_name=REGION)
    with Stubber(client) as stubber:
        stubber.add_response(
            "publish", {"MessageId": "topic-1"}, expected_params={"TopicArn": TOPIC_ARN, "Message": call_request()}
        )

        assert VoiceCallRequests(client, TOPIC_ARN).request_call(PHONE, SSML, KEY) == "topic-1"
        stubber.assert_no_pending_responses()


def test_what_the_topic_carries_is_what_the_subscriber_places(aws: None, voice: tuple[Any, Stubber]) -> None:
    VoiceCallRequests(boto3.client("sns", region_name=REGION), TOPIC_ARN).request_call(PHONE, SSML, KEY)
    [(_, published, *_)] = sns_backends[DEFAULT_ACCOUNT_ID][REGION].topics[TOPIC_ARN].sent_notifications
    client, stubber = voice
    stubber.add_response(
        "send_voice_message",
        {"MessageId": "call-2"},
        expected_params={
            "DestinationPhoneNumber": PHONE,
            "OriginationIdentity": ORIGIN,
            "MessageBody": SSML,
            "MessageBodyTextType": "SSML",
            "VoiceId": "ZEINA",
            "Context": {"message_key": KEY},
        },
    )

    assert json.loads(published) == {"phone": PHONE, "ssml": SSML, "message_key": KEY}
    assert "شباك" in published, "Arabic travels as itself, not as \\u escapes"
    assert VoiceCaller(client, ORIGIN).place_call(published) == "call-2"
