"""What the service tests share: the log lines they read, filed requests, staff, and uploads
made the way a browser's presigned POST leaves them in the bucket."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import boto3
import pytest

from chalicelib.config import document_settings
from chalicelib.domain.catalogue import Service
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.observability.audit import audit_logger
from chalicelib.observability.logs import logger
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.document_uploads import offer_upload
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import free_service_code, national_id, submission

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
OFFICER = StaffMember("officer-1", Role.OFFICER, "dokki")
MANAGER = StaffMember("manager-huda", Role.MANAGER, "dokki")


class Records(logging.Handler):
    """The log records themselves, before the redacting formatter: what the code asked to log."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        return json.dumps([record.__dict__ for record in self.records], default=str, ensure_ascii=False)


@pytest.fixture
def raw_records() -> Iterator[Records]:
    """What the service's logger and the audit logger were asked to log."""
    handler = Records()
    loggers = [logging.getLogger(logger.name), logging.getLogger(audit_logger.name)]
    for each in loggers:
        each.addHandler(handler)
    yield handler
    for each in loggers:
        each.removeHandler(handler)


def file_free_request(now: datetime) -> str:
    """A request for the first free service, filed online in Dokki; its tracking number."""
    return submit_request(submission(free_service_code()), None, ONLINE, now).tracking_number


def free_service(now: datetime) -> Service:
    service = current_catalogue().service(free_service_code(), on=now.date())
    assert service is not None
    return service


@dataclass(frozen=True)
class Upload:
    """A slot filled by a browser: its record's id, its object's key and the version S3 made."""

    document_id: str
    key: str
    version_id: str


def upload(tracking_number: str, document: str, content: bytes, now: datetime, content_type: str = "") -> Upload:
    """An upload slot offered for `document`, and `content` posted into it (a new version of its object)."""
    declared = content_type or ("image/jpeg" if content.startswith(JPEG[:3]) else "application/pdf")
    offered = offer_upload(
        tracking_number,
        {"national_id_last4": national_id()[-4:], "document": document, "file_name": "scan.pdf",
         "content_type": declared, "size_bytes": max(len(content), 1)},
        now,
        "https://api.example",
    )  # fmt: skip
    key = offered.upload["fields"]["key"]
    put = boto3.client("s3").put_object(Bucket=document_settings().bucket, Key=key, Body=content)
    return Upload(offered.document_id, key, put["VersionId"])


def versions_of(key: str) -> list[dict]:
    listed = boto3.client("s3").list_object_versions(Bucket=document_settings().bucket, Prefix=key)
    return listed.get("Versions", []) + listed.get("DeleteMarkers", [])
