"""AWS calls counted by service and operation inside a block (tools/testing/aws_calls.py); botocore's
Stubber answers them, so nothing leaves the process."""

from __future__ import annotations

import boto3
from botocore.client import BaseClient
from botocore.stub import Stubber

from tools.testing.aws_calls import counted_aws_calls


def stubbed_dynamodb() -> tuple[BaseClient, Stubber]:
    client = boto3.client("dynamodb", region_name="eu-south-1", aws_access_key_id="k", aws_secret_access_key="s")
    return client, Stubber(client)


def test_calls_in_the_block_are_counted_by_service_and_operation_and_still_answered() -> None:
    client, stubber = stubbed_dynamodb()
    stubber.add_response("get_item", {"Item": {"key": {"S": "a"}}})
    stubber.add_response("get_item", {})
    stubber.add_response("query", {"Items": [], "Count": 0})

    with stubber, counted_aws_calls() as calls:
        first = client.get_item(TableName="t", Key={"key": {"S": "a"}})
        client.get_item(TableName="t", Key={"key": {"S": "b"}})
        client.query(TableName="t", KeyConditionExpression="#k = :k")

    assert first["Item"] == {"key": {"S": "a"}}
    assert calls == {"dynamodb:GetItem": 2, "dynamodb:Query": 1}


def test_calls_outside_the_block_are_not_counted() -> None:
    client, stubber = stubbed_dynamodb()
    stubber.add_response("get_item", {})
    stubber.add_response("get_item", {})

    with stubber:
        with counted_aws_calls() as calls:
            pass
        client.get_item(TableName="t", Key={"key": {"S": "a"}})
        with counted_aws_calls() as later:
            client.get_item(TableName="t", Key={"key": {"S": "a"}})

    assert calls == {}
    assert later == {"dynamodb:GetItem": 1}
