"""Documents online: the citizen's upload form, S3's word that a file arrived, the malware verdict,
paper received at a window, what a request still lacks, and deletion after closure."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from chalicelib.adapters import document_storage
from chalicelib.adapters.document_storage import StorageUnavailable
from chalicelib.config import document_settings
from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.catalogue import Document, Service
from chalicelib.domain.documents import (
    PRESENT,
    REJECTIONS_AR,
    SNIFFED_BYTES,
    TAKES_UPLOADS,
    UPLOAD_FORMS_PER_PAGE,
    UPLOAD_OFFERS_PER_REQUEST,
    DocumentStatus,
    Rejection,
    arrived_type,
    check_arrival,
    document_file_name,
    read_upload_request,
    scan_verdict,
)
from chalicelib.domain.documents import (
    missing_documents as documents_missing,
)
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.messages import Event
from chalicelib.domain.staff import StaffMember
from chalicelib.domain.statuses import FINAL_STATUSES, Status
from chalicelib.observability.logs import logger
from chalicelib.services.catalogue import service_in_force
from chalicelib.services.intents import intent
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
from chalicelib.store.requests.request import RequestRecord, note_citizen_upload

# Two handlers race on one record at most (arrival and verdict): a few rereads always settle it.
SAVE_ATTEMPTS = 5


@dataclass(frozen=True)
class UploadOffer:
    """An upload slot offered (docs/interfaces.md#documents, shaped by api/http/document_views.py): the
    request and the catalogue's document it is for, the slot's id, and the presigned POST that fills it."""

    tracking_number: str
    document: Document
    document_id: str
    upload: Mapping[str, Any]  # url and fields, as the storage adapter signed them


def offer_upload(tracking_number: str, body: Mapping[str, Any], now: datetime, api_base_url: str) -> UploadOffer:
    """A new upload slot for one of the request's documents, and the presigned POST that fills it.
    The tracking number and the national ID's
    last four digits open it, as for an inquiry. Only a request still being worked on takes
    documents, a document already accepted only when the office asked for more (needs_info), and a
    request only so many slots."""
    request = _request_of_citizen(tracking_number, body, now)
    _require_open_for_uploads(request)
    upload = read_upload_request(body, _service_of(request))  # a plain form cannot know the file's name yet
    records = documents_of(request.tracking_number)
    _require_room_for(request, upload.document, records)
    settings = document_settings()
    document_id = DocumentRecord.new_id()
    key = DocumentRecord.key_for(document_id)
    redirect = _uploaded_url(api_base_url, request.tracking_number, document_id)
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
    return UploadOffer(request.tracking_number, upload.document, document_id, form)


@dataclass(frozen=True)
class UploadSlot:
    """One document's single-use slot on the upload page, and the presigned POST that fills it."""

    document: Document
    document_id: str
    upload: dict[str, Any]  # url and fields, as in docs/interfaces.md#documents


@dataclass(frozen=True)
class UploadBatch:
    """What one upload page offers: a form for each of the first UPLOAD_FORMS_PER_PAGE open slots,
    and how many of the page's other documents come once these are sent."""

    shown: list[UploadSlot]
    waiting: int


def offer_uploads(tracking_number: str, last4: Any, now: datetime, api_base_url: str) -> UploadBatch:
    """The upload page: a slot for every document the request may still take, whose type the file's
    first bytes decide on arrival, and forms for the first few. Proved and counted as an inquiry
    is, once for the page however many documents it lists: the slots not shown yet are offered
    by the pages S3 returns to (slots_still_open), without proving the request anew."""
    request = _request_of_citizen(tracking_number, {"national_id_last4": last4}, now)
    _require_open_for_uploads(request)
    service = _service_of(request)
    wanted = [state.document for state in citizen_document_states(request.tracking_number, service) if state.can_upload]
    records = []
    for document in wanted:
        _require_room_for(request, document, documents_of(request.tracking_number))
        document_id = DocumentRecord.new_id()
        record = DocumentRecord(
            document_id,
            tracking_number=request.tracking_number,
            document=document.code,
            status=DocumentStatus.AWAITING_UPLOAD.value,
            file_name=None,
            content_type=None,  # decided by the file's bytes (check_arrival)
            object_key=DocumentRecord.key_for(document_id),
            created_at=now,
            updated_at=now,
            created_order=f"{iso_utc(now)}#{document_id}",
        )
        insert_document(record)
        records.append(record)
    logger.info("uploads offered", extra={"tracking_number": request.tracking_number, "count": len(records)})
    return _batch(service, records, api_base_url, document_settings().upload_form_seconds)


def slots_still_open(tracking_number: str, after: str, now: datetime, api_base_url: str) -> UploadBatch:
    """Back from S3 after one upload (`after`, the slot just filled): the page's other slots again,
    for the documents still without a file, so that the citizen goes on without proving the request
    anew. Nothing is offered that the page did not hold already: the same slots, the same keys, and
    forms that expire when the page's own did. The filled slot's random id is the capability, as for
    its outcome."""
    nothing = UploadBatch([], 0)
    settings = document_settings()
    records = documents_of(tracking_number)
    filled = next((record for record in records if record.document_id == after), None)
    stored = load_request(tracking_number)
    if filled is None or filled.created_at is None or stored is None:
        return nothing
    if Status(stored.request.status) not in TAKES_UPLOADS:
        return nothing
    left_s = int((filled.created_at - now).total_seconds()) + settings.upload_form_seconds
    if left_s <= 0:
        return nothing
    service = _service_of(stored.request)
    wanted = {state.document.code for state in citizen_document_states(tracking_number, service) if state.can_upload}
    open_slots = []
    for record in records:
        same_page = record.created_at == filled.created_at and record.document_id != after
        if not same_page or record.object_key is None or record.closed_at or record.erased_at:
            continue
        if record.status != DocumentStatus.AWAITING_UPLOAD.value or record.document not in wanted:
            continue
        if document_storage.size_of(settings.bucket, record.object_key) is not None:
            continue  # sent already, its arrival not yet handled
        open_slots.append(record)
    return _batch(service, open_slots, api_base_url, left_s)


def _batch(service: Service, records: list[DocumentRecord], api_base_url: str, expires_s: int) -> UploadBatch:
    """The first few open slots, in the catalogue's order, each with its own presigned POST,
    pinned to its key (and no type: the file's bytes decide it)."""
    order = [document.code for document in service.documents]
    records = sorted(records, key=lambda record: order.index(record.document))
    bucket = document_settings().bucket
    shown = []
    for record in records[:UPLOAD_FORMS_PER_PAGE]:
        redirect = _uploaded_url(api_base_url, record.tracking_number, record.document_id)
        form = document_storage.upload_form(bucket, record.object_key or "", None, redirect, expires_s)
        shown.append(UploadSlot(_catalogue_document(service, record.document), record.document_id,
                                {"url": form["url"], "fields": form["fields"]}))  # fmt: skip
    return UploadBatch(shown, len(records) - len(shown))


def _uploaded_url(api_base_url: str, tracking_number: str, document_id: str) -> str:
    return f"{api_base_url}/v1/requests/{tracking_number}/documents/{document_id}/uploaded"


def _require_open_for_uploads(request: RequestRecord) -> None:
    status = Status(request.status)
    if status in FINAL_STATUSES:
        raise Conflict(
            code="request_finished",
            message_ar="انتهى هذا الطلب، فلا تُرفع له مستندات.",
            message_en="This request is finished and takes no more documents.",
        )
    if status not in TAKES_UPLOADS:
        raise Conflict(
            code="documents_closed",
            message_ar="راجع الموظف المختص هذا الطلب، فلا تُرفع له مستندات أخرى.",
            message_en="This request has been reviewed and takes no more documents.",
        )


def _require_room_for(request: RequestRecord, document: Document, records: list[DocumentRecord]) -> None:
    """A document accepted already is replaced only when the office asks for more (needs_info);
    and a request is offered UPLOAD_OFFERS_PER_REQUEST slots at most, whatever becomes of them."""
    accepted = any(record.document == document.code and DocumentStatus(record.status) in PRESENT for record in records)
    if accepted and Status(request.status) is not Status.NEEDS_INFO:
        raise Conflict(
            code="document_accepted",
            message_ar="قُبل هذا المستند من قبل، فلا يُرفع مرة أخرى.",
            message_en="This document was accepted already and is not uploaded again.",
        )
    if sum(1 for record in records if record.received_by is None) >= UPLOAD_OFFERS_PER_REQUEST:
        raise Conflict(
            code="too_many_uploads",
            message_ar="بلغ هذا الطلب الحد الأقصى لرفع المستندات. سلّم باقي المستندات ورقيًا في مركز الخدمات.",
            message_en="This request has reached its limit of uploads; hand in the rest at the service centre.",
        )


@dataclass(frozen=True)
class UploadOutcome:
    """What the page S3 redirects to tells the citizen."""

    tracking_number: str
    document: Document
    file_name: str  # built from the document's kind, never the citizen's own name for the file
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
    if record is None or record.tracking_number != tracking_number or record.object_key is None or record.erased_at:
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
        file_name=document_file_name(record.document, record.content_type or ""),
        size_bytes=None if size is None else int(size),
        status=status,
        rejection_ar=rejection,
    )


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
        saved = _update(record.document_id, checked, now)
    except _SlotTaken as taken:
        return _refuse_version(taken.record, bucket, key, version_id)
    logger.info("document arrived", extra={"document_id": saved.document_id, "status": saved.status})
    _back_to_the_officer_when_complete(saved, now)
    return saved.status


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

    saved = _update(record.document_id, scanned, now)
    logger.info("document scanned", extra={"document_id": saved.document_id, "status": saved.status})
    if DocumentStatus(saved.status) is DocumentStatus.CLEAN:
        note_citizen_upload(saved.tracking_number, saved.document, now)
    _back_to_the_officer_when_complete(saved, now)
    return saved.status


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
            record_move(request, entry, expected_version=read_version,
                        outbox=[intent(request, Event.DOCUMENTS_COMPLETE, now)])  # fmt: skip
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
    return [
        document.code
        for document in documents
        if insert_document(received_at_window(tracking_number, document, staff, now))
    ]


