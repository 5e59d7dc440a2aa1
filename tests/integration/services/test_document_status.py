"""A document record's status settled from its arrival check and its verdict, whichever handler
writes first, and however the two interleave on the one record."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from chalicelib.config import document_settings
from chalicelib.services.document_events import document_arrived, document_scanned
from chalicelib.services.document_status import update_document
from chalicelib.store.documents import DocumentRecord, load_document
from tests.integration.services.conftest import PDF, Upload, file_free_request, free_service, upload

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
Change = Callable[[DocumentRecord], None]


@pytest.fixture
def slot(aws: None) -> Upload:
    return upload(file_free_request(NOW), free_service(NOW).documents[1].code, PDF, NOW)


def status_of(document_id: str) -> str:
    record = load_document(document_id)
    assert record is not None
    return record.status


def test_a_verdict_before_the_arrival_waits_for_it_and_then_counts(slot: Upload) -> None:
    bucket = document_settings().bucket

    assert document_scanned(bucket, slot.key, slot.version_id, "NO_THREATS_FOUND", NOW) == "awaiting_upload"
    assert document_arrived(bucket, slot.key, slot.version_id, NOW) == "clean"


def test_a_verdict_on_another_version_than_the_one_checked_does_not_make_it_clean(slot: Upload) -> None:
    def checked_then_scanned_elsewhere(record: DocumentRecord) -> None:
        record.checked_version, record.size_bytes = slot.version_id, len(PDF)
        record.scanned_version, record.scan_status = "another-version", "NO_THREATS_FOUND"

    assert update_document(slot.document_id, checked_then_scanned_elsewhere, NOW).record.status == "uploaded"
    assert status_of(slot.document_id) == "uploaded"


def test_two_handlers_that_read_the_same_record_both_land_and_settle_it_clean(slot: Upload) -> None:
    """Both read before either writes: the second write finds the record changed, reads it again and
    applies its change to what the first wrote, so that neither half is lost."""
    both_read = threading.Barrier(2, timeout=10)

    def after_both_read(change):
        waited = []

        def wrapped(record: DocumentRecord) -> None:
            if not waited:
                waited.append(True)
                both_read.wait()
            change(record)

        return wrapped

    def arrival(record: DocumentRecord) -> None:
        record.checked_version, record.size_bytes = slot.version_id, len(PDF)

    def verdict(record: DocumentRecord) -> None:
        record.scanned_version, record.scan_status = slot.version_id, "NO_THREATS_FOUND"

    with ThreadPoolExecutor(2) as pool:
        saved = list(pool.map(lambda change: update_document(slot.document_id, after_both_read(change), NOW),
                              [arrival, verdict]))  # fmt: skip

    assert "clean" in [settled.record.status for settled in saved]  # the one that wrote second saw both halves
    record = load_document(slot.document_id)
    assert record is not None
    assert (record.status, record.checked_version, record.scanned_version) == ("clean", slot.version_id,
                                                                                slot.version_id)  # fmt: skip


def test_a_record_that_is_gone_is_not_written_again(aws: None) -> None:
    with pytest.raises(RuntimeError, match="vanished"):
        update_document("0" * 32, lambda record: None, NOW)

    assert load_document("0" * 32) is None
