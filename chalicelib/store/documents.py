"""The documents of requests: one DocumentRecord per upload (or per paper handed in at a window).

documents table (`document_id`, random, also the S3 key's only variable part):
  * an S3 event or a scan result finds its record by the key: GetItem.
  * a request's documents (the office view, the track page, approval): Query on the
    `request_documents` index (`tracking_number`, ordered by `created_order`).
  Each record carries `revision` (PynamoDB's VersionAttribute): two handlers racing on one
  upload (the arrival check and the malware verdict) never overwrite each other.
Paper received at a window is keyed by the request and the document's code, so that
recording it twice records it once. An upload slot takes one version of its object: the first
whose arrival is checked (`checked_version`); any other is deleted when S3 reports it.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute, VersionAttribute
from pynamodb.exceptions import PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from chalicelib.store.base import StoredModel, TableMeta

UPLOAD_PREFIX = "uploads/"
# Every id new_id and window_id make: nothing else is looked up (a key over DynamoDB's 2,048
# bytes, or an empty one, is refused by DynamoDB with a ValidationException).
_DOCUMENT_ID = re.compile(r"(window-)?[0-9a-f]{32}")


class RequestDocumentsIndex(GlobalSecondaryIndex["DocumentRecord"]):
    class Meta:
        index_name = "request_documents"
        projection = AllProjection()

    tracking_number = UnicodeAttribute(hash_key=True)
    created_order = UnicodeAttribute(range_key=True)


class DocumentRecord(StoredModel):
    class Meta(TableMeta):
        table = "documents"

    document_id = UnicodeAttribute(hash_key=True)
    tracking_number = UnicodeAttribute()
    document = UnicodeAttribute()  # the code of one of the service's documents
    status = UnicodeAttribute()
    file_name = UnicodeAttribute(null=True)
    content_type = UnicodeAttribute(null=True)  # as declared, and held to by the POST policy
    object_key = UnicodeAttribute(null=True)
    # The S3 version whose size and first bytes were checked, and its verdicts.
    checked_version = UnicodeAttribute(null=True)
    size_bytes = NumberAttribute(null=True)
    arrival_rejection = UnicodeAttribute(null=True)
    scanned_version = UnicodeAttribute(null=True)
    scan_status = UnicodeAttribute(null=True)  # GuardDuty's word for it
    rejection = UnicodeAttribute(null=True)
    received_by = UnicodeAttribute(null=True)  # the clerk who took the paper in
    # The request finished: no version is taken any more, and one that still comes is deleted.
    closed_at = UTCDateTimeAttribute(null=True)
    # The applicant's identity was erased: an identity document's every version is deleted and
    # it never opens again (services/document_retention.py, erase_identity_documents).
    erased_at = UTCDateTimeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    created_order = UnicodeAttribute()
    revision = VersionAttribute()
    request_documents = RequestDocumentsIndex()

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(16)

    @staticmethod
    def window_id(tracking_number: str, code: str) -> str:
        return "window-" + hashlib.sha256(f"{tracking_number}:{code}".encode()).hexdigest()[:32]

    @staticmethod
    def key_for(document_id: str) -> str:
        """No personal data, no tracking number: the record alone says whose it is."""
        return f"{UPLOAD_PREFIX}{document_id}"


class RecordChanged(Exception):
    """Another handler saved the record since it was read; read it again."""


def insert_document(record: DocumentRecord) -> bool:
    """Saves a new record; False when one with its id exists already (paper recorded twice)."""
    try:
        record.save(condition=DocumentRecord.document_id.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def save_document(record: DocumentRecord) -> None:
    """Saves a changed record on condition that nobody saved it since it was read."""
    try:
        record.save()
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            raise RecordChanged from error
        raise


def load_document(document_id: str) -> DocumentRecord | None:
    """The record of this id; None when there is none, or the text is no document id at all."""
    if not _DOCUMENT_ID.fullmatch(document_id):
        return None
    try:
        return DocumentRecord.get(document_id, consistent_read=True)
    except DocumentRecord.DoesNotExist:
        return None


def documents_of(tracking_number: str) -> list[DocumentRecord]:
    """Every record of one request, oldest first: one query."""
    return list(DocumentRecord.request_documents.query(tracking_number))
