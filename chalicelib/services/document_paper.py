"""Paper documents handed in at a window: one record per document, whatever the retries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.catalogue import Document
from chalicelib.domain.documents import DocumentStatus
from chalicelib.domain.staff import StaffMember
from chalicelib.store.documents import DocumentRecord, insert_document


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
