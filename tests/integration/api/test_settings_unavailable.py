"""A deployed setting that SSM cannot give (throttled, denied, or not created yet) is a temporary
fault: each kind of route answers 503 in Arabic and English, in its own shape, and writes nothing."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import boto3
import pytest
from botocore.stub import Stubber
from chalice.test import Client

from chalicelib.adapters import secrets
from chalicelib.aws_clients import aws_client
from tests.factories import national_id, paid_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.routes.test_open311 import filing
from tests.integration.api.uploads import offer

SERVICE = paid_service_code()
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Each setting's parameter, as infra/ names it for a stage.
PARAMETERS = {
    "LOOKUP_HMAC_KEY": "lookup-hmac-key",
    "OPEN311_API_KEY": "open311-api-key",
    "PUBLIC_API_URL": "public-url",
}


def name_unreadable(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    """As deployed, the function is told its stage's parameter (the name its role is granted,
    infra/functions.yaml), and SSM has no value for it yet; the cache starts empty, as in a new
    container."""
    monkeypatch.setattr(secrets, "_cached", {})
    monkeypatch.delenv(setting, raising=False)
    monkeypatch.setenv(f"{setting}_PARAMETER", f"/shobbak/local/{PARAMETERS[setting]}")


def stored_items() -> int:
    dynamodb = boto3.client("dynamodb")
    tables = dynamodb.list_tables()["TableNames"]
    return sum(dynamodb.scan(TableName=name, Select="COUNT")["Count"] for name in tables)


def document_code(client: Client) -> str:
    services = client.http.get("/v1/services?district=dokki").json_body["services"]
    return next(service for service in services if service["code"] == SERVICE)["documents"][-1]["code"]


def test_an_inquiry_answers_503_in_both_languages_and_counts_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    name_unreadable(monkeypatch, "LOOKUP_HMAC_KEY")
    before = stored_items()

    proof = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    answer = post_json(client, "/v1/inquiries", proof)

    assert answer.status_code == 503
    error = answer.json_body["error"]
    assert error["code"] == "temporarily_unavailable"
    assert "عطل مؤقت" in error["message_ar"]
    assert "temporary fault" in error["message_en"]
    assert stored_items() == before


def test_an_upload_offer_answers_503_as_json_and_as_a_page(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    document = document_code(client)
    name_unreadable(monkeypatch, "PUBLIC_API_URL")
    before = stored_items()

    as_json = offer(client, tracking_number, document)
    form = {"national_id_last4": national_id()[-4:], "document": document, "content_type": "application/pdf"}
    as_page = client.http.post(f"/v1/requests/{tracking_number}/documents", body=urlencode(form), headers=FORM)

    assert as_json.status_code == 503, as_json.body
    assert as_json.json_body["error"]["code"] == "temporarily_unavailable"
    assert as_page.status_code == 503
    assert as_page.headers["Content-Type"].startswith("text/html")
    assert "حاول مرة أخرى" in as_page.body.decode()
    assert stored_items() == before


def test_an_open311_filing_answers_an_open311_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    name_unreadable(monkeypatch, "OPEN311_API_KEY")
    before = stored_items()

    answer = client.http.post("/open311/v2/requests.json?api_key=any", body=urlencode(filing()), headers=FORM)

    assert answer.status_code == 503
    (error,) = json.loads(answer.body)
    assert error["code"] == 503
    assert "عطل مؤقت" in error["description"]
    assert "temporary fault" in error["description"]
    assert stored_items() == before


@pytest.mark.iam_refusal_expected("ssm:GetParameter", "parameter/shobbak/local/misnamed-lookup-hmac-key")
def test_a_parameter_the_role_is_not_granted_answers_the_same_503(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A function told a parameter its role does not grant (a misspelt name, a stage's parameter
    not covered) gets AccessDeniedException from SSM, not ParameterNotFound: the same deployment
    fault, answered alike."""
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    monkeypatch.setattr(secrets, "_cached", {})
    monkeypatch.delenv("LOOKUP_HMAC_KEY", raising=False)
    monkeypatch.setenv("LOOKUP_HMAC_KEY_PARAMETER", "/shobbak/local/misnamed-lookup-hmac-key")
    before = stored_items()

    proof = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    with Stubber(aws_client("ssm")) as ssm:
        ssm.add_client_error(
            "get_parameter",
            service_error_code="AccessDeniedException",
            service_message="not authorized to perform: ssm:GetParameter",
            http_status_code=400,
        )
        answer = post_json(client, "/v1/inquiries", proof)
        ssm.assert_no_pending_responses()

    assert answer.status_code == 503
    error = answer.json_body["error"]
    assert error["code"] == "temporarily_unavailable"
    assert "عطل مؤقت" in error["message_ar"]
    assert "temporary fault" in error["message_en"]
    assert stored_items() == before
