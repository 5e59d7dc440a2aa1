"""Documents online: the citizen's upload form, S3's word that a file arrived, the malware verdict,
paper received at a window, what a request still lacks, and deletion after closure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters import document_storage
from chalicelib.config import document_settings
from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.catalogue import Document, Service
from chalicelib.domain.documents import (
    PRESENT,
    REJECTIONS_AR,
    SNIFFED_BYTES,
    DocumentStatus,
    Rejection,
    check_arrival,
    read_upload_request,
    scan_verdict,
)
from chalicelib.domain.documents import (
    missing_documents as documents_missing,
)
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.staff import StaffMember
from chalicelib.domain.statuses import FINAL_STATUSES, Status
from chalicelib.observability.logs import logger
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.limits import proven_request
from chalicelib.store.documents import (
    UPLOAD_PREFIX,
    DocumentRecord,
    RecordChanged,
    documents_of,
    insert_document,
    load_document,
    save_document,
)
from chalicelib.store.requests.changes import VersionConflict, load_request, record_move
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord

# Two handlers race on one record at most (arrival and verdict): a few rereads always settle it.
SAVE_ATTEMPTS = 5


def request_upload(tracking_number: str, body: Mapping[str, Any], now: datetime, api_base_url: str) -> dict[str, Any]:
    """A new upload slot for one of the request's documents, and the presigned POST that fills it
    (CONTRACT.md). The tracking number and the national ID's last four digits open it, as for an
    inquiry; a finished request takes no more documents."""
    request = _request_of_citizen(tracking_number, body, now)
    if Status(request.status) in FINAL_STATUSES:
        raise Conflict(
            code="request_finished",
            message_ar="انتهى هذا الطلب، فلا تُرفع له مستندات.",
            message_en="This request is finished and takes no more documents.",
        )
    upload = read_upload_request(body, _service_of(request))  # a plain form cannot know the file's name yet
    settings = document_settings()
    document_id = DocumentRecord.new_id()
    key = DocumentRecord.key_for(document_id)
    redirect = f"{api_base_url}/v1/requests/{request.tracking_number}/documents/{document_id}/uploaded"
    form = document_storage.upload_form(
        settings.bucket, key, upload.content_type, redirect, settings.upload_form_seconds
    )
    insert_document(
        DocumentRecord(
            document_id,
            tracking_number=request.tracking_number,
            document=upload.document.code,
            status=DocumentStatus.AWAITING_UPLOAD.value,
            file_name=upload.file_name,
            content_type=upload.content_type,
            object_key=key,
            created_at=now,
            updated_at=now,
            created_order=f"{iso_utc(now)}#{document_id}",
        )
    )
    logger.info("upload offered", extra={"tracking_number": request.tracking_number, "document": upload.document.code})
    return {"document_id": document_id, "upload": {"url": form["url"], "fields": form["fields"]}}


@dataclass(frozen=True)
class UploadOutcome:
    """What the page S3 redirects to tells the citizen."""

    tracking_number: str
    document: Document
    file_name: str | None
    size_bytes: int | None  # None: nothing arrived
    status: DocumentStatus
    rejection_ar: str | None

    @property
    def arrived(self) -> bool:
        return self.size_bytes is not None


def upload_outcome(tracking_number: str, document_id: str) -> UploadOutcome:
    """After S3's redirect: which document, and whether the file is there. The random document id
    is the capability; the answer names no person."""
    record = load_document(document_id)
    if record is None or record.tracking_number != tracking_number or record.object_key is None:
        raise NotFound()
    stored = load_request(tracking_number)
    if stored is None:
        raise NotFound()
    document = _catalogue_document(_service_of(stored.request), record.document)
    status = DocumentStatus(record.status)
    size = record.size_bytes
    if status is DocumentStatus.AWAITING_UPLOAD:
        # S3's event may not have been handled yet: the object itself says whether the file is here.
        size = document_storage.size_of(document_settings().bucket, record.object_key)
        if size is not None:
            status = DocumentStatus.UPLOADED
    rejection = REJECTIONS_AR[Rejection(record.rejection)] if record.rejection else None
    return UploadOutcome(
        tracking_number=tracking_number,
        document=document,
        file_name=record.file_name,
        size_bytes=None if size is None else int(size),
        status=status,
        rejection_ar=rejection,
    )


def document_arrived(bucket: str, key: str, version_id: str | None, now: datetime) -> str:
    """S3 says an object was created: check its size and first bytes against what was declared."""
    record = _record_of_object(bucket, key)
    if record is None:
        return "ignored"
    arrival = document_storage.look_at(bucket, key, version_id, SNIFFED_BYTES)
    rejection = check_arrival(record.content_type or "", arrival.size_bytes, arrival.first_bytes)

    def checked(current: DocumentRecord) -> None:
        current.checked_version = version_id
        current.size_bytes = arrival.size_bytes
        current.arrival_rejection = rejection.value if rejection else None

    saved = _update(record.document_id, checked, now)
    logger.info("document arrived", extra={"document_id": saved.document_id, "status": saved.status})
    _back_to_the_officer_when_complete(saved, now)
    return saved.status


def document_scanned(bucket: str, key: str, version_id: str | None, scan_status: str, now: datetime) -> str:
    """The malware scan's verdict on one version (GuardDuty's event; locally the simulated scanner)."""
    record = _record_of_object(bucket, key)
    if record is None:
        return "ignored"
    decided, _ = scan_verdict(scan_status)
    if not decided:
        logger.warning("alert", extra={"alert": "document_scan_failed", "document_id": record.document_id,
                                       "scan_status": scan_status})  # fmt: skip
        return record.status

    def scanned(current: DocumentRecord) -> None:
        current.scanned_version = version_id
        current.scan_status = scan_status

    saved = _update(record.document_id, scanned, now)
    logger.info("document scanned", extra={"document_id": saved.document_id, "status": saved.status})
    _back_to_the_officer_when_complete(saved, now)
    return saved.status


DOCUMENTS_COMPLETE_AR = "استلمنا المستندات الناقصة، وعاد طلبك إلى الموظف المختص ليكمل فحصه."


def _back_to_the_officer_when_complete(document: DocumentRecord, now: datetime) -> None:
    """A request the office sent back for documents returns to its queue as `in_review` when the
    upload that just passed its checks was the last one missing: the citizen has nothing left to
    do, the officer finds it in the queue they work, and the citizen's page says so. (A flag on a
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
        required = {listed.code for listed in _service_of(request).documents if listed.required}
        if document.document not in required - present_before or missing_documents(request):
            return
        read_version, before = request.version, request.status
        request.status, request.version, request.updated_at = Status.IN_REVIEW.value, read_version + 1, now
        request.place_in_queues()
        entry = HistoryEntry.on(request, HistoryEntry.STATUS_CHANGE, now, from_status=before, actor_role="system",
                                actor="documents", note="اكتملت المستندات الناقصة المرفوعة إلكترونيًا",
                                citizen_message=DOCUMENTS_COMPLETE_AR)  # fmt: skip
        try:
            record_move(request, entry, expected_version=read_version, outbox=[])
        except VersionConflict:
            continue
        logger.info("request back to the officer", extra={"tracking_number": request.tracking_number})
        return


