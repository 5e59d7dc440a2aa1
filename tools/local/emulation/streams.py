"""The local AWS emulation's DynamoDB streams, kept short (tools/local/emulation/server.py applies it).

moto keeps every stream record for ever, and each TransactWriteItems deep-copies every table
it touches, stream records included (DOMAIN.md, bench/run.py): left alone, a local stack that
has taken a few hundred requests spends seconds copying records nobody will read again. Here,
once a reader asks for the records after a sequence number, those before it are dropped (the
requests stream has one reader, tools/local/figures_feeder.py), and a stream nobody reads keeps
only its latest records (the outbox's: locally the relay sweeps the `due` index instead).

Applied to the emulation's process only (`make run`, the end-to-end tests' stack); moto in the
tests' own process is untouched.
"""

from __future__ import annotations

from typing import Any

UNREAD_RECORDS_KEPT = 100


def keep_streams_short() -> None:
    from moto.dynamodb.models.table import StreamShard
    from moto.dynamodbstreams.models import ShardIterator

    adding = StreamShard.add
    getting = ShardIterator.get

    def drop_before(shard: Any, sequence_number: int) -> None:
        dropped = min(max(0, sequence_number - shard.starting_sequence_number), len(shard.items))
        if dropped:
            del shard.items[:dropped]
            shard.starting_sequence_number += dropped

    def add(self: Any, old: Any, new: Any) -> None:
        adding(self, old, new)
        if not getattr(self, "has_reader", False) and len(self.items) > UNREAD_RECORDS_KEPT:
            drop_before(self, self.starting_sequence_number + len(self.items) - UNREAD_RECORDS_KEPT)

    def get(self: Any, limit: int = 1000) -> dict[str, Any]:
        # A reader that lagged behind what was dropped resumes at the oldest record kept.
        self.stream_shard.has_reader = True  # from now on only what was read is dropped
        self.sequence_number = max(self.sequence_number, self.stream_shard.starting_sequence_number)
        drop_before(self.stream_shard, self.sequence_number)
        return getting(self, limit)

    StreamShard.add = add
    ShardIterator.get = get
