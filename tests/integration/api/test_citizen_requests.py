"""Submission and inquiry through the Chalice test client, against moto's DynamoDB."""

from __future__ import annotations

import json
from typing import Any

import boto3
from chalice.test import Client

from chalicelib.domain.tracking import new_tracking_number
from tests.factories import free_service_code, national_id, submission
from tools.testing.aws_calls import counted_aws_calls

TABLES = ("shobbak-local-requests", "shobbak-local-applicants", "shobbak-local-idempotency")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def post(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.http.post(path, body=raw, headers={"Content-Type": "application/json", **(headers or {})})


def stored_items() -> dict[str, int]:
    dynamodb = boto3.client("dynamodb")
    return {table: dynamodb.scan(TableName=table, Select="COUNT")["Count"] for table in TABLES}


def test_a_fee_bearing_submission_answers_with_a_tracking_number_and_an_invoice(client: Client) -> None:
    response = post(client, "/v1/requests", submission())

    assert response.status_code == 201
    answer = response.json_body
    assert answer["tracking_number"].isdigit()
    assert 12 <= len(answer["tracking_number"]) <= 14
    assert answer["status"] == "awaiting_payment"
    assert answer["fee_egp"] > 0
    assert answer["sla_due_date"] > "2026-01-01"
    payment = answer["payment"]
    assert payment["reference"] == answer["tracking_number"] + "01"
    assert (payment["amount_egp"], payment["status"]) == (answer["fee_egp"], "unpaid")
    assert payment["expires_at"] > answer["submitted_at"]
    assert stored_items() == {TABLES[0]: 3, TABLES[1]: 1, TABLES[2]: 0}  # the request, its first entry, its proof


def test_a_free_service_starts_submitted_without_an_invoice(client: Client) -> None:
    answer = post(client, "/v1/requests", submission(free_service_code())).json_body

    assert answer["status"] == "submitted"
    assert answer["fee_egp"] == 0
    assert answer["payment"] is None


def test_the_citizen_tracks_the_request_with_the_last_four_digits(client: Client) -> None:
    submitted = post(client, "/v1/requests", submission()).json_body

    response = post(
        client,
        "/v1/inquiries",
        {
            "tracking_number": submitted["tracking_number"],
            "national_id_last4": national_id()[-4:],
        },
    )

    assert response.status_code == 200
    status = response.json_body
    assert status["tracking_number"] == submitted["tracking_number"]
    assert status["status"] == "awaiting_payment"
    assert status["status_ar"] == "في انتظار سداد الرسوم"
    assert status["district_code"] == "dokki"
    assert status["sla_due_date"] == submitted["sla_due_date"]
    assert status["payment_status"] == "unpaid"
    assert status["submitted_at"].endswith("Z")
    assert status["history"] == [{"status": "awaiting_payment", "at": status["submitted_at"]}]


def test_arabic_indic_digits_spaces_and_dashes_are_read_as_the_same_numbers(client: Client) -> None:
    body = submission()
    body["applicant"]["national_id"] = "\u200f" + " ".join(national_id().translate(ARABIC_INDIC))
    body["applicant"]["phone"] = "٠١٠-١٢٣٤-٥٦٧٨"
    submitted = post(client, "/v1/requests", body)
    assert submitted.status_code == 201

    tracking = submitted.json_body["tracking_number"]
    spaced = f"{tracking[:4]} {tracking[4:8]}-{tracking[8:]}".translate(ARABIC_INDIC)
    response = post(
        client,
        "/v1/inquiries",
        {
            "tracking_number": spaced,
            "national_id_last4": national_id()[-4:].translate(ARABIC_INDIC),
        },
    )
    assert response.status_code == 200


def test_an_unknown_number_and_wrong_digits_get_the_same_404(client: Client) -> None:
    tracking = post(client, "/v1/requests", submission()).json_body["tracking_number"]
    never_issued = new_tracking_number()

    wrong_digits = post(client, "/v1/inquiries", {"tracking_number": tracking, "national_id_last4": "0000"})
    unknown = post(client, "/v1/inquiries", {"tracking_number": never_issued, "national_id_last4": national_id()[-4:]})

    assert wrong_digits.status_code == unknown.status_code == 404
    assert wrong_digits.json_body == unknown.json_body
    assert wrong_digits.json_body["error"]["code"] == "not_found"


def test_a_mistyped_tracking_number_is_caught_before_any_lookup(client: Client) -> None:
    tracking = post(client, "/v1/requests", submission()).json_body["tracking_number"]
    mistyped = tracking[:-1] + str((int(tracking[-1]) + 1) % 10)

    response = post(client, "/v1/inquiries", {"tracking_number": mistyped, "national_id_last4": national_id()[-4:]})

    assert response.status_code == 400
    assert "tracking_number" in response.json_body["error"]["fields"]


def test_submission_is_one_transaction_and_inquiry_one_update_that_judges_and_answers(client: Client) -> None:
    with counted_aws_calls() as submit_calls:
        tracking = post(client, "/v1/requests", submission(), {"Idempotency-Key": "portal-0001-abcdef"}).json_body[
            "tracking_number"
        ]
    with counted_aws_calls() as inquiry_calls:
        post(client, "/v1/inquiries", {"tracking_number": tracking, "national_id_last4": national_id()[-4:]})

    assert dict(submit_calls) == {"dynamodb:TransactWriteItems": 1}
    # The attempt is judged and, had it been wrong, counted in one conditional update of the
    # request's proof, whose refusal carries the item a right one is answered from
    # (store/requests/proof.py; tests/integration/api/test_guessing.py).
    assert dict(inquiry_calls) == {"dynamodb:UpdateItem": 1}
