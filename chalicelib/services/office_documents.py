"""The office's side of documents: opening a checked upload, and recording paper at the window."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.adapters import document_storage
from chalicelib.config import document_settings
from chalicelib.domain.documents import DocumentStatus, document_file_name, read_paper_received
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, RevealFirst
from chalicelib.domain.staff import Action, StaffMember, revealed_lately
from chalicelib.observability.logs import logger
from chalicelib.services.document_checklist import document_of_service, service_of
from chalicelib.services.document_paper import received_at_window
from chalicelib.services.office_identity import identity_gone, reveals_of
from chalicelib.services.office_view import BlindView, blind_view, changed_since_read, load_visible, stale
from chalicelib.store.documents import DocumentRecord, documents_of, load_document
from chalicelib.store.requests.changes import StoredRequest, VersionConflict, record_paper_received
from chalicelib.store.requests.history import HistoryEntry, record_event


def open_document(staff: StaffMember, tracking_number: str, document_id: str, now: datetime) -> str:
    """A presigned GET of a clean upload, valid for at most 5 minutes; every opening is audited.
    A copy of an identity document opens only for a manager of the request's district who
    revealed the applicant a short while ago (domain/staff.py, revealed_lately), and never
    once the identity is erased."""
    if not staff.may(Action.OPEN_DOCUMENT):
        raise Forbidden
    stored = load_visible(staff, tracking_number)
    record = load_document(document_id)
    if record is None or record.tracking_number != stored.request.tracking_number or record.object_key is None:
        raise NotFound("لا يوجد مستند بهذا الرقم في هذا الطلب.", "This request has no document with this id.")
    if record.erased_at is not None:
        raise identity_gone(stored.request)
    if record.status != DocumentStatus.CLEAN.value:
        raise Conflict(
            code="document_not_clean",
            message_ar="لا يُفتح المستند قبل أن يُفحص ويثبت خلوه مما يضر.",
            message_en="A document opens only once it has been checked and found clean.",
            current={"document_id": record.document_id, "status": record.status},
        )
    document = document_of_service(stored.request, record.document)
    if document.identity and not revealed_lately(staff, reveals_of(stored), stored.request.district_code, now):
        raise RevealFirst
    _audit(stored, staff, HistoryEntry.DOCUMENT_OPENED, f"{record.document} {record.document_id}", now)
    logger.info("document opened", extra={"tracking_number": tracking_number, "document": record.document,
                                          "role": staff.role.value})  # fmt: skip
    settings = document_settings()
    return document_storage.download_link(
        settings.bucket,
        record.object_key,
        record.checked_version,
        record.content_type or "application/octet-stream",
        document_file_name(record.document, record.content_type or ""),
        settings.download_link_seconds,
    )


def record_paper(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> BlindView:
    """Paper documents handed in at the window of the district that owns the request (audited): a
    change like any other, so on the version read, and the request's version moves on. Paper already
    recorded is not recorded again: sent again, it changes nothing and answers the request as it is."""
    if not staff.may(Action.RECORD_DOCUMENTS):
        raise Forbidden
    stored = load_visible(staff, tracking_number)
    request = stored.request
    received = read_paper_received(body, service_of(request))
    recorded = {record.document_id for record in documents_of(request.tracking_number)}
    new = [
        received_at_window(request.tracking_number, document, staff, now)
        for document in received.documents
        if DocumentRecord.window_id(request.tracking_number, document.code) not in recorded
    ]
    if not new:  # a retry, or a double click: what it records is there already, on whatever version
        return blind_view(stored, now)
    if received.version != request.version:
        raise stale(stored, now)
    request.version = received.version + 1
    request.updated_at = now
    entry = HistoryEntry.by_staff(
        request, HistoryEntry.DOCUMENTS_RECEIVED, staff, now, note=" ".join(record.document for record in new)
    )
    try:
        record_paper_received(request, entry, received.version, new)
    except VersionConflict:
        raise changed_since_read(request.tracking_number, now) from None
    logger.info("paper documents received", extra={"tracking_number": request.tracking_number,
                                                   "documents": [record.document for record in new]})  # fmt: skip
    return blind_view(StoredRequest(request=request, history=[*stored.history, entry]), now)


def _audit(stored: StoredRequest, staff: StaffMember, event: str, note: str, now: datetime) -> HistoryEntry:
    request = stored.request
    entry = HistoryEntry.by_staff(request, event, staff, now, note=note)
    record_event(entry)
    return entry
