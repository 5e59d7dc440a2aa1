"""Correcting who asked (issue 21, §7): a manager of the district, within the hour of their own
reveal, corrects a wrong phone or name with a reason; version-checked, audited by field name,
and told by SMS to the new phone and to the phone it replaces when that was a mobile."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.domain.errors import CorrectAfterReveal
from chalicelib.domain.messages import Event, MessageValues, sms_segments, sms_text
from chalicelib.domain.staff import REVEAL_LASTS, Role, StaffMember
from chalicelib.services.office_identity import correct_applicant, reveal_identity
from tests.conftest import TEST_REGION
from tests.factories import submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tools.testing.synthetic import applicant

REASON = "أخطأ الموظف في كتابة رقم الهاتف عند التقديم"
NEW_PHONE = "01123456789"
NEW_PHONE_E164 = "+201123456789"


@pytest.fixture(autouse=True)
def messaging(monkeypatch: pytest.MonkeyPatch) -> None:
    topic = f"arn:aws:sns:{TEST_REGION}:{DEFAULT_ACCOUNT_ID}:shobbak-local-voice-calls"
    monkeypatch.setenv("VOICE_CALLS_TOPIC_ARN", topic)
    monkeypatch.setenv("SMS_SENDER_ID", "Shobbak")
    monkeypatch.setenv("VOICE_ORIGINATION_IDENTITY", "+20221234567")


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission()).json_body["tracking_number"]


@pytest.fixture
def manager(client: Client, staff: StaffHeaders, tracking_number: str) -> dict[str, str]:
    """A Dokki manager who has just revealed the request's applicant."""
    headers = staff("manager", "dokki", principal="manager-huda")
    revealed = post_json(client, f"/v1/office/requests/{tracking_number}/identity", {"reason": REASON}, headers)
    assert revealed.status_code == 200
    return headers


def correct(client: Client, headers: dict[str, str], tracking_number: str, **body: Any) -> Any:
    return post_json(client, f"/v1/office/requests/{tracking_number}/applicant",
                     {"reason": REASON, "version": 1, **body}, headers)  # fmt: skip


def stored_applicant(tracking_number: str) -> dict[str, Any]:
    table = boto3.resource("dynamodb").Table("shobbak-local-applicants")
    return table.get_item(Key={"tracking_number": tracking_number})["Item"]


def sweep(client: Client) -> Any:
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={},
        resources=[f"arn:aws:events:{TEST_REGION}:{DEFAULT_ACCOUNT_ID}:rule/shobbak-local-sweep_messages"],
        region=TEST_REGION,
    )  # fmt: skip
    return client.lambda_.invoke("sweep_messages", event).payload


def sms_sent() -> list[tuple[str, str]]:
    return list(sns_backends[DEFAULT_ACCOUNT_ID][TEST_REGION].sms_messages.values())


def test_a_manager_corrects_the_phone_and_both_numbers_are_told(
    client: Client, manager: dict[str, str], tracking_number: str, audit_lines: io.StringIO
) -> None:
    old_phone = stored_applicant(tracking_number)["phone"]

    answer = correct(client, manager, tracking_number, phone=NEW_PHONE)

    assert answer.status_code == 200, answer.body
    assert answer.json_body["corrected"] == ["phone"]
    assert answer.json_body["phone"] == NEW_PHONE_E164
    assert answer.json_body["version"] == 2
    assert stored_applicant(tracking_number)["phone"] == NEW_PHONE_E164
    view = client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager).json_body
    entry = view["history"][-1]
    assert (entry["event"], entry["corrected"], entry["note"], entry["actor"]) == (
        "applicant_corrected", ["phone"], REASON, "manager-huda",
    )  # fmt: skip
    assert NEW_PHONE_E164 not in json.dumps(view)
    assert old_phone not in json.dumps(view)
    audited = [json.loads(line) for line in audit_lines.getvalue().splitlines()]
    corrected = [line for line in audited if line.get("audit") == "applicant_corrected"]
    assert [(line["actor"], line["tracking_number"], line["fields"]) for line in corrected] == [
        ("manager-huda", tracking_number, ["phone"])
    ]
    assert NEW_PHONE_E164[-9:] not in audit_lines.getvalue()
    assert old_phone[-9:] not in audit_lines.getvalue()

    sweep(client)

    values = MessageValues(tracking_number=tracking_number)
    sent = dict((text, phone) for phone, text in sms_sent())
    assert sent[sms_text(Event.PHONE_CHANGED, values)] == NEW_PHONE_E164
    assert sent[sms_text(Event.PHONE_CHANGED_AWAY, values)] == old_phone
    assert all(sms_segments(text) == 1 for text in sent)


def test_a_name_alone_is_corrected_as_the_portal_writes_it_and_sends_nothing(
    client: Client, manager: dict[str, str], tracking_number: str
) -> None:
    answer = correct(client, manager, tracking_number, full_name="  منى   أحمـــد محمود ")

    assert answer.status_code == 200, answer.body
    assert answer.json_body["corrected"] == ["full_name"]
    assert stored_applicant(tracking_number)["full_name"] == "منى أحمد محمود"
    sweep(client)
    assert not [text for _, text in sms_sent() if "رقم" in text and "طلبك" in text and "سُجّل" in text]


