"""The citizen's uploads: the slots offered (one through the API, a page of them on the portal,
the rest of the page after S3's return) and what the page S3 returns to says of the upload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters import document_storage
from chalicelib.config import document_settings
from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.catalogue import Document, Service
from chalicelib.domain.documents import (
    PRESENT,
    REJECTIONS_AR,
    TAKES_UPLOADS,
    UPLOAD_FORMS_PER_PAGE,
    UPLOAD_OFFERS_PER_REQUEST,
    DocumentStatus,
    Rejection,
    document_file_name,
    read_upload_request,
)
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.statuses import FINAL_STATUSES, Status
from chalicelib.observability.logs import logger
from chalicelib.services.document_checklist import catalogue_document, citizen_document_states, service_of
from chalicelib.services.limits import proven_request
from chalicelib.store.documents import DocumentRecord, documents_of, insert_document, load_document
from chalicelib.store.requests.changes import load_request
from chalicelib.store.requests.request import RequestRecord


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
    upload = read_upload_request(body, service_of(request))  # a plain form cannot know the file's name yet
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
    service = service_of(request)
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
    service = service_of(stored.request)
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
        shown.append(UploadSlot(catalogue_document(service, record.document), record.document_id,
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
    document = catalogue_document(service_of(stored.request), record.document)
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


def _request_of_citizen(tracking_number: str, body: Mapping[str, Any], now: datetime) -> RequestRecord:
    """Proved as an inquiry is, and counted against the same limit of failed attempts."""
    inquiry = read_inquiry({"tracking_number": tracking_number, "national_id_last4": body.get("national_id_last4")})
    return proven_request(inquiry, now).request
