"""The counter's lookup by national ID (issue 21, section 7): a walk-in who lost the tracking
number is found by the national ID on their card, by a clerk or manager of any district, and
sees only their own requests; audited, a few a minute per member of staff, never logged."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import Client

from tests.factories import national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders

CITIZEN = national_id()
SOMEONE_ELSE = national_id(birth="850505", serial="4321")
LOOKUPS = "/v1/office/lookups"


def file_online(client: Client, district_code: str, citizen: str = CITIZEN, phone: str = "01012345678") -> str:
    body = submission(district_code=district_code)
    body["applicant"] = {**body["applicant"], "national_id": citizen, "phone": phone}
    filed = post_json(client, "/v1/requests", body)
    assert filed.status_code == 201, filed.body
    return filed.json_body["tracking_number"]


def look_up(client: Client, headers: dict[str, str], number: str = CITIZEN) -> Any:
    return post_json(client, LOOKUPS, {"national_id": number}, headers)


def test_a_clerk_of_another_district_finds_only_this_citizen_s_requests(client: Client, staff: StaffHeaders) -> None:
    mine = {file_online(client, "dokki"), file_online(client, "warraq")}
    theirs = file_online(client, "dokki", SOMEONE_ELSE, phone="01112345678")

    found = look_up(client, staff("clerk", "warraq"))

    assert found.status_code == 200, found.body
    requests = found.json_body["requests"]
    assert {request["tracking_number"] for request in requests} == mine
    assert theirs not in found.body.decode()
    for request in requests:  # what the citizen is told, and nothing of who asked
        assert set(request) == {
            "tracking_number", "service_code", "service_name_ar", "status", "status_name_ar", "submitted_at"
        }  # fmt: skip
    assert CITIZEN not in found.body.decode()
    assert "منى" not in found.body.decode()
    assert requests[0]["submitted_at"] >= requests[1]["submitted_at"]  # newest first


def test_arabic_indic_digits_find_the_same_requests(client: Client, staff: StaffHeaders) -> None:
    tracking = file_online(client, "dokki")
    indic = CITIZEN.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    found = look_up(client, staff("manager", "dokki"), indic)

    assert [request["tracking_number"] for request in found.json_body["requests"]] == [tracking]


def test_nobody_found_is_answered_plainly(client: Client, staff: StaffHeaders) -> None:
    file_online(client, "dokki", SOMEONE_ELSE)

    found = look_up(client, staff("clerk", "dokki"))

    assert found.status_code == 200
    assert found.json_body == {"requests": []}


def test_a_number_that_is_no_national_id_is_refused_in_arabic(client: Client, staff: StaffHeaders) -> None:
    refused = look_up(client, staff("clerk", "dokki"), "1234")

    assert refused.status_code == 400
    assert refused.json_body["error"]["code"] == "invalid_fields"
    assert "national_id" in refused.json_body["error"]["fields"]


@pytest.mark.parametrize(("role", "district"), [("officer", "dokki"), ("hq", None)])
def test_the_back_office_and_headquarters_cannot_look_up(
    client: Client, staff: StaffHeaders, role: str, district: str | None
) -> None:
    file_online(client, "dokki")

    refused = look_up(client, staff(role, district))

    assert refused.status_code == 403
    assert CITIZEN not in refused.body.decode()


def test_a_few_lookups_a_minute_then_429_explained_in_arabic(
    client: Client, staff: StaffHeaders, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chalicelib.domain.limits import lookups_window
    from chalicelib.services import limits

    this_minute = datetime.now(UTC)  # every lookup of the test counts in the same minute
    monkeypatch.setattr(limits, "lookups_window", lambda principal, now: lookups_window(principal, this_minute))
    monkeypatch.setenv("NATIONAL_ID_LOOKUPS_PER_MINUTE", "2")
    clerk = staff("clerk", "dokki", principal="clerk-nadia")

    answers = [look_up(client, clerk).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    limited = look_up(client, clerk)
    assert limited.json_body["error"]["code"] == "too_many_lookups"
    assert "بتوقيت القاهرة" in limited.json_body["error"]["message_ar"]
    assert int(limited.headers["Retry-After"]) >= 1
    # The limit is each member of staff's own.
    assert look_up(client, staff("clerk", "dokki", principal="clerk-samir")).status_code == 200


def test_each_lookup_is_audited_and_the_national_id_never_logged(
    client: Client, staff: StaffHeaders, caplog: pytest.LogCaptureFixture
) -> None:
    tracking = file_online(client, "dokki")
    caplog.set_level(logging.DEBUG)

    look_up(client, staff("clerk", "warraq", principal="clerk-at-warraq"))
    look_up(client, staff("clerk", "warraq", principal="clerk-at-warraq"), SOMEONE_ELSE)

    audited = [record.__dict__ for record in caplog.records if record.__dict__.get("audit")]
    lookups = [entry for entry in audited if entry["audit"] == "requests_looked_up_by_national_id"]
    assert len(lookups) == 2
    assert lookups[0]["actor"] == "clerk-at-warraq"
    assert lookups[0]["role"] == "clerk"
    assert lookups[0]["office"] == "warraq"
    assert lookups[0]["tracking_numbers"] == [tracking]
    assert lookups[1]["tracking_numbers"] == []  # who looked is recorded even when nothing was found
    for record in caplog.records:  # not even handed to a logger, redacted or not
        assert CITIZEN not in str(record.__dict__)
        assert SOMEONE_ELSE not in str(record.__dict__)


def test_the_applicants_table_keeps_a_keyed_hash_never_the_number_as_the_index_key(client: Client) -> None:
    import boto3

    file_online(client, "dokki")

    items = boto3.client("dynamodb").scan(TableName="shobbak-local-applicants")["Items"]
    key = items[0]["national_id_key"]["S"]
    assert CITIZEN not in key
    assert len(key) == 64  # an HMAC-SHA256
    described = boto3.client("dynamodb").describe_table(TableName="shobbak-local-applicants")["Table"]
    (index,) = described["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by_national_id"
    assert index["Projection"]["ProjectionType"] == "KEYS_ONLY"
