"""What every item of a request's partition shares: its table, its keys, and the `kind`
that tells PynamoDB which model an item read back is (a request, a history entry, a proof, a
checkout attempt)."""

from __future__ import annotations

from pynamodb.attributes import DiscriminatorAttribute, UnicodeAttribute

from chalicelib.store.base import StoredModel, TableMeta


class RequestPartitionItem(StoredModel):
    """Anything stored in a request's partition; `kind` tells a request from its history."""

    class Meta(TableMeta):
        table = "requests"

    tracking_number = UnicodeAttribute(hash_key=True)
    item = UnicodeAttribute(range_key=True)
    kind = DiscriminatorAttribute()
