"""Reads the requests table's stream from the moto server (or moto in process), as Lambda's
event source mapping does when deployed: chalice local never runs stream handlers.

`make run` feeds what it reads to the figures' handler (tools/local/figures_feeder.py); the
tests read the same records to replay them, twice if they like.
"""

from __future__ import annotations

from typing import Any

from chalicelib.config import table_name

SHARDS_LOOKED_UP_EVERY = 30


def stream_clients() -> tuple[Any, Any]:
    """DynamoDB and DynamoDB Streams clients for the environment's endpoint (moto's).

    botocore aims DescribeStream at an account-specific host (<account>.streams-ddb...), which
    moto in process does not answer: the regional endpoint is asked for instead."""
    import boto3
    from botocore.config import Config

    return boto3.client("dynamodb"), boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))


class RequestsStream:
    """The records of every shard of the requests table's stream, each read once, in order.

    Each read asks a fresh iterator after the last record read, rather than following the
    iterator the previous read handed back: moto replaces a table's stream, object and all,
    when it rolls a failed transaction back, and an old iterator would read the old one for ever.
    """

    def __init__(self) -> None:
        dynamodb, self._streams = stream_clients()
        table = dynamodb.describe_table(TableName=table_name("requests"))["Table"]
        self._arn = table["LatestStreamArn"]
        self._last: dict[str, str] = {}  # shard id -> the sequence number of the last record read
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
            position: dict[str, str] = {"ShardIteratorType": "TRIM_HORIZON"}
            if shard_id in self._last:
                position = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": self._last[shard_id]}
            iterator = self._streams.get_shard_iterator(StreamArn=self._arn, ShardId=shard_id, **position)
            next_iterator = iterator["ShardIterator"]
            while next_iterator:
                answer = self._streams.get_records(ShardIterator=next_iterator, Limit=1000)
                if not answer["Records"]:
                    break
                records.extend(answer["Records"])
                self._last[shard_id] = answer["Records"][-1]["dynamodb"]["SequenceNumber"]
                next_iterator = answer.get("NextShardIterator")
        return records
