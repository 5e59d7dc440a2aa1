"""The local stand-in for GuardDuty Malware Protection for S3 (issue 23, item 13): like GuardDuty,
it adds its verdict's tag beside the object's other tags, never in their place, so that the
retention tag the local stack's checks rely on survives a scan."""

from __future__ import annotations

from typing import Any

import boto3

from tests.integration.api.uploads import BUCKET, PDF
from tools.local.document_scanner import Scanner


def test_the_scanner_adds_its_tag_beside_the_others(aws: None) -> None:
    s3 = boto3.client("s3")
    key = "uploads/0123456789abcdef0123456789abcdef"
    s3.put_object(Bucket=BUCKET, Key=key, Body=PDF, Tagging="retention=request-closed")
    invoked: list[str] = []
    handlers: dict[str, Any] = {
        "document_arrived": lambda event, context: invoked.append("arrived"),
        "document_scanned": lambda event, context: invoked.append("scanned"),
    }
    scanner = Scanner(s3, BUCKET, handlers, context=None)

    [version] = scanner.new_versions()
    scanner.handle(version)

    tags = s3.get_object_tagging(Bucket=BUCKET, Key=key, VersionId=version["VersionId"])["TagSet"]
    assert sorted((tag["Key"], tag["Value"]) for tag in tags) == [
        ("GuardDutyMalwareScanStatus", "NO_THREATS_FOUND"),
        ("retention", "request-closed"),
    ]
    assert invoked == ["arrived", "scanned"]
