"""The document checks' event handlers (chalicelib/api/routes/document_events.py): S3's "Object
Created" through document_arrived, GuardDuty's scan result through document_scanned, invoked as
the deployed functions are. Uploads that go through them on their way to an officer are tested
with the rest of the documents' story in tests/integration/api/test_documents.py."""

from __future__ import annotations

import boto3
import pytest
from chalice.test import Client

from tests.factories import submission
from tests.integration.api.calls import post_json
from tests.integration.api.test_documents import SERVICE, codes, uploaded
from tests.integration.api.uploads import BUCKET, PDF, deliver_events
from tools.local.document_scanner import object_created_event, scan_result_event


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]


def test_events_out_of_order_or_repeated_settle_the_same(client: Client, tracking_number: str) -> None:
    _, key = uploaded(client, tracking_number, codes(client)["first"], PDF)
    version = boto3.client("s3").head_object(Bucket=BUCKET, Key=key)["VersionId"]
    verdict = scan_result_event(BUCKET, key, version, "NO_THREATS_FOUND")
    arrival = object_created_event(BUCKET, key, version, len(PDF))

    outcomes = [
        client.lambda_.invoke("document_scanned", verdict).payload,
        client.lambda_.invoke("document_arrived", arrival).payload,
        client.lambda_.invoke("document_arrived", arrival).payload,
        client.lambda_.invoke("document_scanned", verdict).payload,
    ]

    assert outcomes == [{"status": "awaiting_upload"}] + [{"status": "clean"}] * 3


def test_a_failed_scan_decides_nothing_and_a_second_version_through_the_slot_is_refused(
    client: Client, tracking_number: str
) -> None:
    """A slot takes one version, the first checked (issue 23, item 4): a replacement is deleted."""
    _, key = uploaded(client, tracking_number, codes(client)["first"], PDF)
    deliver_events(client, key)
    version = boto3.client("s3").head_object(Bucket=BUCKET, Key=key)["VersionId"]

    failed = client.lambda_.invoke("document_scanned", scan_result_event(BUCKET, key, version, "FAILED")).payload
    boto3.client("s3").put_object(Bucket=BUCKET, Key=key, Body=b"%PDF-1.7 replaced")
    replaced = deliver_events(client, key, scan=False)

    assert failed == {"status": "clean"}
    assert replaced == [{"status": "clean"}]
    assert boto3.client("s3").head_object(Bucket=BUCKET, Key=key)["VersionId"] == version


def test_objects_of_no_document_are_ignored(client: Client) -> None:
    boto3.client("s3").put_object(Bucket=BUCKET, Key="uploads/ffffffffffffffffffffffffffffffff", Body=PDF)

    answer = client.lambda_.invoke(
        "document_arrived", object_created_event(BUCKET, "uploads/ffffffffffffffffffffffffffffffff", None, 1)
    ).payload
    elsewhere = client.lambda_.invoke("document_arrived", object_created_event("another-bucket", "x", None, 1)).payload

    assert answer == elsewhere == {"status": "ignored"}
