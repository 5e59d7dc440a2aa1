"""Who asked: one ApplicantRecord per request.

applicants table (`tracking_number`): apart from the request so that the back office's reads
cannot include it, and so that its retention can be set on its own: when the request closes,
`expires_at` (TTL) is set in the closing move's transaction; a manager's erasure deletes the
item in a transaction with its history entry (both in requests/changes.py, as is its first
write, in the submission's transaction).
  * GetItem by tracking number, only where the applicant must be reached or revealed.
  * UpdateItem of how the citizen wants to hear about the request (`notify_by`).
"""

from __future__ import annotations

from pynamodb.attributes import TTLAttribute, UnicodeAttribute

from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.retries import retry_transient


class ApplicantRecord(StoredModel):
    class Meta(TableMeta):
        table = "applicants"

    tracking_number = UnicodeAttribute(hash_key=True)
    full_name = UnicodeAttribute()
    national_id = UnicodeAttribute()
    phone = UnicodeAttribute()
    # How the citizen wants to hear about the request: sms, voice or none (an opt-out).
    notify_by = UnicodeAttribute(default="sms")
    # Set when the request closes: DynamoDB's TTL deletes who asked a configured time later.
    expires_at = TTLAttribute(null=True)


def load_applicant(tracking_number: str) -> ApplicantRecord | None:
    try:
        return retry_transient(lambda: ApplicantRecord.get(tracking_number, consistent_read=True))
    except ApplicantRecord.DoesNotExist:
        return None


def set_notify_by(tracking_number: str, notify_by: str) -> None:
    ApplicantRecord(tracking_number).update(
        actions=[ApplicantRecord.notify_by.set(notify_by)], condition=ApplicantRecord.tracking_number.exists()
    )
