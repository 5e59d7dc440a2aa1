"""Guessing a request's proof: failed attempts count per tracking number, and lock it for the hour.

The tracking number and the national ID's last four digits are the only key to the inquiry, the
card payment and the notification choice; ten thousand candidates for the four digits would
otherwise be a short script away.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.tracking import new_tracking_number
from tests.conftest import TEST_REGION
from tests.factories import national_id, submission
from tests.integration.api.calls import post_json

# Each test's guesses must count in one clock hour (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("attempts_hour_now")

LIMIT = 10
RIGHT = national_id()[-4:]
WRONG = [f"{candidate:04d}" for candidate in range(10_000) if f"{candidate:04d}" != RIGHT]


def file_request(client: Client) -> str:
    return post_json(client, "/v1/requests", submission()).json_body["tracking_number"]


def inquire(client: Client, tracking_number: str, last4: str) -> Any:
    return post_json(client, "/v1/inquiries", {"tracking_number": tracking_number, "national_id_last4": last4})


def test_the_eleventh_wrong_guess_is_refused_with_429_in_arabic_and_english(client: Client) -> None:
    tracking = file_request(client)

    answers = [inquire(client, tracking, guess).status_code for guess in WRONG[:LIMIT]]
    refused = inquire(client, tracking, WRONG[LIMIT])
    even_the_right_digits = inquire(client, tracking, RIGHT)

    assert answers == [404] * LIMIT
    assert refused.status_code == 429
    error = refused.json_body["error"]
    assert error["code"] == "too_many_attempts"
    assert "حاول مرة أخرى بعد الساعة" in error["message_ar"]
    assert "Try again after" in error["message_en"]
    assert int(refused.headers["Retry-After"]) > 0
    assert even_the_right_digits.status_code == 429
    assert even_the_right_digits.json_body == refused.json_body


def test_a_number_never_issued_locks_after_exactly_the_same_count(client: Client) -> None:
    issued, never_issued = file_request(client), new_tracking_number()

    for tracking in (issued, never_issued):
        answers = [inquire(client, tracking, guess).status_code for guess in WRONG[: LIMIT + 1]]
        assert answers == [404] * LIMIT + [429], tracking


def test_the_card_payment_and_the_notification_choice_count_on_the_same_number(client: Client) -> None:
    tracking = file_request(client)
    for guess in WRONG[:4]:
        assert inquire(client, tracking, guess).status_code == 404
    for guess in WRONG[4:7]:
        answer = post_json(client, f"/v1/requests/{tracking}/card-payments", {"national_id_last4": guess})
        assert answer.status_code == 404
    for guess in WRONG[7:10]:
        body = {"national_id_last4": guess, "notify_by": "none"}
        assert post_json(client, f"/v1/requests/{tracking}/notifications", body).status_code == 404

    card = post_json(client, f"/v1/requests/{tracking}/card-payments", {"national_id_last4": RIGHT})
    notifications = post_json(
        client, f"/v1/requests/{tracking}/notifications", {"national_id_last4": RIGHT, "notify_by": "none"}
    )

    assert (card.status_code, notifications.status_code) == (429, 429)


def test_right_answers_never_count_so_a_citizen_who_checks_often_is_not_locked_out(client: Client) -> None:
    tracking = file_request(client)
    for guess in WRONG[: LIMIT - 1]:
        inquire(client, tracking, guess)

    answers = [inquire(client, tracking, RIGHT).status_code for _ in range(LIMIT + 5)]

    assert answers == [200] * (LIMIT + 5)
    assert inquire(client, tracking, WRONG[LIMIT]).status_code == 404
    assert inquire(client, tracking, WRONG[LIMIT + 1]).status_code == 429


def test_the_limit_is_configuration(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAILED_ATTEMPTS_PER_HOUR", "3")
    tracking = file_request(client)

    answers = [inquire(client, tracking, guess).status_code for guess in WRONG[:4]]

    assert answers == [404, 404, 404, 429]


def test_a_locked_number_locks_only_itself(client: Client) -> None:
    locked, other = file_request(client), file_request(client)
    for guess in WRONG[: LIMIT + 1]:
        inquire(client, locked, guess)

    assert inquire(client, other, RIGHT).status_code == 200


def test_the_track_form_without_javascript_shows_the_refusal_in_arabic(client: Client) -> None:
    tracking = file_request(client)
    for guess in WRONG[:LIMIT]:
        inquire(client, tracking, guess)

    page = client.http.post(
        "/v1/inquiries",
        body=f"tracking_number={tracking}&national_id_last4={RIGHT}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert page.status_code == 429
    assert page.headers["Content-Type"].startswith("text/html")
    assert "تكررت المحاولات غير الصحيحة لهذا الرقم" in page.body.decode()


def test_the_failures_are_counted_on_the_proof_which_keeps_no_digit_of_the_national_id(
    client: Client, attempts_hour_now: str
) -> None:
    tracking = file_request(client)
    for guess in WRONG[:3]:
        inquire(client, tracking, guess)

    dynamodb = boto3.client("dynamodb", region_name=TEST_REGION)
    partition = dynamodb.query(
        TableName="shobbak-local-requests",
        KeyConditionExpression="tracking_number = :t",
        ExpressionAttributeValues={":t": {"S": tracking}},
    )["Items"]
    [proof] = [item for item in partition if item["item"]["S"] == "proof"]
    assert (proof["attempts"], proof["attempts_hour"]) == ({"N": "3"}, {"S": attempts_hour_now})
    # Keyed (tests/unit/domain/test_inquiry.py: a copy of the table gives the digits away to no one).
    assert len(proof["check"]["S"]) == 64
    assert national_id() not in json.dumps(partition)
    limits = dynamodb.scan(TableName="shobbak-local-limits")["Items"]
    assert tracking not in json.dumps(limits)
