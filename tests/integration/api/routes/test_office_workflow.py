"""Back-office work: blind views, moves with notes and versions, reveals, and two officers racing."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders

IDENTITY = ("منى أحمد عبد الله", national_id(), "1012345678", "+201012345678")


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


def move(client: Client, headers: dict[str, str], tracking_number: str, **body: Any) -> Any:
    return post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, headers)


def view(client: Client, headers: dict[str, str], tracking_number: str) -> Any:
    return client.http.get(f"/v1/office/requests/{tracking_number}", headers=headers)


def inquiry(client: Client, tracking_number: str) -> dict[str, Any]:
    body = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    return post_json(client, "/v1/inquiries", body).json_body


def test_an_officer_sees_the_request_but_not_who_asked(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="استلمت الملف", version=1)

    seen = [
        view(client, officer, tracking_number).body.decode(),
        client.http.get("/v1/office/requests?status=in_review", headers=officer).body.decode(),
    ]

    assert json.loads(seen[0])["status"] == "in_review"
    assert tracking_number in seen[1]
    for answer in seen:
        for secret in IDENTITY:
            assert secret not in answer
        assert "full_name" not in answer
        assert "national_id" not in answer


def test_a_move_appends_an_entry_with_who_when_from_to_and_note(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki", principal="officer-samir")

    moved = move(client, officer, tracking_number, to="in_review", note="بدء الفحص الفني", version=1)

    assert moved.status_code == 200
    assert moved.json_body["version"] == 2
    first, second = moved.json_body["history"]
    assert first["to"] == "submitted"
    assert second == {
        "event": "status_change",
        "version": 2,
        "at": second["at"],
        "from": "submitted",
        "to": "in_review",
        "actor_role": "officer",
        "actor": "officer-samir",
        "office": "dokki",
        "from_district": None,
        "to_district": None,
        "note": "بدء الفحص الفني",
        "message_to_citizen": None,
    }
    assert view(client, officer, tracking_number).json_body == moved.json_body


def test_needs_info_tells_the_citizen_what_is_missing_and_keeps_the_office_note(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="فحص", version=1)

    moved = move(
        client,
        officer,
        tracking_number,
        to="needs_info",
        version=2,
        note="ملاحظة داخلية: الرسم الهندسي غير معتمد",
        message_to_citizen="يرجى تقديم رسم هندسي معتمد من نقابة المهندسين.",
    )

    assert moved.status_code == 200
    citizen = inquiry(client, tracking_number)
    assert citizen["status"] == "needs_info"
    # The officer's words first, then the documents still missing (none was uploaded or handed in).
    assert citizen["history"][-1]["message_ar"].startswith("يرجى تقديم رسم هندسي معتمد من نقابة المهندسين. ")
    assert "المستندات الناقصة:" in citizen["history"][-1]["message_ar"]
    everything = json.dumps(citizen, ensure_ascii=False)
    assert "ملاحظة داخلية" not in everything
    assert "officer" not in everything


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"to": "in_review", "version": 1}, "note"),
        ({"to": "in_review", "note": "   ", "version": 1}, "note"),
        ({"to": "in_review", "note": "x" * 1001, "version": 1}, "note"),
        ({"to": "flying", "note": "x", "version": 1}, "to"),
        ({"to": ["in_review"], "note": "x", "version": 1}, "to"),
        ({"to": "in_review", "note": "x"}, "version"),
        ({"to": "in_review", "note": "x", "version": "1"}, "version"),
        ({"to": "in_review", "note": "x", "version": True}, "version"),
    ],
)
def test_a_malformed_move_is_refused_and_changes_nothing(
    client: Client, staff: StaffHeaders, tracking_number: str, body: dict[str, Any], field: str
) -> None:
    officer = staff("officer", "dokki")

    response = move(client, officer, tracking_number, **body)

    assert response.status_code == 400
    assert field in response.json_body["error"]["fields"]
    assert view(client, officer, tracking_number).json_body["version"] == 1


def test_a_move_off_the_state_machine_is_a_409_with_the_current_state(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    response = move(client, staff("officer", "dokki"), tracking_number, to="approved", note="موافقة", version=1)

    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "transition_not_allowed"
    assert response.json_body["current"]["status"] == "submitted"
    assert response.json_body["current"]["version"] == 1


def test_a_stale_version_is_a_409_with_the_current_state_and_writes_nothing(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="فحص", version=1)

    stale = move(client, officer, tracking_number, to="approved", note="موافقة", version=1)

    assert stale.status_code == 409
    assert stale.json_body["error"]["code"] == "stale_version"
    assert stale.json_body["current"]["status"] == "in_review"
    assert stale.json_body["current"]["version"] == 2
    assert len(view(client, officer, tracking_number).json_body["history"]) == 2


def test_a_manager_reveals_the_applicant_for_a_reason_and_the_reveal_is_recorded(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    manager = staff("manager", "dokki", principal="manager-hoda")
    path = f"/v1/office/requests/{tracking_number}/identity"

    too_short = post_json(client, path, {"reason": "لازم"}, manager)
    revealed = post_json(client, path, {"reason": "المواطن يطلب تصحيح رقم هاتفه عبر الشباك"}, manager)

    assert too_short.status_code == 400
    assert revealed.status_code == 200
    assert revealed.json_body == {
        "tracking_number": tracking_number,
        "full_name": IDENTITY[0],
        "national_id": IDENTITY[1],
        "phone": IDENTITY[3],
    }
    history = view(client, staff("officer", "dokki"), tracking_number).json_body["history"]
    assert history[-1]["event"] == "identity_revealed"
    assert history[-1]["actor"] == "manager-hoda"
    assert history[-1]["note"] == "المواطن يطلب تصحيح رقم هاتفه عبر الشباك"
    assert [entry["status"] for entry in inquiry(client, tracking_number)["history"]] == ["submitted"]


def test_history_entries_are_never_rewritten(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    officer = staff("officer", "dokki")
    version = hand_in_every_document(client, staff("clerk", "dokki"), tracking_number).json_body["version"]
    assert move(client, officer, tracking_number, to="in_review", note="فحص", version=version).status_code == 200
    before = boto3.client("dynamodb").query(
        TableName="shobbak-local-requests",
        KeyConditionExpression="tracking_number = :t AND begins_with(#item, :h)",
        ExpressionAttributeNames={"#item": "item"},
        ExpressionAttributeValues={":t": {"S": tracking_number}, ":h": {"S": "history#"}},
    )["Items"]

    move(client, officer, tracking_number, to="approved", note="موافقة", version=version + 1)
    after = boto3.client("dynamodb").query(
        TableName="shobbak-local-requests",
        KeyConditionExpression="tracking_number = :t AND begins_with(#item, :h)",
        ExpressionAttributeNames={"#item": "item"},
        ExpressionAttributeValues={":t": {"S": tracking_number}, ":h": {"S": "history#"}},
    )["Items"]

    assert after[: len(before)] == before
    assert len(after) == len(before) + 1
