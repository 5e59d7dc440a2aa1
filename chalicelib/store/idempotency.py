"""Submissions already answered: one IdempotencyRecord per Idempotency-Key.

idempotency table (`key`): a submission's Idempotency-Key, a digest of the body it came with,
and the answer given, so that a retry gets the same answer and creates nothing. The answer is
kept as JSON written as the API writes it (docs/interfaces.md#submission): an item written
before a deploy is read back by the code after it, within its 24 hours.
  * written in the submission's transaction (requests/changes.py, which raises
    IdempotencyKeyTaken when the key is taken); the item expires (TTL).
  * GetItem only when that transaction finds the key already taken.
"""

from __future__ import annotations

import json

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from chalicelib.domain.application import FeeInvoice, Submission, submission_answer
from chalicelib.domain.calendar import from_iso_utc
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


def kept_answer(submission: Submission) -> str:
    """What an IdempotencyRecord keeps of its submission: the API's answer, by the domain's one mapping
    of it (domain/application.py says why it lives there); submission_of reads it back."""
    return json.dumps(submission_answer(submission), ensure_ascii=False)


def submission_of(record: IdempotencyRecord) -> Submission:
    kept = json.loads(record.answer)
    payment = kept["payment"]
    return Submission(
        tracking_number=kept["tracking_number"],
        status=kept["status"],
        submitted_at=from_iso_utc(kept["submitted_at"]),
        fee_egp=kept["fee_egp"],
        sla_due_date=kept["sla_due_date"],
        payment=None
        if payment is None
        else FeeInvoice(
            reference=payment["reference"],
            amount_egp=payment["amount_egp"],
            status=payment["status"],
            expires_at=from_iso_utc(payment["expires_at"]),
        ),
    )