def test_the_old_phone_is_not_told_when_it_was_no_mobile(
    client: Client, manager: dict[str, str], tracking_number: str
) -> None:
    table = boto3.resource("dynamodb").Table("shobbak-local-applicants")
    table.update_item(Key={"tracking_number": tracking_number}, UpdateExpression="SET phone = :p",
                      ExpressionAttributeValues={":p": "+20233334444"})  # fmt: skip

    assert correct(client, manager, tracking_number, phone=NEW_PHONE).status_code == 200
    sweep(client)

    told = sms_text(Event.PHONE_CHANGED, MessageValues(tracking_number=tracking_number))
    assert [phone for phone, _ in sms_sent()].count("+20233334444") == 0
    assert sms_sent().count((NEW_PHONE_E164, told)) == 1
    assert not [text for _, text in sms_sent() if "رقم آخر" in text]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "0233334444"}, "phone"),  # a Giza landline
        ({"phone": "+44 7700 900123"}, "phone"),
        ({"full_name": "Mona"}, "full_name"),
        ({"full_name": "منى 2 أحمد"}, "full_name"),
        ({}, "phone"),  # nothing to correct
        ({"phone": NEW_PHONE, "reason": "خطأ"}, "reason"),
        ({"phone": NEW_PHONE, "version": "1"}, "version"),
    ],
)
def test_bad_input_is_refused_in_both_languages_and_changes_nothing(
    client: Client, manager: dict[str, str], tracking_number: str, body: dict[str, Any], field: str
) -> None:
    before = stored_applicant(tracking_number)

    answer = correct(client, manager, tracking_number, **body)

    error = answer.json_body["error"]
    assert (answer.status_code, error["code"]) == (400, "invalid_fields")
    assert field in error["fields"]
    assert error["message_ar"]
    assert error["message_en"]
    assert stored_applicant(tracking_number) == before
    assert client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager).json_body["version"] == 1


def test_the_same_values_again_are_refused_as_nothing_to_change(
    client: Client, manager: dict[str, str], tracking_number: str
) -> None:
    same = correct(client, manager, tracking_number, phone=applicant()["phone"])

    assert (same.status_code, same.json_body["error"]["code"]) == (400, "invalid_fields")


def test_a_stale_version_or_a_second_click_changes_nothing(
    client: Client, manager: dict[str, str], tracking_number: str
) -> None:
    first = correct(client, manager, tracking_number, phone=NEW_PHONE)
    again = correct(client, manager, tracking_number, phone="01234567890")

    assert first.status_code == 200
    assert (again.status_code, again.json_body["error"]["code"]) == (409, "stale_version")
    assert stored_applicant(tracking_number)["phone"] == NEW_PHONE_E164
    outbox = boto3.resource("dynamodb").Table("shobbak-local-outbox").scan()["Items"]
    assert (
        sorted(item["event"] for item in outbox if item["tracking_number"] == tracking_number).count("phone_changed")
        == 1
    )


def test_only_a_manager_of_the_district_who_revealed_may_correct(
    client: Client, staff: StaffHeaders, manager: dict[str, str], tracking_number: str
) -> None:
    other_manager = staff("manager", "dokki", principal="manager-karim")  # has not revealed
    foreign = staff("manager", "warraq", principal="manager-warraq")
    officer = staff("officer", "dokki")

    not_revealed = correct(client, other_manager, tracking_number, phone=NEW_PHONE)
    elsewhere = correct(client, foreign, tracking_number, phone=NEW_PHONE)
    not_a_manager = correct(client, officer, tracking_number, phone=NEW_PHONE)

    assert (not_revealed.status_code, not_revealed.json_body["error"]["code"]) == (403, "forbidden")
    assert "ساعة" in not_revealed.json_body["error"]["message_ar"]
    assert elsewhere.status_code == 404
    assert not_a_manager.status_code == 403
    assert stored_applicant(tracking_number)["phone"] != NEW_PHONE_E164


def test_a_reveal_lets_its_manager_correct_for_an_hour_only(aws: None, client: Client, tracking_number: str) -> None:
    huda = StaffMember("manager-huda", Role.MANAGER, "dokki")
    now = datetime.now(UTC)
    reveal_identity(huda, tracking_number, {"reason": REASON}, now)
    body = {"phone": NEW_PHONE, "reason": REASON, "version": 1}

    with pytest.raises(CorrectAfterReveal):
        correct_applicant(huda, tracking_number, body, now + REVEAL_LASTS + timedelta(minutes=1))
    assert correct_applicant(huda, tracking_number, body, now + REVEAL_LASTS - timedelta(minutes=1)).version == 2


def test_the_notices_about_the_number_go_by_sms_whatever_the_citizen_chose(
    client: Client, manager: dict[str, str], tracking_number: str
) -> None:
    choice = {"national_id_last4": applicant()["national_id"][-4:], "notify_by": "none"}
    assert post_json(client, f"/v1/requests/{tracking_number}/notifications", choice).status_code == 200
    old_phone = stored_applicant(tracking_number)["phone"]

    assert correct(client, manager, tracking_number, phone=NEW_PHONE).status_code == 200
    sweep(client)

    values = MessageValues(tracking_number=tracking_number)
    assert sms_sent() == [
        (NEW_PHONE_E164, sms_text(Event.PHONE_CHANGED, values)),
        (old_phone, sms_text(Event.PHONE_CHANGED_AWAY, values)),
    ]
