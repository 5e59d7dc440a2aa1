"""Upload slots (issue 23, item 4): a slot takes one version, the first checked; a request is
offered so many slots; nothing is taken once the request is reviewed or finished; and no
stored version escapes the retention rule."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.documents import UPLOAD_OFFERS_PER_REQUEST
from tests.factories import free_service_code, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.documented_answers import undocumented
from tests.integration.api.test_documents import codes, open_document
from tests.integration.api.uploads import BUCKET, JPEG, PDF, deliver_events, offer, post_file
from tools.local.document_scanner import object_created_event

OFFER_ROUTE = "/v1/requests/{tracking_number}/documents"


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


def versions(key: str) -> list[dict[str, Any]]:
    return boto3.client("s3").list_object_versions(Bucket=BUCKET, Prefix=key).get("Versions", [])


def move(client: Client, headers: dict[str, str], tracking_number: str, to: str, version: int) -> Any:
    body = {"to": to, "note": "ملاحظة المكتب", "version": version}
    return post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, headers)


def test_a_slot_takes_one_version_and_the_first_checked_one_wins(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    offered = offer(client, tracking_number, codes(client)["first"])
    upload = offered.json_body["upload"]
    key = upload["fields"]["key"]
    assert post_file(upload, PDF).status_code == 303
    first = versions(key)[0]["VersionId"]
    assert deliver_events(client, key)[-1] == {"status": "clean"}

    for _ in range(3):  # the same presigned form, posted again within its hour
        assert post_file(upload, b"%PDF-1.4 another file altogether").status_code == 303
        assert deliver_events(client, key, scan=False) == [{"status": "clean"}]

    assert [version["VersionId"] for version in versions(key)] == [first]
    link = open_document(client, staff("officer", "dokki"), tracking_number, offered.json_body["document_id"])
    assert f"versionId={first}" in link.headers["Location"]


def test_a_request_is_offered_a_bounded_number_of_slots(client: Client, tracking_number: str) -> None:
    answers = [offer(client, tracking_number, codes(client)["first"]) for _ in range(UPLOAD_OFFERS_PER_REQUEST + 2)]

    assert [answer.status_code for answer in answers] == [201] * UPLOAD_OFFERS_PER_REQUEST + [409, 409]
    assert answers[-1].json_body["error"]["code"] == "too_many_uploads"
    assert undocumented("POST", OFFER_ROUTE, answers[-1]) is None


def test_a_form_posted_after_a_cancel_is_never_taken_and_leaves_no_object(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    offered = offer(client, tracking_number, codes(client)["first"])
    upload = offered.json_body["upload"]
    key = upload["fields"]["key"]
    assert move(client, staff("manager", "dokki"), tracking_number, "cancelled", 1).status_code == 200

    assert post_file(upload, PDF).status_code == 303
    answers = deliver_events(client, key, scan=False)

    assert answers[0] == {"status": "awaiting_upload"}
    assert versions(key) == []


def test_a_version_posted_after_closure_does_not_replace_the_retained_copy(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    offered = offer(client, tracking_number, codes(client)["first"])
    upload = offered.json_body["upload"]
    key = upload["fields"]["key"]
    assert post_file(upload, PDF).status_code == 303
    deliver_events(client, key)
    assert move(client, staff("manager", "dokki"), tracking_number, "cancelled", 1).status_code == 200
    s3 = boto3.client("s3")
    retained = s3.head_object(Bucket=BUCKET, Key=key)["VersionId"]
    # S3 reports the retention copy too: it is left as it is.
    copy_event = object_created_event(BUCKET, key, retained, len(PDF))
    assert client.lambda_.invoke("document_arrived", copy_event).payload == {"status": "clean"}

    assert post_file(upload, JPEG).status_code == 303
    assert deliver_events(client, key, scan=False) == [{"status": "clean"}]

    current = s3.head_object(Bucket=BUCKET, Key=key)["VersionId"]
    assert current == retained
    tags = s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    assert {"Key": "retention", "Value": "request-closed"} in tags


@pytest.mark.parametrize("status", ["approved", "ready"])
def test_a_reviewed_request_takes_no_more_documents(
    client: Client, staff: StaffHeaders, tracking_number: str, status: str
) -> None:
    officer = staff("officer", "dokki")
    version = hand_in_every_document(client, staff("manager", "dokki"), tracking_number).json_body["version"]
    for target in ["in_review", "approved", "ready"][: ["in_review", "approved", "ready"].index(status) + 1]:
        assert move(client, officer, tracking_number, target, version).status_code == 200
        version += 1

    answer = offer(client, tracking_number, codes(client)["first"])

    assert answer.status_code == 409
    assert answer.json_body["error"]["code"] == "documents_closed"
    assert undocumented("POST", OFFER_ROUTE, answer) is None


def test_a_document_accepted_is_not_swapped_unless_the_office_asks_for_more(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    first = codes(client)["first"]
    offered = offer(client, tracking_number, first)
    upload = offered.json_body["upload"]
    assert post_file(upload, PDF).status_code == 303
    deliver_events(client, upload["fields"]["key"])
    officer = staff("officer", "dokki")
    assert move(client, officer, tracking_number, "in_review", 1).status_code == 200

    swapped = offer(client, tracking_number, first)
    body = {"to": "needs_info", "note": "الصورة غير واضحة", "message_to_citizen": "أعد رفع المستند بصورة أوضح",
            "version": 2}  # fmt: skip
    assert post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, officer).status_code == 200
    asked_for = offer(client, tracking_number, first)

    assert (swapped.status_code, swapped.json_body["error"]["code"]) == (409, "document_accepted")
    assert undocumented("POST", OFFER_ROUTE, swapped) is None
    assert asked_for.status_code == 201
