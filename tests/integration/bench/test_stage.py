"""The benchmarks' handler in this process (bench/stage.py): it files invoices through the API,
records the DynamoDB calls a request makes and the event the handler was given, and clears away
what it wrote."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from chalice.test import Client

from app import app
from bench.stage import RecordingApp, Stage, random_digits, signed_fawry_notice
from chalicelib.adapters.fawry import read_fawry_notice
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.services.limits import stored_inquiry_check
from tests.conftest import TEST_REGION
from tests.factories import national_id, submission


@pytest.fixture
def stage(aws: None) -> Iterator[Stage]:
    with Client(app, stage_name="local") as client:
        recorder = RecordingApp(app)
        client.http._local_gateway._app_object = recorder  # as bench/latency.py installs it
        yield Stage(
            client, boto3.client("dynamodb", region_name=TEST_REGION), submission(), national_id()[-4:], recorder
        )


def test_an_invoice_is_filed_through_the_api_with_the_calls_that_wrote_it_and_the_event(stage: Stage) -> None:
    before = stage.item_counts()

    answer, calls = stage.file()

    assert answer["status"] == "awaiting_payment"
    assert [operation for operation, _ in calls].count("TransactWriteItems") == 1
    assert stage.recorder is not None
    assert stage.recorder.last_event is not None
    assert stage.recorder.last_event["requestContext"]["resourcePath"] == "/v1/requests"
    after = stage.item_counts()
    assert after["requests"] > before["requests"]
    assert after["applicants"] == before["applicants"] + 1


def test_what_a_filing_wrote_is_cleared_away(stage: Stage) -> None:
    before = stage.item_counts()
    _, calls = stage.file()

    stage.forget(calls)

    after = stage.item_counts()
    assert {table: after[table] for table in ("requests", "applicants", "idempotency", "outbox")} == {
        table: before[table] for table in ("requests", "applicants", "idempotency", "outbox")
    }


def test_seeded_requests_are_kept_and_an_inquiry_is_carried_from_the_first_to_another(stage: Stage) -> None:
    stage.seed(2)

    first, second = stage.seeded
    assert first != second
    replacements = stage.inquiry_replacements(second)
    assert replacements[first] == second
    assert replacements[stored_inquiry_check(first, stage.last4)] == stored_inquiry_check(second, stage.last4)


def test_a_fawry_notice_is_genuine_and_fresh_numbers_have_their_length() -> None:
    notice = signed_fawry_notice("123456789012301", 1000)
    assert read_fawry_notice(notice, LOCAL_DEFAULTS["FAWRY_SECURE_KEY"]).reference == "123456789012301"
    numbers = [random_digits(10) for _ in range(50)]
    assert all(len(number) == 10 and number.isdigit() and number[0] != "0" for number in numbers)
