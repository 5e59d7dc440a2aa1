"""The local AWS emulation keeps its DynamoDB streams short (tools/local/emulation/streams.py): a
stream nobody reads keeps its latest records, and once read, what was read goes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tools.local.emulation.streams import UNREAD_RECORDS_KEPT

Client = Callable[[str], Any]


def table_with_stream(emulation: Client, name: str) -> tuple[Any, Any, str, str]:
    dynamodb, streams = emulation("dynamodb"), emulation("dynamodbstreams")
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    arn = dynamodb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    return dynamodb, streams, arn, shard


def put(dynamodb: Any, table: str, numbers: range) -> None:
    for number in numbers:
        dynamodb.put_item(TableName=table, Item={"key": {"S": f"k{number:04d}"}})


def read_all(streams: Any, arn: str, shard: str, **position: str) -> list[str]:
    kind = position if position else {"ShardIteratorType": "TRIM_HORIZON"}
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, **kind)["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator, Limit=1000)["Records"]
    return [record["dynamodb"]["Keys"]["key"]["S"] for record in records]


def test_a_stream_nobody_reads_keeps_only_its_latest_records(emulation: Client) -> None:
    dynamodb, streams, arn, shard = table_with_stream(emulation, "unread")

    put(dynamodb, "unread", range(UNREAD_RECORDS_KEPT + 30))

    kept = read_all(streams, arn, shard)
    assert kept == [f"k{number:04d}" for number in range(30, UNREAD_RECORDS_KEPT + 30)]


def test_a_read_stream_drops_what_was_read_and_keeps_everything_unread(emulation: Client) -> None:
    dynamodb, streams, arn, shard = table_with_stream(emulation, "read")
    put(dynamodb, "read", range(10))
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    first = streams.get_records(ShardIterator=iterator["ShardIterator"], Limit=1000)["Records"]
    last_read = first[-1]["dynamodb"]["SequenceNumber"]

    put(dynamodb, "read", range(10, 10 + UNREAD_RECORDS_KEPT + 20))  # a reader now: nothing unread is dropped

    after = read_all(streams, arn, shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=last_read)
    assert after == [f"k{number:04d}" for number in range(10, 10 + UNREAD_RECORDS_KEPT + 20)]
    assert read_all(streams, arn, shard)[0] != "k0000"  # what was read is gone