def _update(document_id: str, change: Callable[[DocumentRecord], None], now: datetime) -> DocumentRecord:
    """Applies `change` to the freshest record and settles its status, however the two handlers
    interleave: a verdict counts only for the version whose arrival was checked."""
    for _ in range(SAVE_ATTEMPTS):
        current = load_document(document_id)
        if current is None:
            raise RuntimeError("a document record vanished")
        change(current)
        status, rejection = _settled(current)
        current.status, current.rejection, current.updated_at = status.value, rejection, now
        try:
            save_document(current)
        except RecordChanged:
            continue
        return current
    raise RuntimeError("a document record kept changing under its handlers")


def _settled(record: DocumentRecord) -> tuple[DocumentStatus, str | None]:
    if record.arrival_rejection:
        return DocumentStatus.REJECTED, record.arrival_rejection
    if record.checked_version is None and record.size_bytes is None:
        return DocumentStatus(record.status), record.rejection  # the verdict came first: wait for the arrival
    if record.scan_status is None or record.scanned_version != record.checked_version:
        return DocumentStatus.UPLOADED, None
    _, rejection = scan_verdict(record.scan_status)
    if rejection is not None:
        return DocumentStatus.REJECTED, rejection.value
    return DocumentStatus.CLEAN, None


def _record_of_object(bucket: str, key: str) -> DocumentRecord | None:
    if bucket != document_settings().bucket or not key.startswith(UPLOAD_PREFIX):
        return None
    record = load_document(key.removeprefix(UPLOAD_PREFIX))
    if record is None or record.object_key != key:
        logger.warning("an object with no document record", extra={"key": key})
        return None
    return record


