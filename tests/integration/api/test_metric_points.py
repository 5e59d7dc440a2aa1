"""Each thing the dashboards count is counted once where it happens, under its one dimension, and
a repeat (a replayed submission, a repeated gateway notice) counts nothing more."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import EndpointConnectionError
from chalice.test import Client

from chalicelib.services.notifications import deliver
from tests.factories import free_service_code, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import fawry_notice, post_fawry, submit

Points = Counter[tuple[str, str, str]]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[[], Points]:
    """Metrics on (the local stage turns them off); `counted()` reads every EMF line printed since
    the last call, as {(name, dimension, its value): points}."""
    monkeypatch.setattr("chalicelib.observability.metrics.metrics_off", lambda: False)

    def read() -> Points:
        points: Points = Counter()
        for line in capsys.readouterr().out.splitlines():
            if not line.startswith('{"_aws"'):
                continue
            emf = json.loads(line)
            (directive,) = emf["_aws"]["CloudWatchMetrics"]
            assert directive["Namespace"] == "Shobbak/local"
            ((metric,), (dimensions,)) = directive["Metrics"], directive["Dimensions"]
            dimension = next(name for name in dimensions if name != "service")
            value = emf[metric["Name"]]
            points[(metric["Name"], dimension, emf[dimension])] += sum(value) if isinstance(value, list) else value
        return points

    return read


def test_a_submission_counts_once_under_its_district_and_its_replay_not_at_all(
    client: Client, counted: Callable[[], Points]
) -> None:
    body = submission(free_service_code(), district_code="omraniya")
    headers = {"Idempotency-Key": "metrics-once-0001"}

    first = post_json(client, "/v1/requests", body, headers)
    again = post_json(client, "/v1/requests", body, headers)

    assert first.json_body == again.json_body
    assert counted() == {("RequestsSubmitted", "District", "omraniya"): 1}


def test_moves_count_and_closing_counts_a_completion_on_time(
    client: Client, staff: StaffHeaders, counted: Callable[[], Points]
) -> None:
    tracking = post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]
    officer, clerk = staff("officer", "dokki"), staff("clerk", "dokki")
    hand_in_every_document(client, staff("manager", "dokki"), tracking)  # nothing is approved without them
    first = client.http.get(f"/v1/office/requests/{tracking}", headers=officer).json_body["version"]
    path = f"/v1/office/requests/{tracking}/transitions"
    for version, (to, who) in enumerate([("in_review", officer), ("approved", officer), ("ready", officer),
                                         ("closed", clerk)], start=first):  # fmt: skip
        assert post_json(client, path, {"to": to, "note": "تم", "version": version}, who).status_code == 200

    assert counted() == {
        ("RequestsSubmitted", "District", "dokki"): 1,
        ("RequestsMoved", "District", "dokki"): 4,
        ("RequestsCompletedOnTime", "District", "dokki"): 1,
    }


def test_a_payment_counts_as_applied_under_its_gateway_once_however_often_it_is_notified(
    client: Client, counted: Callable[[], Points]
) -> None:
    invoice = submit(client)["payment"]
    notice = fawry_notice(invoice["reference"], invoice["amount_egp"])

    for _ in range(3):
        assert post_fawry(client, notice).status_code == 200

    points = counted()
    assert points[("PaymentsApplied", "Gateway", "fawry")] == 1
    assert ("PaymentsFlagged", "Gateway", "fawry") not in points


def test_messages_count_as_sent_or_failed_under_their_channel(
    client: Client, counted: Callable[[], Points], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMS_SENDER_ID", "Shobbak")
    post_json(client, "/v1/requests", submission(free_service_code()))
    post_json(client, "/v1/requests", submission(free_service_code()))
    outbox = boto3.resource("dynamodb").Table("shobbak-local-outbox")
    first, second = [item["key"] for item in outbox.scan()["Items"]]
    now = datetime.now(UTC)

    assert deliver(first, now) == "sent"
    make_api_call = BaseClient._make_api_call

    def sns_unreachable(self: BaseClient, operation_name: str, api_params: dict) -> object:
        if self.meta.service_model.service_name == "sns":
            raise EndpointConnectionError(endpoint_url="https://sns.eu-central-1.amazonaws.com/")
        return make_api_call(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", sns_unreachable)
    assert deliver(second, now) == "retry"

    points = counted()
    assert points[("MessagesSent", "Channel", "sms")] == 1
    assert points[("MessagesFailed", "Channel", "sms")] == 1
