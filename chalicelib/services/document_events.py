"""S3's word that a file arrived and the malware scan's verdict on it (api/routes/document_events.py):
the checks an upload passes, and a request sent back for documents returning to its officer once
the last missing one is clean."""

from __future__ import annotations

from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters import document_storage
from chalicelib.adapters.document_storage import StorageUnavailable
from chalicelib.config import document_settings
from chalicelib.domain.documents import (
    SNIFFED_BYTES,
    DocumentStatus,
    arrived_type,
    check_arrival,
    document_file_name,
    scan_verdict,
)
from chalicelib.domain.messages import Event
from chalicelib.domain.statuses import Status
from chalicelib.observability.logs import logger
from chalicelib.services.document_checklist import missing_documents, present_codes, service_of
from chalicelib.services.document_status import SAVE_ATTEMPTS, SettledDocument, update_document
from chalicelib.services.intents import intent
from chalicelib.store.documents import UPLOAD_PREFIX, DocumentRecord, documents_of, load_document
from chalicelib.store.requests.changes import VersionConflict, load_request, record_move
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import note_citizen_upload


def document_arrived(bucket: str, key: str, version_id: str | None, now: datetime) -> str:
    """S3 says an object was created: check its size and first bytes against what was declared.
    A slot takes one version, the first checked; any other (a form posted again, or after the
    request finished, or after an erasure) is deleted, so that nothing unchecked lingers."""
    record = _record_of_object(bucket, key)
    if record is None:
        return "ignored"
    if not _takes(record, version_id):
        return _refuse_version(record, bucket, key, version_id)
    arrival = document_storage.look_at(bucket, key, version_id, SNIFFED_BYTES)
    rejection = check_arrival(record.content_type, arrival.size_bytes, arrival.first_bytes)

    def checked(current: DocumentRecord) -> None:
        if not _takes(current, version_id):
            raise _SlotTaken(current)
        current.checked_version = version_id
        current.size_bytes = arrival.size_bytes
        current.arrival_rejection = rejection.value if rejection else None
        if rejection is None:
            current.content_type = arrived_type(current.content_type, arrival.first_bytes)
            current.file_name = current.file_name or document_file_name(current.document, current.content_type or "")

    try:
        settled = update_document(record.document_id, checked, now)
    except _SlotTaken as taken:
        return _refuse_version(taken.record, bucket, key, version_id)
    logger.info("document arrived", extra={"document_id": record.document_id, "status": settled.record.status})
    _tell_the_request(settled, now)
    return settled.record.status


class _SlotTaken(Exception):
    def __init__(self, record: DocumentRecord) -> None:
        self.record = record


def _takes(record: DocumentRecord, version_id: str | None) -> bool:
    """Whether the slot takes this version: it is still open, and none other was checked."""
    open_slot = record.closed_at is None and record.erased_at is None
    return open_slot and record.checked_version in (None, version_id)


def _refuse_version(record: DocumentRecord, bucket: str, key: str, version_id: str | None) -> str:
    """Deletes a version the slot does not take; the retention copy made at closure is left be."""
    if version_id is None or version_id == record.checked_version:
        return record.status
    try:
        if document_storage.is_retention_copy(bucket, key, version_id):
            return record.status
        document_storage.delete_version(bucket, key, version_id)
    except (BotoCoreError, ClientError, StorageUnavailable):
        logger.warning("alert", extra={"alert": "refused_upload_not_deleted", "document_id": record.document_id})
        raise
    logger.info("upload refused", extra={"document_id": record.document_id, "status": record.status})
    return record.status


def document_scanned(bucket: str, key: str, version_id: str | None, scan_status: str, now: datetime) -> str:
    """The malware scan's verdict on one version (GuardDuty's event; locally the simulated scanner).
    A verdict on a version other than the one checked (the retention copy, a version refused)
    changes nothing."""
    record = _record_of_object(bucket, key)
    if record is None:
        return "ignored"
    if record.checked_version is not None and version_id != record.checked_version:
        return record.status
    decided, _ = scan_verdict(scan_status)
    if not decided:
        logger.warning("alert", extra={"alert": "document_scan_failed", "document_id": record.document_id,
                                       "scan_status": scan_status})  # fmt: skip
        return record.status

    def scanned(current: DocumentRecord) -> None:
        current.scanned_version = version_id
        current.scan_status = scan_status

    settled = update_document(record.document_id, scanned, now)
    logger.info("document scanned", extra={"document_id": record.document_id, "status": settled.record.status})
    _tell_the_request(settled, now)
    return settled.record.status


def _tell_the_request(settled: SettledDocument, now: datetime) -> None:
    """An upload that has just become clean, whether its verdict or its arrival check came last,
    is noted on the request for the queues; a delivery repeated notes nothing again."""
    if settled.became_clean:
        note_citizen_upload(settled.record.tracking_number, settled.record.document, now)
    _back_to_the_officer_when_complete(settled.record, now)


DOCUMENTS_COMPLETE_AR = "استلمنا المستندات الناقصة، وعاد طلبك إلى الموظف المختص ليكمل فحصه."


def _back_to_the_officer_when_complete(document: DocumentRecord, now: datetime) -> None:
    """A request the office sent back for documents returns to its queue as `in_review` when the
    upload that just passed its checks was the last one missing: the citizen has nothing left to
    do, the officer finds it in the queue they work, and the citizen's page says so, as does a
    message on the channel they chose (docs/messages.md, `documents_complete`). (A flag on a
    request left in `needs_info` would keep telling the citizen something is missing.) Only an
    upload that completes the list moves it: a request sent back for words alone, with nothing
    missing, waits for the officer."""
    if DocumentStatus(document.status) is not DocumentStatus.CLEAN:
        return
    for _ in range(SAVE_ATTEMPTS):
        stored = load_request(document.tracking_number)
        if stored is None or stored.request.status != Status.NEEDS_INFO.value:
            return
        request = stored.request
        records = documents_of(request.tracking_number)
        present_before = present_codes(record for record in records if record.document_id != document.document_id)
        required = {listed.code for listed in service_of(request).documents if listed.required}
        if document.document not in required - present_before or missing_documents(request):
            return
        read_version, before = request.version, request.status
        request.status, request.version, request.updated_at = Status.IN_REVIEW.value, read_version + 1, now
        request.place_in_queues()
        entry = HistoryEntry.on(request, HistoryEntry.STATUS_CHANGE, now, from_status=before, actor_role="system",
                                actor="documents", note="اكتملت المستندات الناقصة المرفوعة إلكترونيًا",
                                citizen_message=DOCUMENTS_COMPLETE_AR)  # fmt: skip
        try:
            record_move(request, entry, expected_version=read_version,
                        outbox=[intent(request, Event.DOCUMENTS_COMPLETE, now)])  # fmt: skip
        except VersionConflict:
            continue
        logger.info("request back to the officer", extra={"tracking_number": request.tracking_number})
        return


def _record_of_object(bucket: str, key: str) -> DocumentRecord | None:
    if bucket != document_settings().bucket or not key.startswith(UPLOAD_PREFIX):
        return None
    record = load_document(key.removeprefix(UPLOAD_PREFIX))
    if record is None or record.object_key != key:
        logger.warning("an object with no document record", extra={"key": key})
        return None
    return record
