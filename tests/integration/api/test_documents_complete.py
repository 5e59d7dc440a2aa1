"""A request the office sent back for documents returns to the officer once its last missing
document passes its checks, and the citizen is told on the track page; one sent back for words
alone waits for the officer."""

from __future__ import annotations

from typing import Any

from chalice.test import Client

from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.uploads import clean_document

SERVICE = free_service_code()


def required_codes(client: Client) -> list[str]:
    services = client.http.get("/v1/services?district=dokki").json_body["services"]
    return [document["code"] for document in next(s for s in services if s["code"] == SERVICE)["documents"]]


def move(client: Client, officer: dict[str, str], tracking_number: str, **body: Any) -> Any:
    moved = post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, officer)
    assert moved.status_code == 200, moved.body
    return moved.json_body


def inquiry(client: Client, tracking_number: str) -> dict[str, Any]:
    body = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    return post_json(client, "/v1/inquiries", body).json_body


def test_the_last_missing_upload_sends_the_request_back_to_the_officer_and_tells_the_citizen(
    client: Client, staff: StaffHeaders
) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="فحص", version=1)
    move(client, officer, tracking_number, to="needs_info", note="ناقص", version=2)
    first, *others = required_codes(client)

    clean_document(client, tracking_number, first)
    still = inquiry(client, tracking_number)["status"]
    for code in others:
        clean_document(client, tracking_number, code)
    answer = inquiry(client, tracking_number)

    assert still == ("needs_info" if others else "in_review")
    assert answer["status"] == "in_review"
    assert answer["history"][-1]["message_ar"].startswith("استلمنا المستندات الناقصة")
    queue = client.http.get("/v1/office/requests?status=in_review", headers=officer).body.decode()
    assert tracking_number in queue
    assert told(tracking_number).count("documents_complete") == 1


def test_a_request_that_lacked_nothing_online_is_not_told_its_documents_are_complete(
    client: Client, staff: StaffHeaders
) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    for code in required_codes(client):
        clean_document(client, tracking_number, code)  # uploaded before anyone asked

    assert "documents_complete" not in told(tracking_number)


def told(tracking_number: str) -> list[str]:
    """The events the citizen is (or will be) told of, from the outbox."""
    from chalicelib.store.outbox import OutboxMessage

    return [message.event for message in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number)]


def test_a_request_sent_back_for_words_alone_waits_for_the_officer(client: Client, staff: StaffHeaders) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    officer = staff("officer", "dokki")
    codes = required_codes(client)
    for code in codes:
        clean_document(client, tracking_number, code)
    move(client, officer, tracking_number, to="in_review", note="فحص", version=1)
    move(client, officer, tracking_number, to="needs_info", note="ناقص", version=2,
         message_to_citizen="اكتب مساحة المحل كما في العقد.")  # fmt: skip

    clean_document(client, tracking_number, codes[0])  # a second copy of a document already there

    assert inquiry(client, tracking_number)["status"] == "needs_info"


def test_the_track_page_says_the_documents_arrived_and_nothing_is_asked(client: Client, staff: StaffHeaders) -> None:
    from urllib.parse import urlencode

    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="فحص", version=1)
    move(client, officer, tracking_number, to="needs_info", note="ناقص", version=2)
    for code in required_codes(client):
        clean_document(client, tracking_number, code)

    fields = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    page = client.http.post("/v1/inquiries", body=urlencode(fields),
                            headers={"Content-Type": "application/x-www-form-urlencoded"}).body.decode()  # fmt: skip

    top = page[page.index("<h1>") : page.index("<h2>ما جرى على طلبك</h2>")]
    assert "حالة طلبك: قيد الفحص" in top
    assert "استلمنا المستندات الناقصة" in top
    assert "لا يلزمك شيء الآن" in top
