"""The local AWS emulation's TransactWriteItems, undone item by item (tools/local/emulation/server.py applies it).

moto makes a transaction all-or-nothing by deep-copying, before it starts, every table the
transaction names, and by putting those copies in place of the tables when an operation fails.
The copy costs as much as the tables hold: with a thousand requests in the stack (about ten
items each, with their outbox messages and the stream records) every submission, move and
payment spent most of its time copying items it never touched, and `make demo` slowed down as
it went (issue 9). Putting a copy in place of the table also swapped the table's stream for the
copy's, so a stream reader holding the old one stopped seeing new records.

Here a transaction keeps, before it starts, a copy of only the items it names (at most 100,
one operation each) and the position of each of their tables' streams; when moto reports that
the transaction failed, those items are put back as they were and the stream records it added
are dropped. moto's own copies are not made: the tables stay the objects they are. A failing
transaction therefore still changes nothing (items, indexes, which moto derives from the items,
and streams), and a successful one is unchanged. This relies on the emulation answering one call
at a time (nothing else writes between the copy and the undo), which tools/local/emulation/server.py does.

Applied to the emulation's process only; moto in the tests' own process is untouched.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

TRANSACTION_OPERATIONS = ("ConditionCheck", "Put", "Delete", "Update")


@dataclass
class _ItemBefore:
    table: Any  # moto.dynamodb.models.table.Table
    hash_key: Any  # DynamoType
    range_key: Any  # DynamoType | None
    item: Any  # a copy of the Item as it was, or None when there was none


@dataclass
class _Undo:
    """What a transaction must restore if it fails: its items as they were, its tables' streams' ends."""

    items: list[_ItemBefore]
    stream_ends: list[tuple[Any, int]]  # (StreamShard, the sequence number its next record gets)

    def apply(self) -> None:
        # In reverse, so that an item named twice (moto refuses that, after writing the first)
        # ends up as it was before the first.
        for before in reversed(self.items):
            _put_back(before)
        for shard, next_sequence_number in self.stream_ends:
            kept = max(0, next_sequence_number - shard.starting_sequence_number)
            del shard.items[kept:]


def _put_back(before: _ItemBefore) -> None:
    table = before.table
    if table.range_key_attr is None:
        if before.item is None:
            table.items.pop(before.hash_key, None)
        else:
            table.items[before.hash_key] = before.item
        return
    partition = table.items.get(before.hash_key)
    if before.item is not None:
        table.items[before.hash_key][before.range_key] = before.item
    elif partition is not None:
        partition.pop(before.range_key, None)
        if not partition:
            del table.items[before.hash_key]


def _undo_record(backend: Any, transact_items: list[dict[str, Any]]) -> _Undo:
    """Copies of the items the transaction names, as they are now. An operation whose table or key
    cannot be read is left out: moto fails it before it writes anything."""
    items: list[_ItemBefore] = []
    tables: dict[str, Any] = {}
    for operation in transact_items:
        for kind, details in operation.items():
            if kind not in TRANSACTION_OPERATIONS or not isinstance(details, dict):
                continue
            table = backend.tables.get(details.get("TableName"))
            if table is None:
                continue
            try:
                key = details["Item"] if kind == "Put" else details["Key"]
                hash_key, range_key = backend.get_keys_value(table, key)
            except Exception:  # noqa: S112 - a malformed operation is refused by moto, unwritten
                continue
            current = table.get_item(hash_key, range_key)
            items.append(_ItemBefore(table, hash_key, range_key, copy.deepcopy(current)))
            tables[table.name] = table
    stream_ends = [
        (table.stream_shard, table.stream_shard.starting_sequence_number + len(table.stream_shard.items))
        for table in tables.values()
        if table.stream_shard is not None
    ]
    return _Undo(items, stream_ends)


class _TablesNotCopied:
    """Stands for the `copy` module inside moto's DynamoDB backend: tables are handed back as they
    are (moto's rollback then puts each table in its own place, which changes nothing), anything
    else is copied as before."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def undo_transactions_item_by_item() -> None:
    import moto.dynamodb.models as backend_module

    transact = backend_module.DynamoDBBackend.transact_write_items

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        undo = _undo_record(self, transact_items)
        try:
            transact(self, transact_items)
        except BaseException:
            undo.apply()
            raise

    backend_module.copy = _TablesNotCopied  # type: ignore[assignment]
    backend_module.DynamoDBBackend.transact_write_items = transact_write_items
