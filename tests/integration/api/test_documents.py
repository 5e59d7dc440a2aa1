"""Documents online: the presigned POST and its policy, the checks on arrival and the malware
verdict (delivered as S3 and GuardDuty events to the deployed handlers), opening for staff,
identity documents behind a reveal, paper at the window, and the workflow's rules."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from chalice.test import Client

from chalicelib.domain.documents import LARGEST_FILE_BYTES
from tests.factories import free_service_code, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.uploads import BUCKET, JPEG, PDF, clean_document, deliver_events, offer, post_file
from tools.local.document_scanner import EICAR

SERVICE = free_service_code()
REVEAL = {"reason": "التحقق من صورة البطاقة مقابل بيانات الطلب"}


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]


def codes(client: Client) -> dict[str, str]:
    """The free service's documents: the identity copy, and the others by position."""
    services = client.http.get("/v1/services?district=dokki").json_body["services"]
    documents = next(service for service in services if service["code"] == SERVICE)["documents"]
    identity = next(document["code"] for document in documents if document["identity"])
    others = [document["code"] for document in documents if not document["identity"]]
    return {"identity": identity, "first": others[0], "second": others[1], **{f"#{i}": c for i, c in enumerate(others)}}


def office_view(client: Client, headers: dict[str, str], tracking_number: str) -> dict[str, Any]:
    return client.http.get(f"/v1/office/requests/{tracking_number}", headers=headers).json_body


def open_document(client: Client, headers: dict[str, str], tracking_number: str, document_id: str) -> Any:
    return client.http.get(f"/v1/office/requests/{tracking_number}/documents/{document_id}", headers=headers)


def uploaded(client: Client, tracking_number: str, document: str, content: bytes, **declared: Any) -> tuple[str, str]:
    offered = offer(client, tracking_number, document, **declared)
    assert offered.status_code == 201, offered.body
    upload = offered.json_body["upload"]
    assert post_file(upload, content).status_code == 303
    return offered.json_body["document_id"], upload["fields"]["key"]


def stored(table: str) -> int:
    return boto3.client("dynamodb").scan(TableName=f"shobbak-local-{table}", Select="COUNT")["Count"]


# --- the upload form ------------------------------------------------------------------------------


def test_the_presigned_post_holds_the_upload_to_its_key_type_size_and_redirect(
    client: Client, tracking_number: str
) -> None:
    """moto accepts any upload whatever the policy says, so the signed policy itself is read here:
    real S3 enforces exactly these conditions."""
    answer = offer(client, tracking_number, codes(client)["first"], content_type="image/jpeg")

    assert answer.status_code == 201
    document_id, upload = answer.json_body["document_id"], answer.json_body["upload"]
    fields = upload["fields"]
    assert fields["key"] == f"uploads/{document_id}"
    assert tracking_number not in fields["key"]
    assert len(document_id) == 32
    assert urlsplit(upload["url"]).path.strip("/").endswith(BUCKET) or urlsplit(upload["url"]).netloc.startswith(BUCKET)
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, LARGEST_FILE_BYTES] in conditions
    assert LARGEST_FILE_BYTES == 10 * 1024 * 1024
    assert {"Content-Type": "image/jpeg"} in conditions
    assert {"bucket": BUCKET} in conditions
    assert {"key": fields["key"]} in conditions
    redirect = f"http://127.0.0.1:8000/v1/requests/{tracking_number}/documents/{document_id}/uploaded"
    assert {"success_action_redirect": redirect} in conditions
    assert fields["success_action_redirect"] == redirect
    assert fields["Content-Type"] == "image/jpeg"
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert datetime.now(UTC) < expires <= datetime.now(UTC) + timedelta(hours=1, minutes=1)


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"content_type": "application/zip"}, 400, "content_type"),
        ({"content_type": "image/gif"}, 400, "content_type"),
        ({"size_bytes": LARGEST_FILE_BYTES + 1}, 400, "size_bytes"),
        ({"size_bytes": 0}, 400, "size_bytes"),
        ({"document": "no_such_document"}, 400, "document"),
        ({"national_id_last4": "0000"}, 404, None),
        ({"national_id_last4": "12"}, 400, "national_id_last4"),
    ],
)
def test_an_upload_refused_writes_nothing(
    client: Client, tracking_number: str, changes: dict[str, Any], status: int, field: str | None
) -> None:
    before = stored("documents")

    answer = offer(client, tracking_number, changes.pop("document", codes(client)["first"]), **changes)

    assert answer.status_code == status, answer.body
    error = answer.json_body["error"]
    assert error["message_ar"]
    assert error["message_en"]
    if field:
        assert field in error["fields"]
    assert stored("documents") == before


def test_a_finished_request_takes_no_documents(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    manager = staff("manager", "dokki")
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "cancelled", "note": "طلب المواطن الإلغاء", "version": 1}, manager)  # fmt: skip

    answer = offer(client, tracking_number, codes(client)["first"])

    assert answer.status_code == 409
    assert answer.json_body["error"]["code"] == "request_finished"


# --- arrival, scan and opening -------------------------------------------------------------------------


