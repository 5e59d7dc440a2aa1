"""Where S3 sends the browser back after an upload, when a deployed stage is told only the name
of the SSM parameter that holds its public address (infra/portal.yaml writes it: the functions
cannot be given CloudFront's domain without a cycle). The parameter is read when the first
upload form is built, once, and not by the routes that build none."""

from __future__ import annotations

import base64
import json
import re
from html import unescape
from urllib.parse import urlencode

import boto3
import pytest
from chalice.test import Client

from chalicelib.adapters import secrets
from tests.factories import national_id, paid_service_code, submission
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import FAWRY_CALLBACK, fawry_notice
from tests.integration.api.uploads import offer
from tools.testing.aws_calls import counted_aws_calls

# As infra/parameters.yaml names it for the stage the tests run as (local): a function is only
# ever told its own stage's parameter, and its role grants that one (tests/iam_enforcement.py).
PARAMETER = "/shobbak/local/public-url"
PUBLIC_URL = "https://d1a2b3c4d5e6f7.cloudfront.net"
SERVICE = paid_service_code()


@pytest.fixture
def told_only_the_parameter(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """As deployed: the parameter exists (the stack wrote it, a String) and the functions' environment
    names it; PUBLIC_API_URL itself is not set. The secrets' cache starts empty, as in a new container."""
    boto3.client("ssm").put_parameter(Name=PARAMETER, Value=PUBLIC_URL, Type="String")
    monkeypatch.setattr(secrets, "_cached", {})
    monkeypatch.delenv("PUBLIC_API_URL", raising=False)
    monkeypatch.setenv("PUBLIC_API_URL_PARAMETER", PARAMETER)


def _document_code(client: Client) -> str:
    services = client.http.get("/v1/services?district=dokki").json_body["services"]
    documents = next(service for service in services if service["code"] == SERVICE)["documents"]
    return next(document["code"] for document in documents if not document["identity"])


def test_the_upload_redirect_is_the_parameters_address_read_once(client: Client, told_only_the_parameter: None) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    document = _document_code(client)
    with counted_aws_calls() as calls:
        answers = [offer(client, tracking_number, document) for _ in range(2)]
        form_page = client.http.post(
            f"/v1/requests/{tracking_number}/documents",
            body=urlencode({"national_id_last4": national_id()[-4:], "document": document,
                            "content_type": "application/pdf"}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip

    assert calls["ssm:GetParameter"] == 1
    for answer in answers:
        assert answer.status_code == 201, answer.body
        document_id, fields = answer.json_body["document_id"], answer.json_body["upload"]["fields"]
        redirect = f"{PUBLIC_URL}/v1/requests/{tracking_number}/documents/{document_id}/uploaded"
        assert fields["success_action_redirect"] == redirect
        # What real S3 enforces: the signed policy holds the browser to that same address.
        assert {"success_action_redirect": redirect} in json.loads(base64.b64decode(fields["policy"]))["conditions"]
    assert form_page.status_code == 200
    page = form_page.body.decode()
    redirects = re.findall(r'name="success_action_redirect" value="([^"]+)"', page)
    assert redirects  # one form per missing document (domain/documents.py's cap), each with its address
    assert [unescape(redirect).startswith(f"{PUBLIC_URL}/v1/requests/{tracking_number}/documents/")
            for redirect in redirects] == [True] * len(redirects)  # fmt: skip


def test_the_address_set_in_the_environment_wins_over_the_parameter(
    client: Client, told_only_the_parameter: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUBLIC_API_URL", "https://shobbak.giza.gov.eg/")
    tracking_number = post_json(client, "/v1/requests", submission(SERVICE)).json_body["tracking_number"]
    with counted_aws_calls() as calls:
        answer = offer(client, tracking_number, _document_code(client))

    assert answer.status_code == 201, answer.body
    assert answer.json_body["upload"]["fields"]["success_action_redirect"].startswith(
        f"https://shobbak.giza.gov.eg/v1/requests/{tracking_number}/documents/"
    )
    assert "ssm:GetParameter" not in calls


def test_the_routes_that_build_no_upload_never_read_the_parameter(
    client: Client, told_only_the_parameter: None, staff: StaffHeaders
) -> None:
    """Submission, inquiry, a gateway's callback and an office's queue (the routes whose first
    request a fresh container is measured on, bench/) make no SSM call for it."""
    with counted_aws_calls() as calls:
        filed = post_json(client, "/v1/requests", submission(SERVICE)).json_body
        inquiry = {"tracking_number": filed["tracking_number"], "national_id_last4": national_id()[-4:]}
        assert post_json(client, "/v1/inquiries", inquiry).status_code == 200
        paid = fawry_notice(filed["payment"]["reference"], float(filed["fee_egp"]))
        assert post_json(client, FAWRY_CALLBACK, paid).status_code == 200
        queue = client.http.get("/v1/office/requests?status=in_review", headers=staff("officer", "dokki"))
        assert queue.status_code == 200

    assert filed["tracking_number"]
    assert not [call for call in calls if call.startswith("ssm:")]
