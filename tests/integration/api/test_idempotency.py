"""A retried submission answers as the first did and creates nothing new."""

from __future__ import annotations

import json
from typing import Any

import boto3
from chalice.test import Client

from tests.factories import submission

KEY = "portal-2f9c1b7e-0001"


def post(client: Client, body: Any, key: str | None = KEY) -> Any:
    headers = {"Content-Type": "application/json"} | ({"Idempotency-Key": key} if key else {})
    return client.http.post("/v1/requests", body=json.dumps(body), headers=headers)


def requests_stored() -> int:
    return boto3.client("dynamodb").scan(TableName="shobbak-local-requests", Select="COUNT")["Count"]


def test_the_same_key_and_body_returns_the_same_answer_and_creates_nothing(client: Client) -> None:
    first = post(client, submission())
    stored_after_first = requests_stored()

    again = post(client, submission())

    assert first.status_code == again.status_code == 201
    assert again.json_body == first.json_body
    assert requests_stored() == stored_after_first


def test_the_same_body_spaced_or_ordered_differently_is_the_same_submission(client: Client) -> None:
    first = post(client, submission()).json_body
    reordered = dict(reversed(list(submission().items())))

    response = client.http.post(
        "/v1/requests",
        body=json.dumps(reordered, indent=2),
        headers={"Content-Type": "application/json", "Idempotency-Key": KEY},
    )

    assert response.json_body == first


def test_the_same_key_with_another_body_is_a_422_and_changes_nothing(client: Client) -> None:
    post(client, submission())
    stored = requests_stored()

    response = post(client, submission(district_code="warraq"))

    assert response.status_code == 422
    assert response.json_body["error"]["code"] == "idempotency_key_reused"
    assert requests_stored() == stored


def test_without_a_key_each_submission_is_a_new_request(client: Client) -> None:
    first = post(client, submission(), key=None).json_body
    second = post(client, submission(), key=None).json_body

    assert first["tracking_number"] != second["tracking_number"]
