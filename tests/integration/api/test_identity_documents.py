"""Identity documents and file names (issue 23, items 1, 2 and 5): an erasure leaves no copy of
the national ID, no object version and no file name; the copy opens only for a manager of the
request's district who revealed the applicant a short while ago; and no file name the citizen
chose is ever stored, shown or put into a link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.staff import REVEAL_LASTS, Role, StaffMember
from chalicelib.services.office_documents import open_document
from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.test_documents import REVEAL, codes, office_view
from tests.integration.api.test_documents import open_document as open_through_api
from tests.integration.api.uploads import BUCKET, JPEG, PDF, clean_document, offer, post_file

ERASURE = {"reason": "طلب صاحب البيانات رقم 2026/204 بحذف بياناته"}
# A file name as a citizen may choose it: the national ID in its digits.
NAMED_AFTER_THE_ID = f"بطاقة {national_id()}.png"


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


def documents_item(document_id: str) -> dict:
    return boto3.client("dynamodb").get_item(
        TableName="shobbak-local-documents", Key={"document_id": {"S": document_id}}
    )["Item"]


def versions_of(key: str) -> list[dict]:
    listed = boto3.client("s3").list_object_versions(Bucket=BUCKET, Prefix=key)
    return listed.get("Versions", []) + listed.get("DeleteMarkers", [])


def identity_upload(client: Client, tracking_number: str) -> str:
    """The national-ID copy, uploaded under a file name holding the national ID, and found clean."""
    offered = offer(client, tracking_number, codes(client)["identity"], "image/jpeg", file_name=NAMED_AFTER_THE_ID)
    assert offered.status_code == 201, offered.body
    upload = offered.json_body["upload"]
    assert post_file(upload, JPEG, NAMED_AFTER_THE_ID).status_code == 303
    from tests.integration.api.uploads import deliver_events

    assert deliver_events(client, upload["fields"]["key"])[-1] == {"status": "clean"}
    return offered.json_body["document_id"]


# --- item 1: erasure ------------------------------------------------------------------------------------


def test_an_erasure_removes_every_version_of_the_identity_copy_and_every_file_name(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    manager = staff("manager", "dokki", principal="manager-huda")
    document_id = identity_upload(client, tracking_number)
    other_id = clean_document(client, tracking_number, codes(client)["first"], PDF)
    key = f"uploads/{document_id}"
    boto3.client("s3").put_object(Bucket=BUCKET, Key=key, Body=JPEG)  # a second version of the same object
    assert post_json(client, f"/v1/office/requests/{tracking_number}/identity", REVEAL, manager).status_code == 200
    assert open_through_api(client, manager, tracking_number, document_id).status_code == 303

    erased = post_json(client, f"/v1/office/requests/{tracking_number}/erasure", ERASURE, manager)
    again = post_json(client, f"/v1/office/requests/{tracking_number}/erasure", ERASURE, manager)

    assert erased.status_code == again.status_code == 200
    refused = open_through_api(client, manager, tracking_number, document_id)
    assert (refused.status_code, refused.json_body["error"]["code"]) == (409, "identity_erased")
    assert versions_of(key) == []
    assert versions_of(f"uploads/{other_id}") != []  # the other documents stay, for the request's work
    assert "file_name" not in documents_item(document_id)
    assert "file_name" not in documents_item(other_id)
    page = client.http.get(f"/v1/requests/{tracking_number}/documents/{document_id}/uploaded")
    assert page.status_code == 404
    assert national_id() not in page.body.decode()
    events = [entry["event"] for entry in office_view(client, manager, tracking_number)["history"]]
    assert events.count("identity_erased") == 1


def test_an_erasure_asked_again_finishes_what_a_failed_first_one_left(
    client: Client, staff: StaffHeaders, tracking_number: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The erasure's record is written before the objects are deleted: a second ask deletes them."""
    from chalicelib.adapters import document_storage

    manager = staff("manager", "dokki")
    document_id = identity_upload(client, tracking_number)
    real = document_storage.delete_every_version

    def failing(bucket: str, key: str) -> int:
        raise document_storage.StorageUnavailable("s3 is down")

    monkeypatch.setattr(document_storage, "delete_every_version", failing)
    first = post_json(client, f"/v1/office/requests/{tracking_number}/erasure", ERASURE, manager)
    monkeypatch.setattr(document_storage, "delete_every_version", real)
    second = post_json(client, f"/v1/office/requests/{tracking_number}/erasure", ERASURE, manager)

    assert first.status_code == 503
    assert second.status_code == 200
    assert versions_of(f"uploads/{document_id}") == []


