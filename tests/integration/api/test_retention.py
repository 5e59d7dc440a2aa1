"""Retention of who asked: deleted (DynamoDB TTL) a configured time after the request closes,
and erased earlier on a data subject's request by a manager, audited; the request and its
history stay, without identity."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import yaml
from chalice.test import Client

from tests.conftest import TEST_REGION
from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders
from tools.local.resources import RESOURCES_TEMPLATE

APPLICANTS = "shobbak-local-applicants"
REASON = "طلب صاحب البيانات رقم 2026/118 بحذف بياناته"


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


def applicant_item(tracking_number: str) -> dict[str, Any] | None:
    dynamodb = boto3.client("dynamodb", region_name=TEST_REGION)
    return dynamodb.get_item(TableName=APPLICANTS, Key={"tracking_number": {"S": tracking_number}}).get("Item")


def move(client: Client, headers: dict[str, str], tracking_number: str, to: str, version: int) -> Any:
    body = {"to": to, "note": "ملاحظة المكتب", "version": version}
    if to == "needs_info":
        body["message_to_citizen"] = "أرفق صورة الرخصة"
    return post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, headers)


def close(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    # A request is approved only with its documents: handed in on paper here.
    version = hand_in_every_document(client, staff("manager", "dokki"), tracking_number).json_body["version"]
    officer = staff("officer", "dokki")
    for status in ["in_review", "approved", "ready"]:
        assert move(client, officer, tracking_number, status, version).status_code == 200
        version += 1
    assert move(client, staff("clerk", "dokki"), tracking_number, "closed", version).status_code == 200


def erase(client: Client, headers: dict[str, str], tracking_number: str, reason: str = REASON) -> Any:
    return post_json(client, f"/v1/office/requests/{tracking_number}/erasure", {"reason": reason}, headers)


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads the template's short-form functions (!Sub, !Ref...) as plain values."""


_CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def test_the_applicants_table_expires_items_by_ttl() -> None:
    # moto's CloudFormation ignores TimeToLiveSpecification, so the template itself is read.
    template = yaml.load(RESOURCES_TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506

    ttl = template["Resources"]["ApplicantsTable"]["Properties"]["TimeToLiveSpecification"]

    assert ttl == {"AttributeName": "expires_at", "Enabled": True}


@pytest.mark.parametrize("days", [365, 30])
def test_closing_a_request_sets_its_applicant_to_expire_the_configured_time_later(
    client: Client, staff: StaffHeaders, tracking_number: str, monkeypatch: pytest.MonkeyPatch, days: int
) -> None:
    if days != 365:
        monkeypatch.setenv("APPLICANT_RETENTION_DAYS", str(days))
    assert "expires_at" not in (applicant_item(tracking_number) or {})

    before = datetime.now(UTC)
    close(client, staff, tracking_number)
    after = datetime.now(UTC)

    expires = int(applicant_item(tracking_number)["expires_at"]["N"])
    assert (
        int((before + timedelta(days=days)).timestamp()) <= expires <= int((after + timedelta(days=days)).timestamp())
    )


def test_a_cancelled_request_closes_too(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    manager = staff("manager", "dokki")
    assert move(client, manager, tracking_number, "cancelled", 1).status_code == 200

    assert "expires_at" in applicant_item(tracking_number)


def test_an_open_request_keeps_its_applicant(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    assert move(client, staff("officer", "dokki"), tracking_number, "in_review", 1).status_code == 200

    assert "expires_at" not in applicant_item(tracking_number)


def test_a_manager_erases_the_identity_on_request_and_the_request_and_history_stay(
    client: Client, staff: StaffHeaders, tracking_number: str, audit_lines: io.StringIO
) -> None:
    manager = staff("manager", "dokki", principal="manager-hoda")
    officer = staff("officer", "dokki")
    assert move(client, officer, tracking_number, "in_review", 1).status_code == 200

    erased = erase(client, manager, tracking_number)

    assert erased.status_code == 200
    assert erased.json_body == {"tracking_number": tracking_number, "identity_erased": True, "version": 3}
    assert applicant_item(tracking_number) is None
    view = client.http.get(f"/v1/office/requests/{tracking_number}", headers=officer).json_body
    assert (view["status"], view["identity_erased"]) == ("in_review", True)
    assert [entry["event"] for entry in view["history"]] == ["status_change", "status_change", "identity_erased"]
    assert (view["history"][-1]["actor"], view["history"][-1]["note"]) == ("manager-hoda", REASON)
    # No trace of who asked is left on the request: not even the keyed check of the last four digits.
    requests = boto3.client("dynamodb", region_name=TEST_REGION).query(
        TableName="shobbak-local-requests",
        KeyConditionExpression="tracking_number = :t",
        ExpressionAttributeValues={":t": {"S": tracking_number}},
    )["Items"]
    assert [item["item"]["S"] for item in requests if "check" in item or "inquiry_check" in item] == []
    [proof] = [item for item in requests if item["item"]["S"] == "proof"]
    assert json.loads(proof["shown"]["S"])["status"] == "in_review"  # still kept with the request; nothing opens it
    body = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    assert post_json(client, "/v1/inquiries", body).status_code == 404
    revealed = post_json(client, f"/v1/office/requests/{tracking_number}/identity", {"reason": REASON}, manager)
    assert (revealed.status_code, revealed.json_body["error"]["code"]) == (409, "identity_erased")
    # The request still moves on.
    assert move(client, officer, tracking_number, "needs_info", 3).status_code == 200
    audited = [json.loads(line) for line in audit_lines.getvalue().splitlines()]
    assert [(line["audit"], line["actor"]) for line in audited if line["audit"] == "identity_erased"] == [
        ("identity_erased", "manager-hoda")
    ]


def test_an_erasure_asked_twice_changes_nothing_the_second_time(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    manager = staff("manager", "dokki")
    first, again = erase(client, manager, tracking_number), erase(client, manager, tracking_number)

    assert first.status_code == again.status_code == 200
    assert again.json_body == first.json_body
    history = client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager).json_body["history"]
    assert [entry["event"] for entry in history].count("identity_erased") == 1


@pytest.mark.parametrize(("role", "district", "status"), [("officer", "dokki", 403), ("clerk", "dokki", 403),
                                                         ("hq", None, 403), ("manager", "warraq", 404)])  # fmt: skip
def test_only_a_manager_of_the_district_may_erase(
    client: Client, staff: StaffHeaders, tracking_number: str, role: str, district: str | None, status: int
) -> None:
    assert erase(client, staff(role, district), tracking_number).status_code == status
    assert applicant_item(tracking_number) is not None


def test_an_erasure_needs_its_reason(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    refused = erase(client, staff("manager", "dokki"), tracking_number, reason="طلب")

    assert refused.status_code == 400
    assert "reason" in refused.json_body["error"]["fields"]
    assert applicant_item(tracking_number) is not None


def test_once_ttl_has_deleted_the_applicant_the_request_lives_on_without_identity(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    close(client, staff, tracking_number)
    # What DynamoDB's TTL does once expires_at has passed (moto does not enforce TTL).
    boto3.client("dynamodb", region_name=TEST_REGION).delete_item(
        TableName=APPLICANTS, Key={"tracking_number": {"S": tracking_number}}
    )
    manager = staff("manager", "dokki")

    view = client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager)
    revealed = post_json(client, f"/v1/office/requests/{tracking_number}/identity", {"reason": REASON}, manager)

    assert view.status_code == 200
    assert view.json_body["status"] == "closed"
    assert (revealed.status_code, revealed.json_body["error"]["code"]) == (409, "identity_erased")
