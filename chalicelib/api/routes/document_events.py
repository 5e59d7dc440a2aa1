"""The events a document's checks run on, delivered by EventBridge.

- S3 "Object Created" (the bucket sends its events to EventBridge): the size and first bytes of
  the new version are checked against what was declared → `uploaded` or `rejected`.
- GuardDuty Malware Protection for S3 "Object Scan Result" → `clean` or `rejected`.
The patterns name no bucket (its name is known only once deployed); the service ignores
objects of any other bucket. `chalice local` fires no such handler: locally
tools/local/document_scanner.py invokes these same functions with events built like AWS's.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice.app import CloudWatchEvent

from chalicelib.api.routes.startup import GuardedBlueprint

document_events = GuardedBlueprint(__name__)  # its functions start without app.py

OBJECT_CREATED = {"source": ["aws.s3"], "detail-type": ["Object Created"]}
SCAN_RESULT = {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Malware Protection Object Scan Result"]}


@document_events.on_cw_event(OBJECT_CREATED, name="document_arrived")
def on_object_created(event: CloudWatchEvent) -> dict[str, str]:
    # The services are imported on first use, as in api/routes/citizen.py: the API's cold start never pays.
    from chalicelib.services.document_events import document_arrived

    detail = event.detail
    status = document_arrived(
        detail["bucket"]["name"], detail["object"]["key"], detail["object"].get("version-id"), datetime.now(UTC)
    )
    return {"status": status}


@document_events.on_cw_event(SCAN_RESULT, name="document_scanned")
def on_scan_result(event: CloudWatchEvent) -> dict[str, str]:
    from chalicelib.services.document_events import document_scanned

    detail = event.detail
    target = detail["s3ObjectDetails"]
    status = document_scanned(
        target["bucketName"],
        target["objectKey"],
        target.get("versionId"),
        detail["scanResultDetails"]["scanResultStatus"],
        datetime.now(UTC),
    )
    return {"status": status}