def record_received_at_window(
    tracking_number: str, documents: Iterable[Document], staff: StaffMember, now: datetime
) -> list[str]:
    """Paper handed in at a window, once per document whatever the retries; returns the codes new here."""
    recorded = []
    for document in documents:
        document_id = DocumentRecord.window_id(tracking_number, document.code)
        record = DocumentRecord(
            document_id,
            tracking_number=tracking_number,
            document=document.code,
            status=DocumentStatus.RECEIVED_AT_WINDOW.value,
            received_by=staff.principal,
            created_at=now,
            updated_at=now,
            created_order=f"{iso_utc(now)}#{document_id}",
        )
        if insert_document(record):
            recorded.append(document.code)
    return recorded


def present_codes(records: Iterable[DocumentRecord]) -> set[str]:
    return {record.document for record in records if DocumentStatus(record.status) in PRESENT}


def missing_documents(request: RequestRecord) -> list[Document]:
    """The required documents neither clean online nor received at a window."""
    return documents_missing(_service_of(request).documents, present_codes(documents_of(request.tracking_number)))


def office_document_list(tracking_number: str) -> list[dict[str, Any]]:
    """What the office view lists (CONTRACT.md): every upload that arrived and every paper received."""
    return [
        {
            "document_id": record.document_id,
            "document": record.document,
            "status": record.status,
            "rejection": record.rejection,
        }
        for record in documents_of(tracking_number)
        if record.status != DocumentStatus.AWAITING_UPLOAD.value
    ]


@dataclass(frozen=True)
class DocumentState:
    """One of a service's documents as the citizen's pages show it."""

    document: Document
    status: DocumentStatus
    rejection_ar: str | None

    @property
    def can_upload(self) -> bool:
        return self.status in (DocumentStatus.AWAITING_UPLOAD, DocumentStatus.REJECTED)


def citizen_document_states(tracking_number: str, service: Service) -> list[DocumentState]:
    """Each listed document and where it stands: the best of its uploads and receipts."""
    by_code: dict[str, list[DocumentRecord]] = {}
    for record in documents_of(tracking_number):
        by_code.setdefault(record.document, []).append(record)
    rank = [DocumentStatus.CLEAN, DocumentStatus.RECEIVED_AT_WINDOW, DocumentStatus.UPLOADED, DocumentStatus.REJECTED]
    states = []
    for document in service.documents:
        statuses = [DocumentStatus(record.status) for record in by_code.get(document.code, [])]
        best = next((status for status in rank if status in statuses), DocumentStatus.AWAITING_UPLOAD)
        rejection = None
        if best is DocumentStatus.REJECTED:
            latest = by_code[document.code][-1]
            rejection = REJECTIONS_AR[Rejection(latest.rejection)] if latest.rejection else None
        states.append(DocumentState(document=document, status=best, rejection_ar=rejection))
    return states


def schedule_deletion(tracking_number: str) -> None:
    """Starts the bucket's lifecycle clock on every upload of a request that has just finished.
    A failure here loses nothing the citizen needs; it is alerted so that it can be redone."""
    bucket = document_settings().bucket
    for record in documents_of(tracking_number):
        if record.object_key is None or record.status == DocumentStatus.AWAITING_UPLOAD.value:
            continue
        try:
            document_storage.start_retention_clock(bucket, record.object_key, record.checked_version)
        except (BotoCoreError, ClientError):
            logger.warning(
                "alert", extra={"alert": "document_retention_not_started", "document_id": record.document_id}
            )


def _request_of_citizen(tracking_number: str, body: Mapping[str, Any], now: datetime) -> RequestRecord:
    """Proved as an inquiry is, and counted against the same limit of failed attempts."""
    inquiry = read_inquiry({"tracking_number": tracking_number, "national_id_last4": body.get("national_id_last4")})
    return proven_request(inquiry, now).request


def _service_of(request: RequestRecord) -> Service:
    service = current_catalogue().service(request.service_code, on=request.submitted_at.date())
    if service is None:
        raise RuntimeError(f"a stored request names an unknown service {request.service_code}")
    return service


def _catalogue_document(service: Service, code: str) -> Document:
    return next(document for document in service.documents if document.code == code)


def document_of_service(request: RequestRecord, code: str) -> Document:
    return _catalogue_document(_service_of(request), code)
