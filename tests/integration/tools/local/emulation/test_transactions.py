"""A TransactWriteItems in the local AWS emulation is still all or nothing, now that it is undone item
by item (tools/local/emulation/transactions.py) instead of by copying whole tables: run against the emulation
process itself, through boto3, as the stack's services reach it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

PAIRS, SINGLES = "pairs", "singles"
Client = Callable[[str], Any]


def create_tables(dynamodb: Any) -> None:
    stream = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    dynamodb.create_table(
        TableName=PAIRS,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "colour", "order")
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by_colour",
                "KeySchema": [
                    {"AttributeName": "colour", "KeyType": "HASH"},
                    {"AttributeName": "order", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification=stream,
    )
    dynamodb.create_table(
        TableName=SINGLES,
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification=stream,
    )


def pair(pk: str, sk: str, colour: str, order: str, **more: str) -> dict[str, Any]:
    item = {"pk": {"S": pk}, "sk": {"S": sk}, "colour": {"S": colour}, "order": {"S": order}}
    return item | {name: {"S": value} for name, value in more.items()}


@pytest.fixture
def tables(emulation: Client) -> Any:
    dynamodb = emulation("dynamodb")
    create_tables(dynamodb)
    for item in (
        pair("a", "1", "red", "01", note="first"),
        pair("a", "2", "red", "02"),
        pair("b", "1", "blue", "01"),
    ):
        dynamodb.put_item(TableName=PAIRS, Item=item)
    dynamodb.put_item(TableName=SINGLES, Item={"key": {"S": "kept"}, "count": {"N": "1"}})
    return dynamodb


def stream_records(emulation: Client, table: str) -> list[tuple[str, str]]:
    streams = emulation("dynamodbstreams")
    arn = emulation("dynamodb").describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return [(record["dynamodb"]["SequenceNumber"], record["eventName"]) for record in records]


def everything(emulation: Client) -> dict[str, Any]:
    """All a caller could see: both tables, the index in either order, both streams."""
    dynamodb = emulation("dynamodb")

    def scan(table: str) -> list[dict[str, Any]]:
        return sorted(dynamodb.scan(TableName=table)["Items"], key=repr)

    def by_colour(colour: str, forward: bool) -> list[dict[str, Any]]:
        return dynamodb.query(
            TableName=PAIRS,
            IndexName="by_colour",
            KeyConditionExpression="colour = :colour",
            ExpressionAttributeValues={":colour": {"S": colour}},
            ScanIndexForward=forward,
        )["Items"]

    return {
        "pairs": scan(PAIRS),
        "singles": scan(SINGLES),
        "index": [by_colour(colour, forward) for colour in ("red", "blue", "green") for forward in (True, False)],
        "partition a": dynamodb.query(
            TableName=PAIRS, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": "a"}}
        )["Items"],
        "streams": [stream_records(emulation, PAIRS), stream_records(emulation, SINGLES)],
    }


def writes_of_every_kind() -> list[dict[str, Any]]:
    """A new item, a changed one, a removed one in a table with a sort key and in one without."""
    return [
        {"Put": {"TableName": PAIRS, "Item": pair("c", "1", "green", "01")}},
        {
            "Update": {
                "TableName": PAIRS,
                "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}},
                "UpdateExpression": "SET colour = :blue, note = :changed",
                "ExpressionAttributeValues": {":blue": {"S": "blue"}, ":changed": {"S": "changed"}},
            }
        },
        {"Delete": {"TableName": PAIRS, "Key": {"pk": {"S": "b"}, "sk": {"S": "1"}}}},
        {"Put": {"TableName": SINGLES, "Item": {"key": {"S": "new"}}}},
        {
            "Update": {
                "TableName": SINGLES,
                "Key": {"key": {"S": "kept"}},
                "UpdateExpression": "ADD #count :one",
                "ExpressionAttributeNames": {"#count": "count"},
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
        {"Update": {  # a new item made by an update, in a partition of its own
            "TableName": PAIRS,
            "Key": {"pk": {"S": "d"}, "sk": {"S": "1"}},
            "UpdateExpression": "SET colour = :red, #order = :order",
            "ExpressionAttributeNames": {"#order": "order"},
            "ExpressionAttributeValues": {":red": {"S": "red"}, ":order": {"S": "00"}},
        }},
    ]  # fmt: skip


def refused(dynamodb: Any, operations: list[dict[str, Any]]) -> str:
    with pytest.raises(ClientError) as refusal:
        dynamodb.transact_write_items(TransactItems=operations)
    return refusal.value.response["Error"]["Code"]


@pytest.mark.parametrize("failing_at", ["first", "last"])
def test_a_failing_condition_changes_nothing(emulation: Client, tables: Any, failing_at: str) -> None:
    before = everything(emulation)
    condition = {
        "ConditionCheck": {
            "TableName": PAIRS,
            "Key": {"pk": {"S": "a"}, "sk": {"S": "2"}},
            "ConditionExpression": "note = :first",  # a/2 has no note
            "ExpressionAttributeValues": {":first": {"S": "first"}},
        }
    }
    writes = writes_of_every_kind()
    operations = [condition, *writes] if failing_at == "first" else [*writes, condition]

    assert refused(tables, operations) == "TransactionCanceledException"
    assert everything(emulation) == before


def test_a_condition_on_a_written_item_fails_the_whole_transaction(emulation: Client, tables: Any) -> None:
    before = everything(emulation)
    writes = writes_of_every_kind()
    writes[2]["Delete"]["ConditionExpression"] = "attribute_not_exists(pk)"  # b/1 exists: fails mid-way

    assert refused(tables, writes) == "TransactionCanceledException"
    assert everything(emulation) == before


def test_an_item_named_twice_changes_nothing(emulation: Client, tables: Any) -> None:
    before = everything(emulation)
    writes = writes_of_every_kind()
    twice = [*writes, {"Put": {"TableName": PAIRS, "Item": pair("a", "1", "green", "09")}}]

    assert refused(tables, twice) == "ValidationException"
    assert everything(emulation) == before


def test_a_successful_transaction_writes_everything_and_its_stream_records(emulation: Client, tables: Any) -> None:
    before = everything(emulation)

    tables.transact_write_items(TransactItems=writes_of_every_kind())

    after = everything(emulation)
    pairs = {(item["pk"]["S"], item["sk"]["S"]): item for item in after["pairs"]}
    assert set(pairs) == {("a", "1"), ("a", "2"), ("c", "1"), ("d", "1")}
    assert pairs[("a", "1")]["colour"]["S"] == "blue"
    assert pairs[("a", "1")]["note"]["S"] == "changed"
    assert {item["key"]["S"]: item.get("count") for item in after["singles"]} == {"kept": {"N": "2"}, "new": None}
    assert [item["pk"]["S"] + item["sk"]["S"] for item in after["index"][0]] == ["d1", "a2"]  # red, by order
    assert [item["pk"]["S"] + item["sk"]["S"] for item in after["index"][2]] == ["a1"]  # blue
    new_records = [after["streams"][number][len(before["streams"][number]) :] for number in (0, 1)]
    assert [name for _, name in new_records[0]].count("REMOVE") == 1
    assert [name for _, name in new_records[1]] == ["INSERT", "MODIFY"]


def test_a_stream_reader_keeps_reading_the_same_stream_after_a_failed_transaction(
    emulation: Client, tables: Any
) -> None:
    """moto's rollback used to put a copy of the table in its place, and with it a copy of its
    stream: a reader holding an iterator went on reading the old one and saw nothing new."""
    streams = emulation("dynamodbstreams")
    arn = tables.describe_table(TableName=SINGLES)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    failing = {
        "Put": {
            "TableName": SINGLES,
            "Item": {"key": {"S": "kept"}},
            "ConditionExpression": "attribute_not_exists(#key)",
            "ExpressionAttributeNames": {"#key": "key"},
        }
    }
    assert refused(tables, [failing]) == "TransactionCanceledException"

    tables.put_item(TableName=SINGLES, Item={"key": {"S": "after"}})

    records = streams.get_records(ShardIterator=iterator)["Records"]
    assert [(record["eventName"], record["dynamodb"]["Keys"]["key"]["S"]) for record in records] == [
        ("INSERT", "after")
    ]