def received_at_window(tracking_number: str, document: Document, staff: StaffMember, now: datetime) -> DocumentRecord:
    """The record of one paper document handed in at a window (its id the same however often it is handed in)."""
    document_id = DocumentRecord.window_id(tracking_number, document.code)
    return DocumentRecord(
        document_id,
        tracking_number=tracking_number,
        document=document.code,
        status=DocumentStatus.RECEIVED_AT_WINDOW.value,
        received_by=staff.principal,
        created_at=now,
        updated_at=now,
        created_order=f"{iso_utc(now)}#{document_id}",
    )


def present_codes(records: Iterable[DocumentRecord]) -> set[str]:
    return {record.document for record in records if DocumentStatus(record.status) in PRESENT}


def missing_documents(request: RequestRecord) -> list[Document]:
    """The required documents neither clean online nor received at a window."""
    return documents_missing(_service_of(request).documents, present_codes(documents_of(request.tracking_number)))


def office_document_list(tracking_number: str) -> list[DocumentRecord]:
    """What the office view lists (docs/interfaces.md#documents): every upload that arrived and every paper received."""
    return [record for record in documents_of(tracking_number) if record.status != DocumentStatus.AWAITING_UPLOAD.value]


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
            _update(record.document_id, close, now)
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
    identity = {document.code for document in _service_of(request).documents if document.identity}
    bucket = document_settings().bucket
    deleted = 0
    for record in documents_of(request.tracking_number):
        is_identity = record.document in identity

        def forget(current: DocumentRecord, is_identity: bool = is_identity) -> None:
            current.file_name = None
            if is_identity:
                current.erased_at = current.erased_at or now

        if record.file_name is not None or (is_identity and record.erased_at is None):
            _update(record.document_id, forget, now)  # locked first: it no longer opens
        if is_identity and record.object_key is not None:
            deleted += document_storage.delete_every_version(bucket, record.object_key)
    return deleted


def _request_of_citizen(tracking_number: str, body: Mapping[str, Any], now: datetime) -> RequestRecord:
    """Proved as an inquiry is, and counted against the same limit of failed attempts."""
    inquiry = read_inquiry({"tracking_number": tracking_number, "national_id_last4": body.get("national_id_last4")})
    return proven_request(inquiry, now).request


def _service_of(request: RequestRecord) -> Service:
    service = service_in_force(request.service_code, request.submitted_at)
    if service is None:
        raise RuntimeError(f"a stored request names an unknown service {request.service_code}")
    return service


def _catalogue_document(service: Service, code: str) -> Document:
    return next(document for document in service.documents if document.code == code)


def document_of_service(request: RequestRecord, code: str) -> Document:
    return _catalogue_document(_service_of(request), code)
