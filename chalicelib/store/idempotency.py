"""Submissions already answered: one IdempotencyRecord per Idempotency-Key.

idempotency table (`key`): a submission's Idempotency-Key, a digest of the body it came with,
and the answer given, so that a retry gets the same answer and creates nothing.
  * written in the submission's transaction (requests/changes.py, which raises
    IdempotencyKeyTaken when the key is taken); the item expires (TTL).
  * GetItem only when that transaction finds the key already taken.
"""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.retries import retry_transient


class IdempotencyRecord(StoredModel):
    class Meta(TableMeta):
        table = "idempotency"

    key = UnicodeAttribute(hash_key=True)
    body_digest = UnicodeAttribute()
    tracking_number = UnicodeAttribute()
    answer = UnicodeAttribute()
    expires_at = TTLAttribute()


def find_idempotency_record(key: str) -> IdempotencyRecord | None:
    try:
        return retry_transient(lambda: IdempotencyRecord.get(key, consistent_read=True))
    except IdempotencyRecord.DoesNotExist:
        return None
