"""The local AWS emulation's Query, reading one partition instead of sorting the whole table
(tools/local/emulation/server.py applies it).

moto answers every Query by sorting every item of the table (`Table.all_items`) and then keeping
those of the partition asked for; an index Query sorts them all as well, then sorts the ones it
keeps again by the index's keys. With a thousand requests in the stack (`make demo`, issue 9) the
requests table holds several thousand items, and every request read (`load_request`, one Query of
its partition) paid for sorting all of them.

moto keeps a table's items by partition key already (`table.items[hash_key]`), so here a table
Query runs moto's own code on a view of the table that holds that one partition, and an index
Query on a view whose items are not sorted first (moto's second sort orders them by the index's
keys then the table's, which no two items share, so the first sort never decided anything).
Answers, pages and their `LastEvaluatedKey` are the ones moto gives
(tests/integration/tools/local/emulation/test_queries.py compares them with moto's).
Applied to the emulation's process only.
"""

from __future__ import annotations

from typing import Any


def _view(table: Any) -> Any:
    """A shallow copy of the table that Query may read through. Made without the table class's
    constructor, which moto's models use to keep every instance for its dashboard, for ever."""
    view = object.__new__(type(table))
    view.__dict__.update(table.__dict__)
    return view


def _partition_view(table: Any, hash_key: Any) -> Any:
    """The table as moto's Query sees it, holding only the partition of `hash_key`."""
    view = _view(table)
    partition = table.items.get(hash_key)
    view.items = {} if partition is None else {hash_key: partition}
    return view


def _unsorted_view(table: Any) -> Any:
    """The table as moto's index Query sees it, without the sort of every item it does not need."""
    view = _view(table)

    def all_items() -> list[Any]:
        if table.range_key_attr is None:
            return list(table.items.values())
        return [item for partition in table.items.values() for item in partition.values()]

    view.all_items = all_items
    return view


def query_partitions_directly() -> None:
    from moto.dynamodb.models.table import Table

    querying = Table.query

    # moto's backend passes the first eight arguments by position, `index_name` the eighth.
    def query(
        self: Any,
        hash_key: Any,
        range_comparison: str | None,
        range_objs: list[Any],
        limit: int,
        exclusive_start_key: dict[str, Any],
        scan_index_forward: bool,
        projection_expressions: Any,
        index_name: str | None = None,
        *more: Any,
        **options: Any,
    ) -> Any:
        if index_name is not None:
            view = _unsorted_view(self)
        elif hash_key is not None:
            view = _partition_view(self, hash_key)
        else:
            view = self
        return querying(
            view, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
            projection_expressions, index_name, *more, **options,
        )  # fmt: skip

    Table.query = query
