"""A Query in the local AWS emulation, which reads one partition (tools/local/emulation/queries.py), answers
exactly what moto answers unchanged: the same queries, page by page, against the emulation process
and against moto in this process, compared field by field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.conftest import TEST_REGION

PAIRS, SINGLES = "pairs", "singles"
Client = Callable[[str], Any]


def create_tables(dynamodb: Any) -> None:
    def index(name: str, hash_attribute: str, range_attribute: str | None) -> dict[str, Any]:
        schema = [{"AttributeName": hash_attribute, "KeyType": "HASH"}]
        if range_attribute:
            schema.append({"AttributeName": range_attribute, "KeyType": "RANGE"})
        return {"IndexName": name, "KeySchema": schema, "Projection": {"ProjectionType": "ALL"}}

    dynamodb.create_table(
        TableName=PAIRS,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "colour", "order")
        ],
        GlobalSecondaryIndexes=[index("by_colour", "colour", "order"), index("colour_only", "colour", None)],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.create_table(
        TableName=SINGLES,
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name in ("key", "colour", "order")],
        GlobalSecondaryIndexes=[index("by_colour", "colour", "order")],
        BillingMode="PAY_PER_REQUEST",
    )
    colours = ("red", "blue", "green")
    for number in range(30):
        pair = {"pk": {"S": f"p{number % 4}"}, "sk": {"S": f"s{number:02d}"}, "weight": {"N": str(number % 7)}}
        if number % 5:  # some items are not in the indexes
            pair |= {"colour": {"S": colours[number % 3]}, "order": {"S": f"o{(number * 7) % 10}"}}
        dynamodb.put_item(TableName=PAIRS, Item=pair)
        single = {
            "key": {"S": f"k{number:02d}"},
            "colour": {"S": colours[number % 2]},
            "order": {"S": f"o{number % 6}"},
        }
        dynamodb.put_item(TableName=SINGLES, Item=single)


def values(**named: str | int) -> dict[str, dict[str, str]]:
    return {f":{name}": {"N": str(value)} if isinstance(value, int) else {"S": value} for name, value in named.items()}


QUERIES: list[dict[str, Any]] = [
    {"TableName": PAIRS, "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": values(pk="p1")},
    {"TableName": PAIRS, "KeyConditionExpression": "pk = :pk", "ExpressionAttributeValues": values(pk="p9")},
    {
        "TableName": PAIRS,
        "KeyConditionExpression": "pk = :pk AND sk BETWEEN :low AND :high",
        "ExpressionAttributeValues": values(pk="p2", low="s05", high="s22"),
    },
    {
        "TableName": PAIRS,
        "KeyConditionExpression": "pk = :pk AND begins_with(sk, :start)",
        "ExpressionAttributeValues": values(pk="p3", start="s1"),
    },
    {
        "TableName": PAIRS,
        "KeyConditionExpression": "pk = :pk AND sk > :after",
        "FilterExpression": "weight > :weight",
        "ProjectionExpression": "sk, weight",
        "ExpressionAttributeValues": values(pk="p0", after="s03", weight=2),
    },
    {
        "TableName": PAIRS,
        "IndexName": "by_colour",
        "KeyConditionExpression": "colour = :colour",
        "ExpressionAttributeValues": values(colour="red"),
    },
    {
        "TableName": PAIRS,
        "IndexName": "by_colour",
        "KeyConditionExpression": "colour = :colour AND #order <= :order",
        "ExpressionAttributeNames": {"#order": "order"},
        "ExpressionAttributeValues": values(colour="blue", order="o6"),
    },
    {
        "TableName": PAIRS,
        "IndexName": "colour_only",
        "KeyConditionExpression": "colour = :colour",
        "ExpressionAttributeValues": values(colour="green"),
    },
    {
        "TableName": SINGLES,
        "KeyConditionExpression": "#key = :key",
        "ExpressionAttributeNames": {"#key": "key"},
        "ExpressionAttributeValues": values(key="k07"),
    },
    {
        "TableName": SINGLES,
        "IndexName": "by_colour",
        "KeyConditionExpression": "colour = :colour",
        "ExpressionAttributeValues": values(colour="blue"),
    },
]


def every_page(dynamodb: Any, query: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer to `query` in both orders, whole and two items a page."""
    answers = []
    for forward in (True, False):
        for limit in (None, 2):
            request = query | {"ScanIndexForward": forward} | ({"Limit": limit} if limit else {})
            while True:
                answer = dynamodb.query(**request)
                answer.pop("ResponseMetadata")
                answers.append(answer)
                if "LastEvaluatedKey" not in answer:
                    break
                request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
    return answers


def change_some(dynamodb: Any) -> None:
    """Deletes, moves items out of and into an index, adds a partition: what a history does."""
    dynamodb.delete_item(TableName=PAIRS, Key={"pk": {"S": "p1"}, "sk": {"S": "s01"}})
    dynamodb.delete_item(TableName=SINGLES, Key={"key": {"S": "k07"}})
    dynamodb.update_item(
        TableName=PAIRS,
        Key={"pk": {"S": "p2"}, "sk": {"S": "s02"}},
        UpdateExpression="REMOVE colour",
    )
    dynamodb.update_item(
        TableName=PAIRS,
        Key={"pk": {"S": "p0"}, "sk": {"S": "s00"}},
        UpdateExpression="SET colour = :red, #order = :order",
        ExpressionAttributeNames={"#order": "order"},
        ExpressionAttributeValues=values(red="red", order="o0"),
    )
    dynamodb.put_item(TableName=PAIRS, Item={"pk": {"S": "p9"}, "sk": {"S": "s99"}, "colour": {"S": "red"},
                                             "order": {"S": "o9"}})  # fmt: skip


@pytest.mark.parametrize("changed", [False, True], ids=["as written", "after changes"])
def test_every_query_answers_as_moto_does(emulation: Client, changed: bool) -> None:
    with mock_aws():
        in_process = boto3.client("dynamodb", region_name=TEST_REGION)
        create_tables(in_process)
        if changed:
            change_some(in_process)
        expected = [every_page(in_process, query) for query in QUERIES]
    emulated = emulation("dynamodb")
    create_tables(emulated)
    if changed:
        change_some(emulated)

    answered = [every_page(emulated, query) for query in QUERIES]

    assert sum(len(answer["Items"]) for pages in expected for answer in pages) > 100  # the queries find things
    for query, expected_pages, answered_pages in zip(QUERIES, expected, answered, strict=True):
        assert answered_pages == expected_pages, query
