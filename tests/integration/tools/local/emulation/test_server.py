"""The local AWS emulation's server (tools/local/emulation/server.py): moto's services, one call at
a time, with every patch applied; started as `make run` starts it (tests/integration/tools/local/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.conftest import TEST_REGION
from tests.integration.tools.local.conftest import dashboard_data

Client = Callable[[str], Any]


def test_it_answers_the_services_the_stack_uses(emulation: Client) -> None:
    dynamodb = emulation("dynamodb")
    dynamodb.create_table(
        TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )  # fmt: skip
    emulation("s3").create_bucket(Bucket="documents", CreateBucketConfiguration={"LocationConstraint": TEST_REGION})
    topic = emulation("sns").create_topic(Name="notices")["TopicArn"]

    assert dynamodb.list_tables()["TableNames"] == ["t"]
    assert [bucket["Name"] for bucket in emulation("s3").list_buckets()["Buckets"]] == ["documents"]
    assert topic.endswith(":notices")


def test_its_patches_are_applied_items_are_not_kept_for_the_dashboard(emulation: Client, emulation_url: str) -> None:
    dynamodb = emulation("dynamodb")
    dynamodb.create_table(
        TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )  # fmt: skip
    dynamodb.put_item(TableName="t", Item={"k": {"S": "one"}})

    assert dashboard_data(emulation_url)["dynamodb"]["Item"] == []  # models.py's patch, in the server only


def test_callers_at_once_are_answered_one_call_at_a_time_and_lose_nothing(emulation: Client) -> None:
    dynamodb = emulation("dynamodb")
    dynamodb.create_table(
        TableName="t", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
    )  # fmt: skip

    callers = [emulation("dynamodb") for _ in range(6)]  # made here: making clients is not thread-safe

    def add(number: int) -> None:
        callers[number % len(callers)].update_item(
            TableName="t", Key={"k": {"S": "counter"}}, UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(add, range(60)))

    assert dynamodb.get_item(TableName="t", Key={"k": {"S": "counter"}})["Item"]["n"] == {"N": "60"}
