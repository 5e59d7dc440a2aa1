"""S3's word that a file arrived and the scan's verdict on it, handed straight to the service: the
checks an upload passes, a second delivery of either changing nothing, and a request sent back for
documents returning to its officer when the last one is clean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.config import document_settings
from chalicelib.services.document_events import DOCUMENTS_COMPLETE_AR, document_arrived, document_scanned
from chalicelib.services.office_moves import move_request
from chalicelib.store.documents import load_document
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import load_request
from tests.integration.services.conftest import (
    JPEG,
    OFFICER,
    PDF,
    Upload,
    file_free_request,
    free_service,
    upload,
    versions_of,
)
from tools.local.document_scanner import EICAR

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=5)


def arrive(slot: Upload, now: datetime = NOW) -> str:
    return document_arrived(document_settings().bucket, slot.key, slot.version_id, now)


def scan(slot: Upload, verdict: str, now: datetime = NOW) -> str:
    return document_scanned(document_settings().bucket, slot.key, slot.version_id, verdict, now)


def kept(document_id: str) -> dict:
    """The record as stored, whole: when it was last written and its write counter included, so
    that a delivery again which wrote the same values would show."""
    record = load_document(document_id)
    assert record is not None
    return dict(record.attribute_values)


def uploads_noted(tracking_number: str) -> tuple[set[str] | None, datetime | None]:
    """What the request's queues know of the citizen's clean uploads."""
    stored = load_request(tracking_number)
    assert stored is not None
    return stored.request.documents_uploaded, stored.request.citizen_uploaded_at


def test_a_clean_pdf_is_checked_on_arrival_then_clean_on_its_verdict(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    code = free_service(NOW).documents[1].code
    slot = upload(tracking_number, code, PDF, NOW)

    assert arrive(slot) == "uploaded"
    assert scan(slot, "NO_THREATS_FOUND") == "clean"

    record = load_document(slot.document_id)
    assert record is not None
    assert (record.checked_version, record.scanned_version) == (slot.version_id, slot.version_id)
    assert (record.size_bytes, record.content_type) == (len(PDF), "application/pdf")
    assert record.file_name == f"{code}.pdf"  # named by its kind, never as the citizen named it


def test_an_arrival_or_a_verdict_delivered_twice_changes_nothing_the_second_time(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    code = free_service(NOW).documents[1].code
    slot = upload(tracking_number, code, PDF, NOW)
    arrive(slot)
    scan(slot, "NO_THREATS_FOUND")
    once, noted = kept(slot.document_id), uploads_noted(tracking_number)

    assert arrive(slot, LATER) == "clean"
    assert scan(slot, "NO_THREATS_FOUND", LATER) == "clean"

    assert kept(slot.document_id) == once
    assert uploads_noted(tracking_number) == noted == ({code}, NOW)


def test_a_verdict_before_the_arrival_is_noted_for_the_queues_once_the_arrival_makes_it_clean(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    code = free_service(NOW).documents[1].code
    slot = upload(tracking_number, code, PDF, NOW)

    assert scan(slot, "NO_THREATS_FOUND") == "awaiting_upload"
    assert uploads_noted(tracking_number) == (None, None)
    assert arrive(slot, LATER) == "clean"

    assert uploads_noted(tracking_number) == ({code}, LATER)


def test_content_that_is_not_the_declared_type_is_rejected_and_a_later_clean_verdict_does_not_open_it(
    aws: None,
) -> None:
    tracking_number = file_free_request(NOW)
    slot = upload(tracking_number, free_service(NOW).documents[1].code, JPEG, NOW, content_type="application/pdf")

    assert arrive(slot) == "rejected"
    assert scan(slot, "NO_THREATS_FOUND") == "rejected"

    record = load_document(slot.document_id)
    assert record is not None
    assert (record.rejection, record.arrival_rejection) == ("wrong_type", "wrong_type")


def test_malware_is_rejected_and_the_same_verdict_again_changes_nothing(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    slot = upload(tracking_number, free_service(NOW).documents[1].code, PDF + EICAR, NOW)
    arrive(slot)

    assert scan(slot, "THREATS_FOUND") == "rejected"
    once = kept(slot.document_id)
    assert once["rejection"] == "malware"
    assert scan(slot, "THREATS_FOUND", LATER) == "rejected"
    assert kept(slot.document_id) == once


def test_a_scan_that_decided_nothing_leaves_the_document_unopened_and_alerts(aws: None, log_lines) -> None:
    tracking_number = file_free_request(NOW)
    slot = upload(tracking_number, free_service(NOW).documents[1].code, PDF, NOW)
    arrive(slot)
    before = kept(slot.document_id)

    assert scan(slot, "FAILED") == "uploaded"

    assert kept(slot.document_id) == before
    assert '"alert":"document_scan_failed"' in log_lines.getvalue().replace(" ", "")


def test_a_second_version_posted_into_a_checked_slot_is_deleted_and_changes_nothing(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    slot = upload(tracking_number, free_service(NOW).documents[1].code, PDF, NOW)
    arrive(slot)
    scan(slot, "NO_THREATS_FOUND")
    before = kept(slot.document_id)
    again = boto3.client("s3").put_object(Bucket=document_settings().bucket, Key=slot.key, Body=JPEG)
    second = Upload(slot.document_id, slot.key, again["VersionId"])

    assert arrive(second, LATER) == "clean"
    assert scan(second, "THREATS_FOUND", LATER) == "clean"  # a verdict on a version not checked counts for nothing

    assert kept(slot.document_id) == before
    assert [version["VersionId"] for version in versions_of(slot.key)] == [slot.version_id]


@pytest.mark.parametrize("where", ["another_bucket", "outside_uploads", "no_record"])
def test_an_object_that_is_no_upload_slot_is_ignored(aws: None, where: str) -> None:
    bucket, key = document_settings().bucket, "uploads/" + "0" * 32
    if where == "another_bucket":
        bucket = "someone-elses-bucket"
    elif where == "outside_uploads":
        key = "exports/" + "0" * 32

    assert document_arrived(bucket, key, "v1", NOW) == "ignored"
    assert document_scanned(bucket, key, "v1", "THREATS_FOUND", NOW) == "ignored"


def test_the_last_missing_document_clean_sends_the_request_back_to_its_officer_once(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    move_request(OFFICER, tracking_number, {"to": "in_review", "note": "فحص", "version": 1}, NOW)
    move_request(OFFICER, tracking_number, {"to": "needs_info", "note": "ناقص", "version": 2}, NOW)
    first, *others = [upload(tracking_number, d.code, PDF, NOW) for d in free_service(NOW).documents]
    for slot in others:
        arrive(slot)
        scan(slot, "NO_THREATS_FOUND")
    waiting = load_request(tracking_number)
    assert waiting is not None

    arrive(first, LATER)
    scan(first, "NO_THREATS_FOUND", LATER)
    scan(first, "NO_THREATS_FOUND", LATER + timedelta(seconds=1))  # the verdict delivered again

    assert waiting.request.status == "needs_info"
    stored = load_request(tracking_number)
    assert stored is not None
    assert (stored.request.status, stored.request.version) == ("in_review", 4)
    assert [entry.citizen_message for entry in stored.history].count(DOCUMENTS_COMPLETE_AR) == 1
    told = [message.event for message in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number)]
    assert told.count("documents_complete") == 1
