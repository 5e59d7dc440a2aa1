"""SmsSender: one transactional SMS through SNS publish, checked against the exact request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from chalicelib.adapters.sms import SmsSender

PHONE = "+201012345678"
TEXT = "شباك: استلمنا طلبك رقم 1234 5678 9012 8، وسنبلغك بكل جديد."
TRANSACTIONAL = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}


@pytest.fixture
def sns() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("sns", region_name="eu-central-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_it_publishes_to_the_number_as_transactional_with_the_configured_sender_id(
    sns: tuple[Any, Stubber],
) -> None:
    client, stubber = sns
    stubber.add_response(
        "publish",
        {"MessageId": "sms-1"},
        expected_params={
            "PhoneNumber": PHONE,
            "Message": TEXT,
            "MessageAttributes": {
                **TRANSACTIONAL,
                "AWS.SNS.SMS.SenderID": {"DataType": "String", "StringValue": "Shobbak"},
            },
        },
    )

    assert SmsSender(client, "Shobbak").send(PHONE, TEXT) == "sms-1"


@pytest.mark.parametrize("sender_id", [None, ""])
def test_without_a_configured_sender_id_it_sends_none(sns: tuple[Any, Stubber], sender_id: str | None) -> None:
    client, stubber = sns
    stubber.add_response(
        "publish",
        {"MessageId": "sms-2"},
        expected_params={"PhoneNumber": PHONE, "Message": TEXT, "MessageAttributes": TRANSACTIONAL},
    )

    assert SmsSender(client, sender_id).send(PHONE, TEXT) == "sms-2"


def test_a_refusal_reaches_the_caller_as_botocores_error(sns: tuple[Any, Stubber]) -> None:
    client, stubber = sns
    stubber.add_client_error("publish", service_error_code="Throttling", http_status_code=400)

    with pytest.raises(ClientError) as raised:
        SmsSender(client, "Shobbak").send(PHONE, TEXT)

    assert raised.value.response["Error"]["Code"] == "Throttling"
