"""How a document record's status settles from its arrival check and its malware verdict, and
saving a change to the record however the two handlers (and closure, and erasure) interleave."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chalicelib.domain.documents import DocumentStatus, scan_verdict
from chalicelib.store.documents import DocumentRecord, RecordChanged, load_document, save_document

# Two handlers race on one record at most (arrival and verdict): a few rereads always settle it.
SAVE_ATTEMPTS = 5


def update_document(document_id: str, change: Callable[[DocumentRecord], None], now: datetime) -> DocumentRecord:
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
