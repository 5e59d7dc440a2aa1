"""Reads the requests table's stream from the moto server (or moto in process), as Lambda's
event source mapping does when deployed: chalice local never runs stream handlers.

`make run` feeds what it reads to the figures' handler (tools/performance_feeder.py); the
tests read the same records to replay them, twice if they like.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import settings

SHARDS_LOOKED_UP_EVERY = 30


def stream_clients() -> tuple[Any, Any]:
    """DynamoDB and DynamoDB Streams clients for the environment's endpoint (moto's).

    botocore aims DescribeStream at an account-specific host (<account>.streams-ddb...), which
    moto in process does not answer: the regional endpoint is asked for instead."""
    import boto3
    from botocore.config import Config

    return boto3.client("dynamodb"), boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))


class RequestsStream:
    """The records of every shard of the requests table's stream, each read once, in order."""

    def __init__(self) -> None:
        dynamodb, self._streams = stream_clients()
        table = dynamodb.describe_table(TableName=settings().table_name("requests"))["Table"]
        self._arn = table["LatestStreamArn"]
        self._iterators: dict[str, str | None] = {}
        self._shards: list[dict[str, Any]] = []
        self._reads = 0

    def read(self) -> list[dict[str, Any]]:
        """What was written since the last read (everything, the first time)."""
        records: list[dict[str, Any]] = []
        if self._reads % SHARDS_LOOKED_UP_EVERY == 0:  # shards change rarely: not a call per read
            self._shards = self._streams.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        self._reads += 1
        for shard in self._shards:
            shard_id = shard["ShardId"]
            if shard_id not in self._iterators:
                self._iterators[shard_id] = self._streams.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            while self._iterators[shard_id]:
                answer = self._streams.get_records(ShardIterator=self._iterators[shard_id], Limit=1000)
                self._iterators[shard_id] = answer.get("NextShardIterator")
                records.extend(answer["Records"])
                if not answer["Records"]:
                    break
        return records