# --- item 2: who may open the national-ID copy ---------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "district"), [("officer", "dokki"), ("hq", None), ("clerk", "dokki"), ("manager", "warraq")]
)
def test_the_revealing_managers_sub_under_another_role_or_district_does_not_open_the_copy(
    client: Client, staff: StaffHeaders, tracking_number: str, role: str, district: str | None
) -> None:
    """Cognito keeps a user's `sub` when the user changes group: the token's role counts, now."""
    document_id = identity_upload(client, tracking_number)
    manager = staff("manager", "dokki", principal="manager-huda")
    assert post_json(client, f"/v1/office/requests/{tracking_number}/identity", REVEAL, manager).status_code == 200

    same_sub = staff(role, district, principal="manager-huda")
    opened = open_through_api(client, same_sub, tracking_number, document_id)

    assert opened.status_code in (403, 404)


def test_a_reveal_opens_the_copy_for_a_bounded_time(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    document_id = identity_upload(client, tracking_number)
    manager = staff("manager", "dokki", principal="manager-huda")
    assert post_json(client, f"/v1/office/requests/{tracking_number}/identity", REVEAL, manager).status_code == 200
    member = StaffMember("manager-huda", Role.MANAGER, "dokki")
    now = datetime.now(UTC)

    soon = open_document(member, tracking_number, document_id, now + REVEAL_LASTS - timedelta(minutes=1))
    assert soon.startswith("http")
    from chalicelib.domain.errors import RevealFirst

    with pytest.raises(RevealFirst):
        open_document(member, tracking_number, document_id, now + REVEAL_LASTS + timedelta(minutes=1))


def test_a_reveal_made_before_a_transfer_does_not_open_the_copy_in_the_new_district(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    document_id = identity_upload(client, tracking_number)
    manager = staff("manager", "dokki", principal="manager-huda")
    assert post_json(client, f"/v1/office/requests/{tracking_number}/identity", REVEAL, manager).status_code == 200
    version = office_view(client, manager, tracking_number)["version"]
    moved = post_json(client, f"/v1/office/requests/{tracking_number}/transfer",
                      {"to_district": "omraniya", "reason": "العنوان يتبع حي العمرانية", "version": version},
                      staff("hq"))  # fmt: skip
    assert moved.status_code == 200, moved.body

    opened = open_through_api(
        client, staff("manager", "omraniya", principal="manager-huda"), tracking_number, document_id
    )

    assert opened.status_code == 403


# --- item 5: file names -------------------------------------------------------------------------------------


def test_no_file_name_the_citizen_chose_is_stored_shown_or_put_into_a_link(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    document_id = identity_upload(client, tracking_number)
    manager = staff("manager", "dokki", principal="manager-huda")
    post_json(client, f"/v1/office/requests/{tracking_number}/identity", REVEAL, manager)

    page = client.http.get(f"/v1/requests/{tracking_number}/documents/{document_id}/uploaded").body.decode()
    link = open_through_api(client, manager, tracking_number, document_id).headers["Location"]
    stored = documents_item(document_id).get("file_name", {}).get("S", "")

    identity = codes(client)["identity"]
    assert national_id() not in page
    assert national_id() not in unquote(link)
    assert national_id() not in stored
    assert stored == f"{identity}.jpg"
    assert f"{identity}.jpg" in page
    disposition = parse_qs(urlsplit(link).query)["response-content-disposition"][0]
    assert disposition == f"inline; filename*=UTF-8''{identity}.jpg"
