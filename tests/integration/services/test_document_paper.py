"""Paper handed in at a window: one record per document, however often the window records it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.services.document_paper import record_received_at_window
from chalicelib.store.documents import documents_of
from tests.integration.services.conftest import MANAGER, file_free_request, free_service

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def test_paper_is_recorded_once_per_document_whatever_the_retries(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    first, *others = free_service(NOW).documents

    new = record_received_at_window(tracking_number, [first], MANAGER, NOW)
    retried = record_received_at_window(tracking_number, [first, *others], MANAGER, NOW + timedelta(minutes=1))
    again = record_received_at_window(tracking_number, [first, *others], MANAGER, NOW + timedelta(minutes=2))

    assert (new, retried, again) == ([first.code], [other.code for other in others], [])
    records = documents_of(tracking_number)
    assert sorted(record.document for record in records) == sorted(d.code for d in free_service(NOW).documents)
    held = next(record for record in records if record.document == first.code)
    assert (held.status, held.received_by, held.object_key) == ("received_at_window", MANAGER.principal, None)
    assert held.created_at == NOW  # the first recording stands
