"""DynamoDB as it behaves under contention and load (issue 10, item 8): transactions cancelled
for TransactionConflict, throttling, and timeouts, injected at botocore's HTTP layer
(tests/faults.py) into submission, a payment callback, an office move and a message's
delivery. Nothing answers 5xx, and nothing is applied twice: each ends as it would without
the faults. What stays contended past the retries gets a clear "try again", writing nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from chalice.test import Client
from moto.core import DEFAULT_ACCOUNT_ID
from moto.sns.models import sns_backends

from chalicelib.services import payment_notices
from chalicelib.services.notifications import deliver
from chalicelib.store.requests.changes import VersionConflict
from tests.conftest import TEST_REGION
from tests.factories import free_service_code, submission
from tests.faults import ANSWER_LOST, CONFLICT, THROTTLED, TIMEOUT, DynamoDBFaults
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import (
    PAYMENTS_TABLE,
    REQUESTS_TABLE,
    fawry_notice,
    post_fawry,
    snapshot,
    submit,
    table_items,
)
from tests.integration.api.routes.test_portal_pages import checked, form_of, hidden_fields, page_of, post_form

OUTBOX_TABLE = "shobbak-local-outbox"


def items_of(table: str, prefix: str = "") -> list[dict[str, Any]]:
    key = "key" if table != REQUESTS_TABLE else "item"
    return [item for item in table_items(table) if item[key]["S"].startswith(prefix)]


def post_submission(client: Client, body: dict[str, Any], key: str | None = "faults-0001") -> Any:
    return post_json(client, "/v1/requests", body, {"Idempotency-Key": key} if key else {})


def test_a_submission_gets_through_conflicts_throttling_and_timeouts_once(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    dynamodb_faults.plan("TransactWriteItems", CONFLICT, CONFLICT, THROTTLED, TIMEOUT)

    response = post_submission(client, submission())

    assert response.status_code == 201, response.body
    assert sum(dynamodb_faults.injected.values()) == 4
    assert len(items_of(REQUESTS_TABLE, "request")) == 1
    assert len(items_of(REQUESTS_TABLE, "history#")) == 1
    assert len(table_items(OUTBOX_TABLE)) == 2  # received with how to pay (docs/messages.md), the reminder: each once


def test_a_submission_whose_answer_was_lost_after_it_was_written_is_filed_once(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    dynamodb_faults.plan("TransactWriteItems", ANSWER_LOST)

    first = post_submission(client, submission())
    again = post_submission(client, submission())

    assert first.status_code == again.status_code == 201
    assert first.json_body["tracking_number"] == again.json_body["tracking_number"]
    assert len(items_of(REQUESTS_TABLE, "request")) == 1


def test_a_payment_callback_gets_through_conflicts_and_throttled_reads_and_pays_once(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    invoice = submit(client)
    notice = fawry_notice(invoice["payment"]["reference"], invoice["fee_egp"], fawry_ref="777")
    dynamodb_faults.plan("GetItem", THROTTLED, THROTTLED, THROTTLED, THROTTLED, THROTTLED)
    dynamodb_faults.plan("TransactWriteItems", CONFLICT, CONFLICT, CONFLICT)

    response = post_fawry(client, notice)

    assert (response.status_code, response.json_body["outcome"]) == (200, "paid")
    [request] = items_of(REQUESTS_TABLE, "request")
    assert (request["status"]["S"], request["version"]["N"]) == ("in_review", "2")
    assert len(items_of(PAYMENTS_TABLE, "notice#")) == 1


def test_a_payment_callback_whose_answer_was_lost_is_applied_once(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    invoice = submit(client)
    notice = fawry_notice(invoice["payment"]["reference"], invoice["fee_egp"], fawry_ref="777")
    dynamodb_faults.plan("TransactWriteItems", ANSWER_LOST)

    response = post_fawry(client, notice)
    repeat = post_fawry(client, notice)

    assert response.status_code == repeat.status_code == 200
    assert repeat.json_body["outcome"] == "already_applied"
    [request] = items_of(REQUESTS_TABLE, "request")
    assert request["version"]["N"] == "2"
    assert len(items_of(REQUESTS_TABLE, "history#")) == 2
    assert len(items_of(PAYMENTS_TABLE, "notice#")) == 1


def test_an_office_move_gets_through_conflicts_and_timeouts_once(
    client: Client, staff: StaffHeaders, dynamodb_faults: DynamoDBFaults
) -> None:
    tracking_number = post_submission(client, submission(free_service_code()), key=None).json_body["tracking_number"]
    dynamodb_faults.plan("TransactWriteItems", CONFLICT, TIMEOUT, CONFLICT)

    moved = post_json(
        client,
        f"/v1/office/requests/{tracking_number}/transitions",
        {"to": "in_review", "note": "بدء الفحص", "version": 1},
        staff("officer", "dokki"),
    )

    assert moved.status_code == 200, moved.body
    assert moved.json_body["version"] == 2
    assert [entry["to_status"]["S"] for entry in items_of(REQUESTS_TABLE, "history#")] == ["submitted", "in_review"]


def test_a_message_is_delivered_once_through_throttling_and_timeouts(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    submit(client)
    keys = sorted(item["key"]["S"] for item in table_items(OUTBOX_TABLE))
    later = datetime.now(UTC) + timedelta(seconds=1)
    dynamodb_faults.plan("UpdateItem", THROTTLED, THROTTLED, THROTTLED, THROTTLED, TIMEOUT)
    dynamodb_faults.plan("GetItem", TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT, TIMEOUT)

    outcomes = Counter(deliver(key, later) for key in keys + keys)

    # "received" (with how to pay) goes once; the reminder is not due yet; repeats find them taken.
    assert outcomes == Counter(sent=1, not_due_or_taken=3)
    assert len(sns_backends[DEFAULT_ACCOUNT_ID][TEST_REGION].sms_messages) == 1


def test_a_write_that_stays_contended_answers_try_again_and_writes_nothing(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    before = snapshot()
    dynamodb_faults.plan("TransactWriteItems", *[CONFLICT] * 20)

    response = post_submission(client, submission())

    assert response.status_code == 409
    assert response.json_body["error"]["code"] == "busy"
    assert response.json_body["error"]["message_ar"]
    assert response.headers["Retry-After"]
    assert snapshot() == before
    assert boto3.client("dynamodb", region_name=TEST_REGION).scan(TableName=OUTBOX_TABLE)["Count"] == 0


@pytest.mark.parametrize("fault", [CONFLICT, THROTTLED])
def test_faults_once_the_plan_is_spent_leave_nothing_behind(
    client: Client, dynamodb_faults: DynamoDBFaults, fault: str
) -> None:
    """The harness itself: a planned fault is injected once, then calls go through to moto."""
    dynamodb_faults.plan("TransactWriteItems", fault)

    assert post_submission(client, submission()).status_code == 201
    assert dynamodb_faults.injected == Counter({("TransactWriteItems", fault): 1})


def test_a_portal_form_meeting_lasting_contention_gets_a_page_saying_try_again(
    client: Client, dynamodb_faults: DynamoDBFaults
) -> None:
    """The no-JavaScript confirmation: a page in the portal's look, never JSON, never a 5xx."""
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))
    dynamodb_faults.plan("TransactWriteItems", *[CONFLICT] * 20)

    refused = post_form(client, "/v1/requests", carried)
    dynamodb_faults.clear()
    again = post_form(client, "/v1/requests", carried)

    assert refused.status_code == 409
    assert "حاول مرة أخرى" in page_of(refused)
    assert refused.headers["Retry-After"]
    assert again.status_code == 201
    assert len(items_of(REQUESTS_TABLE, "request")) == 1


def test_a_notice_whose_request_keeps_changing_under_it_answers_try_again_and_records_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write finds the request moved on since it was read (other notices, moves)."""
    invoice = submit(client)
    before = snapshot()

    def always_moved_on(*args: Any) -> None:
        raise VersionConflict

    monkeypatch.setattr(payment_notices, "record_notice", always_moved_on)
    response = post_fawry(client, fawry_notice(invoice["payment"]["reference"], invoice["fee_egp"], fawry_ref="777"))

    assert (response.status_code, response.json_body["error"]["code"]) == (409, "busy")
    assert snapshot() == before
