"""The local AWS emulation no longer keeps every DynamoDB item and stream iterator it made
(tools/local/emulation/models.py): its tables still hold and answer theirs, its streams still read
through the iterators they hand out, its dashboard data still shows the SMS sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.integration.tools.local.conftest import dashboard_data

Client = Callable[[str], Any]


def test_items_are_held_by_their_table_only(emulation: Client, emulation_url: str) -> None:
    dynamodb = emulation("dynamodb")
    dynamodb.create_table(
        TableName="things",
        KeySchema=[{"AttributeName": "key", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "key", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    for number in range(20):
        dynamodb.put_item(TableName="things", Item={"key": {"S": f"k{number}"}, "count": {"N": "0"}})
        dynamodb.update_item(
            TableName="things",
            Key={"key": {"S": f"k{number}"}},
            UpdateExpression="ADD #count :one",
            ExpressionAttributeNames={"#count": "count"},
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    emulation("sns").publish(PhoneNumber="+201012345678", Message="رسالة")
    streams = emulation("dynamodbstreams")
    stream = dynamodb.describe_table(TableName="things")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=stream)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    first = streams.get_records(ShardIterator=iterator["ShardIterator"])
    after = streams.get_records(ShardIterator=first["NextShardIterator"])  # as the figures feeder reads on

    data = dashboard_data(emulation_url)

    assert data["dynamodb"]["Item"] == []
    assert data["dynamodb"]["StreamRecord"] == []
    assert data["dynamodbstreams"]["ShardIterator"] == []
    assert [record["eventName"] for record in first["Records"]] == ["INSERT", "MODIFY"] * 20
    assert after["Records"] == []
    assert [table["name"] for table in data["dynamodb"]["Table"]] == ["things"]
    assert [message["message"] for message in data["sns"]["SMS"]] == ["رسالة"]
    items = dynamodb.scan(TableName="things")["Items"]
    assert sorted((item["key"]["S"], item["count"]["N"]) for item in items) == sorted(
        (f"k{number}", "1") for number in range(20)
    )
