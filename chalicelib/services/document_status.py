"""How a document record's status settles from its arrival check and its malware verdict, and
saving a change to the record however the two handlers (and closure, and erasure) interleave."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.documents import DocumentStatus, scan_verdict
from chalicelib.store.documents import DocumentRecord, RecordChanged, load_document, save_document

# Two handlers race on one record at most (arrival and verdict): a few rereads always settle it.
SAVE_ATTEMPTS = 5


@dataclass(frozen=True)
class SettledDocument:
    record: DocumentRecord  # as saved, or as it was when the change left it alone
    status_before: DocumentStatus

    @property
    def became_clean(self) -> bool:
        """This change, not an earlier one, made the document clean: news for the request's queues,
        told once whichever handler (arrival or verdict) came last, and never again on a delivery
        repeated."""
        return self.status_before is not DocumentStatus.CLEAN and self.record.status == DocumentStatus.CLEAN.value


def update_document(document_id: str, change: Callable[[DocumentRecord], None], now: datetime) -> SettledDocument:
    """Applies `change` to the freshest record and settles its status, however the two handlers
    interleave: a verdict counts only for the version whose arrival was checked. A change that
    leaves the record as it was (S3 or the scanner delivering again) writes nothing."""
    for _ in range(SAVE_ATTEMPTS):
        current = load_document(document_id)
        if current is None:
            raise RuntimeError("a document record vanished")
        before = _stored_values(current)
        change(current)
        status, rejection = _settled(current)
        current.status, current.rejection = status.value, rejection
        if _stored_values(current) == before:
            return SettledDocument(current, DocumentStatus(before["status"]))
        current.updated_at = now
        try:
            save_document(current)
        except RecordChanged:
            continue
        return SettledDocument(current, DocumentStatus(before["status"]))
    raise RuntimeError("a document record kept changing under its handlers")


def _stored_values(record: DocumentRecord) -> dict[str, object]:
    """What a save would write: an attribute set to None is not stored at all."""
    return {name: copy.deepcopy(value) for name, value in record.attribute_values.items() if value is not None}


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
