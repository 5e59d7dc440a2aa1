"""Headquarters moves a misrouted request to another district: reason, version, audit, SMS, deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.calendar import add_working_days, cairo_today
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.messages import Event, MessageValues, sms_text
from tests.factories import CATALOGUE_DAY, free_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders

REASON = "العقار يقع في نطاق حي العمرانية وفق الخريطة"


@pytest.fixture
def tracking_number(client: Client) -> str:
    return post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]


def transfer(client: Client, headers: dict[str, str], tracking_number: str, **changes: Any) -> Any:
    body = {"to_district": "omraniya", "reason": REASON, "version": 1, **changes}
    return post_json(client, f"/v1/office/requests/{tracking_number}/transfer", body, headers)


def stored_items() -> dict[str, int]:
    dynamodb = boto3.client("dynamodb")
    tables = ("requests", "outbox")
    return {table: dynamodb.scan(TableName=f"shobbak-local-{table}", Select="COUNT")["Count"] for table in tables}


def test_headquarters_moves_a_request_to_the_district_that_should_handle_it(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    hq = staff("hq", principal="hq-rania")
    before = client.http.get(f"/v1/office/requests/{tracking_number}", headers=hq).json_body

    moved = transfer(client, hq, tracking_number)

    assert moved.status_code == 200, moved.body
    answer = moved.json_body
    assert (answer["district_code"], answer["version"], answer["status"]) == ("omraniya", 2, before["status"])
    entry = answer["history"][-1]
    assert entry["event"] == "transferred"
    assert (entry["from_district"], entry["to_district"], entry["note"]) == ("dokki", "omraniya", REASON)
    assert (entry["actor"], entry["actor_role"], entry["office"]) == ("hq-rania", "hq", "hq")
    # The rule (docs/architecture.md): the full deadline again from the transfer day, never earlier than promised.
    catalogue = load_catalogue(rollout_phase=1)
    service = catalogue.service(free_service_code(), on=CATALOGUE_DAY)
    assert service is not None
    today = cairo_today(datetime.now(UTC))
    fresh = add_working_days(today, service.sla_days, catalogue.holidays())
    assert answer["sla_due_date"] == max(date.fromisoformat(before["sla_due_date"]), fresh).isoformat()
    # Omraniya's queues hold it now; Dokki answers as if it never existed.
    omraniya = client.http.get("/v1/office/requests?status=submitted", headers=staff("officer", "omraniya"))
    assert [entry["tracking_number"] for entry in omraniya.json_body["requests"]] == [tracking_number]
    dokki_officer = staff("officer", "dokki")
    assert client.http.get(f"/v1/office/requests/{tracking_number}", headers=dokki_officer).status_code == 404
    assert client.http.get("/v1/office/requests?status=submitted", headers=dokki_officer).json_body["requests"] == []


def test_the_citizen_is_told_by_sms_where_the_request_went(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    transfer(client, staff("hq"), tracking_number)

    message = (
        boto3.resource("dynamodb")
        .Table("shobbak-local-outbox")
        .get_item(Key={"key": f"{tracking_number}#000002#transferred"})["Item"]
    )

    assert message["event"] == "transferred"
    assert message["values"] == {"district_name_ar": "العمرانية"}
    text = sms_text(Event.TRANSFERRED, MessageValues(tracking_number=tracking_number, district_name_ar="العمرانية"))
    assert "العمرانية" in text
    assert len(text) <= 70


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"version": 2}, 409, "stale_version"),
        ({"to_district": "dokki"}, 409, "transfer_not_allowed"),
        ({"to_district": "agouza"}, 400, "invalid_fields"),  # not switched on yet
        ({"to_district": "nowhere"}, 400, "invalid_fields"),
        ({"reason": "خطأ"}, 400, "invalid_fields"),
        ({"reason": None}, 400, "invalid_fields"),
        ({"version": "1"}, 400, "invalid_fields"),
    ],
)
def test_a_refused_transfer_changes_nothing(
    client: Client, staff: StaffHeaders, tracking_number: str, changes: dict[str, Any], status: int, code: str
) -> None:
    before = stored_items()

    refused = transfer(client, staff("hq"), tracking_number, **changes)

    assert refused.status_code == status, refused.body
    assert refused.json_body["error"]["code"] == code
    assert refused.json_body["error"]["message_ar"]
    assert stored_items() == before


def test_a_repeated_transfer_changes_nothing_the_second_time(
    client: Client, staff: StaffHeaders, tracking_number: str
) -> None:
    hq = staff("hq")
    first = transfer(client, hq, tracking_number)
    before = stored_items()

    again = transfer(client, hq, tracking_number)

    assert first.status_code == 200
    assert again.status_code == 409
    assert stored_items() == before


def test_a_finished_request_is_not_transferred(client: Client, staff: StaffHeaders, tracking_number: str) -> None:
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "cancelled", "note": "إلغاء", "version": 1}, staff("manager", "dokki"))  # fmt: skip

    refused = transfer(client, staff("hq"), tracking_number, version=2)

    assert refused.status_code == 409
    assert refused.json_body["error"]["code"] == "transfer_not_allowed"
