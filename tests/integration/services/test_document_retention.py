"""Documents after a request: closure closes its slots and starts the bucket's deletion clock on its
uploads; an erasure deletes its identity documents, every version, and every file name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.adapters import document_storage
from chalicelib.config import document_settings
from chalicelib.services.document_events import document_arrived, document_scanned
from chalicelib.services.document_paper import record_received_at_window
from chalicelib.services.document_retention import erase_identity_documents, schedule_deletion
from chalicelib.store.documents import documents_of, load_document
from chalicelib.store.requests.request import load_request_record
from tests.integration.services.conftest import (
    JPEG,
    MANAGER,
    PDF,
    Upload,
    file_free_request,
    free_service,
    upload,
    versions_of,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CLOSED = NOW + timedelta(days=3)
RETENTION_TAG = {"Key": "retention", "Value": "request-closed"}


def clean(tracking_number: str, code: str, content: bytes = PDF) -> Upload:
    slot = upload(tracking_number, code, content, NOW)
    document_arrived(document_settings().bucket, slot.key, slot.version_id, NOW)
    document_scanned(document_settings().bucket, slot.key, slot.version_id, "NO_THREATS_FOUND", NOW)
    return slot


def test_closure_closes_every_slot_tags_checked_uploads_and_refuses_a_later_version(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    identity, decision, report = free_service(NOW).documents
    checked = clean(tracking_number, identity.code)
    unchecked = upload(tracking_number, decision.code, PDF, NOW)  # its arrival not yet delivered
    record_received_at_window(tracking_number, [report], MANAGER, NOW)
    s3, bucket = boto3.client("s3"), document_settings().bucket

    schedule_deletion(tracking_number, CLOSED)
    late = s3.put_object(Bucket=bucket, Key=unchecked.key, Body=PDF)["VersionId"]

    assert RETENTION_TAG in s3.get_object_tagging(Bucket=bucket, Key=checked.key)["TagSet"]
    closed = {record.document: record.closed_at for record in documents_of(tracking_number)}
    assert closed == {identity.code: CLOSED, decision.code: CLOSED, report.code: None}  # paper has no slot
    assert document_arrived(bucket, unchecked.key, late, CLOSED) == "awaiting_upload"
    assert [version["VersionId"] for version in versions_of(unchecked.key)] == [unchecked.version_id]


def test_a_clock_that_did_not_start_is_alerted_and_nothing_is_lost(
    aws: None, monkeypatch: pytest.MonkeyPatch, log_lines
) -> None:
    tracking_number = file_free_request(NOW)
    checked = clean(tracking_number, free_service(NOW).documents[0].code)

    def s3_refuses(*args: object) -> None:
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "ServiceUnavailable"}}, "CopyObject")

    monkeypatch.setattr(document_storage, "start_retention_clock", s3_refuses)
    schedule_deletion(tracking_number, CLOSED)

    record = load_document(checked.document_id)
    assert record is not None
    assert (record.status, record.closed_at) == ("clean", CLOSED)
    assert len(versions_of(checked.key)) == 1
    assert '"alert":"document_retention_not_started"' in log_lines.getvalue().replace(" ", "")


def test_an_erasure_deletes_every_identity_version_and_every_file_name_and_again_deletes_nothing_more(
    aws: None,
) -> None:
    tracking_number = file_free_request(NOW)
    identity, decision, _ = free_service(NOW).documents
    copy = clean(tracking_number, identity.code, JPEG)
    boto3.client("s3").put_object(Bucket=document_settings().bucket, Key=copy.key, Body=JPEG)  # a second version
    other = clean(tracking_number, decision.code)
    request = load_request_record(tracking_number)
    assert request is not None

    first = erase_identity_documents(request, CLOSED)
    again = erase_identity_documents(request, CLOSED + timedelta(hours=1))

    assert (first, again) == (2, 0)
    assert versions_of(copy.key) == []
    assert len(versions_of(other.key)) == 1  # the request's work keeps its other documents
    locked, kept = load_document(copy.document_id), load_document(other.document_id)
    assert locked is not None
    assert kept is not None
    assert (locked.erased_at, locked.file_name) == (CLOSED, None)  # the first erasure's moment stands
    assert (kept.erased_at, kept.file_name) == (None, None)
