"""Uploading a document the way a browser does, against moto in process, and delivering the
S3 and GuardDuty events that the deployed functions would receive."""

from __future__ import annotations

from typing import Any

import boto3
import requests
from chalice.test import Client

from tests.factories import national_id
from tests.integration.api.calls import post_json
from tools.local.document_scanner import object_created_event, scan_result_event, simulated_scan

BUCKET = "shobbak-local-documents-123456789012"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def offer(client: Client, tracking_number: str, document: str, content_type: str = "application/pdf",
          **changes: Any) -> Any:  # fmt: skip
    body = {
        "national_id_last4": national_id()[-4:],
        "document": document,
        "file_name": "scan.pdf",
        "content_type": content_type,
        "size_bytes": 1000,
        **changes,
    }
    return post_json(client, f"/v1/requests/{tracking_number}/documents", body)


def post_file(upload: dict[str, Any], content: bytes, file_name: str = "scan.pdf") -> requests.Response:
    """The browser's multipart POST of the presigned form (moto intercepts the request in process)."""
    return requests.post(upload["url"], data=upload["fields"], files={"file": (file_name, content)},
                         allow_redirects=False, timeout=10)  # fmt: skip


def deliver_events(client: Client, key: str, scan: bool = True) -> list[Any]:
    """What S3 and GuardDuty send for the object's newest version, through the deployed handlers."""
    s3 = boto3.client("s3")
    version = s3.list_object_versions(Bucket=BUCKET, Prefix=key)["Versions"][0]
    answers = [
        client.lambda_.invoke(
            "document_arrived", object_created_event(BUCKET, key, version["VersionId"], version["Size"])
        ).payload
    ]
    if scan:
        content = s3.get_object(Bucket=BUCKET, Key=key, VersionId=version["VersionId"])["Body"].read()
        event = scan_result_event(BUCKET, key, version["VersionId"], simulated_scan(content))
        answers.append(client.lambda_.invoke("document_scanned", event).payload)
    return answers


def clean_document(client: Client, tracking_number: str, document: str, content: bytes = PDF) -> str:
    """An upload of `document` (a PDF or a JPEG), arrived and scanned clean; its document id."""
    offered = offer(
        client, tracking_number, document, "image/jpeg" if content.startswith(JPEG[:3]) else "application/pdf"
    )
    assert offered.status_code == 201, offered.body
    upload = offered.json_body["upload"]
    assert post_file(upload, content).status_code in (200, 201, 204, 303)
    assert deliver_events(client, upload["fields"]["key"])[-1] == {"status": "clean"}
    return offered.json_body["document_id"]
