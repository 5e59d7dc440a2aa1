"""Who asked: one ApplicantRecord per request.

applicants table (`tracking_number`): apart from the request so that the back office's reads
cannot include it, and so that its retention can be set on its own: when the request closes,
`expires_at` (TTL) is set in the closing move's transaction; a manager's erasure deletes the
item in a transaction with its history entry (both in requests/changes.py, as is its first
write, in the submission's transaction).
  * GetItem by tracking number, only where the applicant must be reached or revealed.
  * UpdateItem of how the citizen wants to hear about the request (`notify_by`).
  * UpdateItem of a manager's correction of the name or phone (requests/changes.py
    record_applicant_correction): a replaced phone is kept in `former_phones` under the request's
    version that replaced it, so that the notice to it (services/notifications.py) reaches the
    number it is about even when a second correction follows; it goes with the item.
  * Query of the `by_national_id` index: a walk-in's requests at the counter, found by an HMAC of
    the national ID (`national_id_key`, services/limits.py). The index projects the keys only:
    it holds the HMAC and tracking numbers, no name, number or phone. Requests filed before the
    key was written have none and are not found until backfilled (docs/runbook.md).
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import MapAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex, KeysOnlyProjection

from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.retries import retry_transient

# A citizen with more requests than this at once is unheard of; the lookup shows the newest first.
MOST_REQUESTS_LOOKED_UP = 50


class NationalIdIndex(GlobalSecondaryIndex["ApplicantRecord"]):
    class Meta:
        index_name = "by_national_id"
        projection = KeysOnlyProjection()

    national_id_key = UnicodeAttribute(hash_key=True)


class ApplicantRecord(StoredModel):
    class Meta(TableMeta):
        table = "applicants"

    tracking_number = UnicodeAttribute(hash_key=True)
    full_name = UnicodeAttribute()
    national_id = UnicodeAttribute()
    phone = UnicodeAttribute()
    # How the citizen wants to hear about the request: sms, voice or none (an opt-out).
    notify_by = UnicodeAttribute(default="sms")
    # HMAC of the national ID (services/limits.py stored_national_id_key), the index's key.
    national_id_key = UnicodeAttribute(null=True)
    # The phones a correction replaced, by the request's version that replaced each ("7": "+2010…").
    former_phones = MapAttribute[str, Any](null=True)
    # Set when the request closes: DynamoDB's TTL deletes who asked a configured time later.
    expires_at = TTLAttribute(null=True)

    by_national_id = NationalIdIndex()


def load_applicant(tracking_number: str) -> ApplicantRecord | None:
    try:
        return retry_transient(lambda: ApplicantRecord.get(tracking_number, consistent_read=True))
    except ApplicantRecord.DoesNotExist:
        return None


def set_notify_by(tracking_number: str, notify_by: str) -> None:
    ApplicantRecord(tracking_number).update(
        actions=[ApplicantRecord.notify_by.set(notify_by)], condition=ApplicantRecord.tracking_number.exists()
    )


def tracking_numbers_for(national_id_key: str) -> list[str]:
    """The tracking numbers of the requests whose applicant has this national ID key (one Query)."""
    found = ApplicantRecord.by_national_id.query(national_id_key, limit=MOST_REQUESTS_LOOKED_UP)
    return [record.tracking_number for record in retry_transient(lambda: list(found))]
