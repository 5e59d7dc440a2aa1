"""The local AWS emulation's DynamoDB items and stream iterators, no longer kept for ever for moto's
dashboard (tools/local/emulation/server.py applies it).

moto keeps every model instance it ever makes in its class's `instances_tracked` list, for its
dashboard (`/moto-api/data.json`). For DynamoDB that is every item, every copy of an item moto
makes (each Query copies its answers, each UpdateItem the item before it changed, each
transaction copied the tables it named) and every stream record: none of them is ever freed.
The emulation of a stack filled by `make demo` held 14.6 GB after 393 requests (issue 9,
measured), Python's garbage collector walked all those objects on each full collection, and
`/moto-api/data.json`, where the message inbox and the tests read the SMS sent, serialized every
one of them. Here DynamoDB items and stream records are made without being kept: the tables
hold theirs as before, and a copy is freed once it is no longer used. The dashboard no longer
lists DynamoDB items (it listed every copy ever made, so it could not be read anyway); the
other services' models are tracked as before.

Likewise each stream's shard iterators: the figures feeder reads the requests table's stream
every second, and each read makes two iterators at least (GetShardIterator's, and GetRecords'
`NextShardIterator`), 161 in the first 80 s of an e2e stack; the dashboard serialized every one
of them (1.5 KB each), on every one of the inbox's reads, for as long as the stack ran. The
streams backend still holds them, so an iterator handed out still reads, as DynamoDB Streams'
do until they expire.

Applied to the emulation's process only; moto in the tests' own process is untouched.
"""

from __future__ import annotations

from typing import Any


def _untracked(cls: type, *arguments: Any, **keywords: Any) -> Any:
    return object.__new__(cls)


def forget_dynamodb_items() -> None:
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import StreamRecord
    from moto.dynamodbstreams.models import ShardIterator

    for model in (Item, StreamRecord, ShardIterator):
        model.__new__ = staticmethod(_untracked)  # type: ignore[assignment]
        model.instances_tracked = []  # type: ignore[attr-defined]
