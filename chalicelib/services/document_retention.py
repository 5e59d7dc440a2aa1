"""Documents after a request: closing its slots and starting the deletion clock when it finishes,
and deleting its identity documents when its applicant is erased."""

from __future__ import annotations

from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib.adapters import document_storage
from chalicelib.config import document_settings
from chalicelib.observability.logs import logger
from chalicelib.services.document_checklist import service_of
from chalicelib.services.document_status import update_document
from chalicelib.store.documents import DocumentRecord, documents_of
from chalicelib.store.requests.request import RequestRecord


def schedule_deletion(tracking_number: str, now: datetime) -> None:
    """Closes every slot of a request that has just finished (a version still posted is deleted
    on arrival) and starts the bucket's lifecycle clock on every checked upload. A failure here
    loses nothing the citizen needs; it is alerted so that it can be redone."""
    bucket = document_settings().bucket
    for record in documents_of(tracking_number):
        if record.object_key is None:
            continue  # paper handed in at a window

        def close(current: DocumentRecord) -> None:
            current.closed_at = current.closed_at or now

        try:
            update_document(record.document_id, close, now)
            if record.checked_version is not None:
                document_storage.start_retention_clock(bucket, record.object_key, record.checked_version)
        except (BotoCoreError, ClientError, PynamoDBException):
            logger.warning(
                "alert", extra={"alert": "document_retention_not_started", "document_id": record.document_id}
            )


def erase_identity_documents(request: RequestRecord, now: datetime) -> int:
    """An erasure's documents: every version of every identity document's object deleted and
    the document locked (it never opens again), and no file name kept on any document. Safe to
    run again: the erasure reruns it, so that one stopped half way is finished. Returns how many
    object versions were deleted; StorageUnavailable when S3 did not do it all."""
    identity = {document.code for document in service_of(request).documents if document.identity}
    bucket = document_settings().bucket
    deleted = 0
    for record in documents_of(request.tracking_number):
        is_identity = record.document in identity

        def forget(current: DocumentRecord, is_identity: bool = is_identity) -> None:
            current.file_name = None
            if is_identity:
                current.erased_at = current.erased_at or now

        if record.file_name is not None or (is_identity and record.erased_at is None):
            update_document(record.document_id, forget, now)  # locked first: it no longer opens
        if is_identity and record.object_key is not None:
            deleted += document_storage.delete_every_version(bucket, record.object_key)
    return deleted