def test_a_clean_pdf_opens_for_an_officer_through_a_five_minute_link_to_the_checked_version(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    document_id, key = uploaded(client, tracking_number, codes(client)["first"], PDF)

    arrived, scanned = deliver_events(client, key)

    assert (arrived, scanned) == ({"status": "uploaded"}, {"status": "clean"})
    listed = office_view(client, officer, tracking_number)["documents"]
    assert {"document_id": document_id, "document": codes(client)["first"], "status": "clean"}.items() <= listed[
        0
    ].items()
    opened = open_document(client, officer, tracking_number, document_id)
    assert opened.status_code == 303
    link = opened.headers["Location"]
    query = parse_qs(urlsplit(link).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert query["versionId"] == [boto3.client("s3").head_object(Bucket=BUCKET, Key=key)["VersionId"]]
    assert requests.get(link, timeout=10).content == PDF
    history = office_view(client, officer, tracking_number)["history"]
    assert history[-1]["event"] == "document_opened"
    assert history[-1]["actor_role"] == "officer"


def test_a_document_not_yet_scanned_does_not_open(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    document_id, key = uploaded(client, tracking_number, codes(client)["first"], JPEG, content_type="image/jpeg")
    deliver_events(client, key, scan=False)

    opened = open_document(client, staff("officer", "dokki"), tracking_number, document_id)

    assert opened.status_code == 409
    assert opened.json_body["error"]["code"] == "document_not_clean"
    assert opened.json_body["current"]["status"] == "uploaded"


@pytest.mark.parametrize(
    ("content", "declared", "rejection"),
    [
        (b"GIF89a not a pdf at all, only renamed", "application/pdf", "wrong_type"),
        (JPEG, "application/pdf", "wrong_type"),
        (b"%PDF-1.4\n" + b"0" * LARGEST_FILE_BYTES, "application/pdf", "too_large"),
        (EICAR, "application/pdf", "wrong_type"),
        (b"%PDF-1.4\n" + EICAR, "application/pdf", "malware"),
    ],
    ids=["renamed", "jpeg-declared-pdf", "oversized", "eicar-alone", "eicar-in-a-pdf"],
)
def test_a_bad_upload_is_rejected_and_never_opens(
    client: Client, staff: StaffHeaders, tracking_number: str, content: bytes, declared: str, rejection: str
) -> None:
    document_id, key = uploaded(client, tracking_number, codes(client)["first"], content, content_type=declared)

    answers = deliver_events(client, key)

    assert answers[-1] == {"status": "rejected"}
    listed = office_view(client, staff("officer", "dokki"), tracking_number)["documents"]
    assert (listed[0]["status"], listed[0]["rejection"]) == ("rejected", rejection)
    assert open_document(client, staff("manager", "dokki"), tracking_number, document_id).status_code == 409


# --- identity documents ---------------------------------------------------------------------------------


def test_the_national_id_copy_opens_only_for_whoever_revealed_the_applicant(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    document_id = clean_document(client, tracking_number, codes(client)["identity"], JPEG)
    officer, manager = staff("officer", "dokki"), staff("manager", "dokki", principal="manager-huda")
    other_manager = staff("manager", "dokki", principal="manager-karim")

    before_reveal = [
        open_document(client, officer, tracking_number, document_id),
        open_document(client, manager, tracking_number, document_id),
    ]
    revealed = post_json(client, f"/v1/office/requests/{tracking_number}/identity", REVEAL, manager)
    after_reveal = [
        open_document(client, manager, tracking_number, document_id),
        open_document(client, other_manager, tracking_number, document_id),
        open_document(client, officer, tracking_number, document_id),
    ]

    assert [answer.status_code for answer in before_reveal] == [403, 403]
    assert "كشف الهوية" in before_reveal[0].json_body["error"]["message_ar"]
    assert revealed.status_code == 200
    assert [answer.status_code for answer in after_reveal] == [303, 403, 403]
    events = [(entry["event"], entry["actor"]) for entry in office_view(client, manager, tracking_number)["history"]]
    assert events[-2:] == [("identity_revealed", "manager-huda"), ("document_opened", "manager-huda")]


# --- paper at the window, and the workflow ----------------------------------------------------------------


def test_paper_at_the_window_is_recorded_once_on_the_version_seen(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    clerk = staff("clerk", "dokki", principal="clerk-amal")
    path = f"/v1/office/requests/{tracking_number}/documents/received"
    first = codes(client)["first"]

    stale = post_json(client, path, {"documents": [first], "version": 2}, clerk)
    unknown = post_json(client, path, {"documents": ["no_such_document"], "version": 1}, clerk)
    recorded = post_json(client, path, {"documents": [first], "version": 1}, clerk)
    again = post_json(client, path, {"documents": [first], "version": 1}, clerk)

    assert (stale.status_code, unknown.status_code) == (409, 400)
    assert recorded.status_code == again.status_code == 200
    assert [entry["status"] for entry in again.json_body["documents"]] == ["received_at_window"]
    history = again.json_body["history"]
    assert [entry["event"] for entry in history].count("documents_received") == 1
    assert (history[-1]["actor"], history[-1]["note"]) == ("clerk-amal", first)
    # A change like every other: the version moves on, once; the same paper sent again changes nothing.
    assert recorded.json_body["version"] == again.json_body["version"] == 2
    assert again.json_body == recorded.json_body


def test_paper_recorded_moves_the_version_so_a_move_on_the_version_read_before_is_a_409(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    path = f"/v1/office/requests/{tracking_number}/documents/received"
    recorded = post_json(client, path, {"documents": [codes(client)["first"]], "version": 1}, staff("clerk", "dokki"))
    moved_on_what_was_read = post_json(
        client,
        f"/v1/office/requests/{tracking_number}/transitions",
        {"to": "in_review", "note": "فحص", "version": 1},
        staff("officer", "dokki"),
    )

    assert recorded.json_body["version"] == 2
    assert moved_on_what_was_read.status_code == 409
    assert moved_on_what_was_read.json_body["error"]["code"] == "stale_version"
    assert moved_on_what_was_read.json_body["current"]["version"] == 2


def test_no_approval_while_a_required_document_is_missing(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "in_review", "note": "فحص", "version": 1}, officer)  # fmt: skip
    every = codes(client)
    clean_document(client, tracking_number, every["first"])
    uploaded_only = uploaded(client, tracking_number, every["second"], PDF)[1]
    deliver_events(client, uploaded_only, scan=False)
    approve = {"to": "approved", "note": "موافقة", "version": 2}

    refused = post_json(client, f"/v1/office/requests/{tracking_number}/transitions", approve, officer)
    handed_in = hand_in_every_document(client, staff("clerk", "dokki"), tracking_number)  # a change: version 3
    approve["version"] = handed_in.json_body["version"]
    approved = post_json(client, f"/v1/office/requests/{tracking_number}/transitions", approve, officer)

    assert refused.status_code == 409
    error = refused.json_body["error"]
    assert error["code"] == "documents_missing"
    assert every["second"] in error["message_en"]
    assert every["identity"] in error["message_en"]
    assert every["first"] not in error["message_en"]
    assert approved.status_code == 200, approved.body


def test_needs_info_names_the_missing_documents_and_the_track_page(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "in_review", "note": "فحص", "version": 1}, officer)  # fmt: skip
    clean_document(client, tracking_number, codes(client)["first"])

    moved = post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
                      {"to": "needs_info", "note": "ناقص مستندات", "version": 2}, officer)  # fmt: skip

    assert moved.status_code == 200
    message = moved.json_body["history"][-1]["message_to_citizen"]
    services = client.http.get("/v1/services?district=dokki").json_body["services"]
    names = {d["code"]: d["name_ar"] for d in next(s for s in services if s["code"] == SERVICE)["documents"]}
    assert names[codes(client)["second"]] in message
    assert names[codes(client)["first"]] not in message
    assert "صفحة متابعة الطلب" in message


def test_needs_info_without_words_or_missing_documents_is_refused(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    version = hand_in_every_document(client, staff("clerk", "dokki"), tracking_number).json_body["version"]
    in_review = post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
                          {"to": "in_review", "note": "فحص", "version": version}, officer)  # fmt: skip
    assert in_review.status_code == 200, in_review.body

    refused = post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
                        {"to": "needs_info", "note": "ناقص", "version": version + 1}, officer)  # fmt: skip

    assert refused.status_code == 400
    assert "message_to_citizen" in refused.json_body["error"]["fields"]


def test_closing_a_request_starts_the_deletion_clock_of_its_uploads(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    _, key = uploaded(client, tracking_number, codes(client)["first"], PDF)
    deliver_events(client, key)
    manager = staff("manager", "dokki")

    closed = post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
                       {"to": "cancelled", "note": "إلغاء", "version": 1}, manager)  # fmt: skip

    assert closed.status_code == 200
    s3 = boto3.client("s3")
    tags = s3.get_object_tagging(Bucket=BUCKET, Key=key)["TagSet"]
    assert {"Key": "retention", "Value": "request-closed"} in tags
    rules = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
    deleting = next(rule for rule in rules if rule["ID"] == "delete-after-the-request-closes")
    assert deleting["Filter"] == {"Tag": {"Key": "retention", "Value": "request-closed"}}
    assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled"


# --- the page S3 sends the citizen back to -------------------------------------------------------------------


def test_the_page_after_an_upload_says_what_was_received(client: Client, tracking_number: str) -> None:
    document_id, _ = uploaded(client, tracking_number, codes(client)["first"], PDF)

    page = client.http.get(f"/v1/requests/{tracking_number}/documents/{document_id}/uploaded")
    unknown = client.http.get(f"/v1/requests/{tracking_number}/documents/{'0' * 32}/uploaded")

    assert page.status_code == 200
    text = page.body.decode()
    assert "استلمنا المستند" in text
    assert f"{codes(client)['first']}.pdf" in text  # named by its kind (issue 23, item 5)
    assert "scan.pdf" not in text  # never by the citizen's own name for it
    assert unknown.status_code == 404
