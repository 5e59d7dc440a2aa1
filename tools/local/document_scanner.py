"""The local stack's stand-in for S3's event delivery and GuardDuty Malware Protection for S3.

`chalice local` fires no event handler, and moto's S3 sends no events. This process watches the
documents bucket of the moto server; for each new object version it invokes the application's
own `document_arrived` handler with an EventBridge "Object Created" event built as S3 builds it,
then scans the object (a simulated scanner: the EICAR test file is a threat, anything else is
clean), tags it as GuardDuty does (its tag added beside the object's others), and invokes
`document_scanned` with GuardDuty's "Object Scan Result" event. The functions invoked are the ones Lambda runs in AWS.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import boto3

from chalicelib.domain.documents import GUARDDUTY_STATUS_TAG
from chalicelib.store.documents import UPLOAD_PREFIX

POLL_SECONDS = 0.5
REGION = "eu-central-1"
ACCOUNT = "123456789012"
# The EICAR anti-malware test file: harmless, and detected as a threat by every scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def object_created_event(bucket: str, key: str, version_id: str | None, size: int) -> dict[str, Any]:
    """S3's EventBridge event for a new object (as S3 sends it with EventBridge notifications on)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": size, "version-id": version_id, "sequencer": "0"},
            "request-id": "local",
            "requester": ACCOUNT,
            "reason": "PostObject",
        },
    }


def scan_result_event(bucket: str, key: str, version_id: str | None, scan_status: str) -> dict[str, Any]:
    """GuardDuty Malware Protection for S3's EventBridge event with its verdict on one object."""
    threats = [{"name": "EICAR-Test-File (not a virus)"}] if scan_status == "THREATS_FOUND" else None
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "GuardDuty Malware Protection Object Scan Result",
        "source": "aws.guardduty",
        "account": ACCOUNT,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [],
        "detail": {
            "schemaVersion": "1.0",
            "scanStatus": "COMPLETED",
            "resourceType": "S3_OBJECT",
            "s3ObjectDetails": {"bucketName": bucket, "objectKey": key, "versionId": version_id, "s3Throttled": False},
            "scanResultDetails": {"scanResultStatus": scan_status, "threats": threats},
        },
    }


def simulated_scan(content: bytes) -> str:
    return "THREATS_FOUND" if EICAR in content else "NO_THREATS_FOUND"


class Scanner:
    def __init__(self, s3: Any, bucket: str, handlers: Any, context: Any) -> None:
        self._s3, self._bucket, self._handlers, self._context = s3, bucket, handlers, context
        self._seen: set[tuple[str, str]] = set()

    def new_versions(self) -> list[dict[str, Any]]:
        found = []
        for page in self._s3.get_paginator("list_object_versions").paginate(Bucket=self._bucket, Prefix=UPLOAD_PREFIX):
            for version in page.get("Versions", []):
                identity = (version["Key"], version["VersionId"])
                if identity not in self._seen:
                    self._seen.add(identity)
                    found.append(version)
        return sorted(found, key=lambda version: version["LastModified"])

    def handle(self, version: dict[str, Any]) -> None:
        key, version_id = version["Key"], version["VersionId"]
        self._handlers["document_arrived"](
            object_created_event(self._bucket, key, version_id, version["Size"]), self._context
        )
        content = self._s3.get_object(Bucket=self._bucket, Key=key, VersionId=version_id)["Body"].read()
        status = simulated_scan(content)
        self._tag(key, version_id, status)
        self._handlers["document_scanned"](scan_result_event(self._bucket, key, version_id, status), self._context)
        print(f"document scanner: {key} {status}", flush=True)

    def _tag(self, key: str, version_id: str, status: str) -> None:
        """GuardDuty adds its tag beside the object's others (PutObjectTagging replaces the whole
        set, so the set is read first): the retention tag must survive a scan."""
        tags = self._s3.get_object_tagging(Bucket=self._bucket, Key=key, VersionId=version_id)["TagSet"]
        kept = [tag for tag in tags if tag["Key"] != GUARDDUTY_STATUS_TAG]
        self._s3.put_object_tagging(
            Bucket=self._bucket,
            Key=key,
            VersionId=version_id,
            Tagging={"TagSet": [*kept, {"Key": GUARDDUTY_STATUS_TAG, "Value": status}]},
        )

    def run_forever(self) -> None:
        while True:
            for version in self.new_versions():
                try:
                    self.handle(version)
                except Exception as error:
                    print(f"document scanner: {version['Key']} failed: {error!r}", file=sys.stderr, flush=True)
            time.sleep(POLL_SECONDS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bucket", required=True)
    arguments = parser.parse_args()
    # The application's own handlers, as Lambda would run them (imported once the environment is set).
    from chalice.local import LambdaContext

    from app import app

    s3 = boto3.client("s3", region_name=REGION)
    context = LambdaContext("document_scanner", memory_size=512)
    Scanner(s3, arguments.bucket, app.handler_map, context).run_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
