"""Reading requests for Open311: by tracking numbers, and by the moment they were filed (see
models.py, the `opened` index)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from chalicelib.store.models import RequestRecord

_ORDER_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def requests_by_number(tracking_numbers: Iterable[str]) -> list[RequestRecord]:
    """The requests that exist among these numbers, in the order asked: one BatchGetItem."""
    wanted = list(dict.fromkeys(tracking_numbers))
    if not wanted:
        return []
    found = {
        record.tracking_number: record
        for record in RequestRecord.batch_get([(number, RequestRecord.ITEM) for number in wanted])
        if isinstance(record, RequestRecord)
    }
    return [found[number] for number in wanted if number in found]


def requests_filed_between(months: list[str], start: datetime, end: datetime, limit: int) -> list[RequestRecord]:
    """Up to `limit` requests filed from `start` to `end`, newest first: one query a month, in
    the order of `months` (newest first), until `limit` is reached."""
    low = start.astimezone(UTC).strftime(_ORDER_FORMAT)
    high = end.astimezone(UTC).strftime(_ORDER_FORMAT) + "#~"  # "~" sorts after every digit
    found: list[RequestRecord] = []
    for month in months:
        if len(found) >= limit:
            break
        found += RequestRecord.opened_index.query(
            month,
            RequestRecord.opened_order.between(low, high),
            scan_index_forward=False,
            limit=limit - len(found),
        )
    return found
