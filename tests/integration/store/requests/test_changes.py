"""The store's writes are all-or-nothing and its reads are single calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest

from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.idempotency import IdempotencyRecord, find_idempotency_record
from chalicelib.store.requests.changes import IdempotencyKeyTaken, TrackingNumberTaken, insert_submission, load_request
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord
from tools.testing.aws_calls import counted_aws_calls

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
CHECK = "a keyed check of the last four digits"
TABLES = ("shobbak-local-requests", "shobbak-local-applicants", "shobbak-local-idempotency")


def records(tracking_number: str = "1234567890128", key: str | None = "key-000001"):
    request = RequestRecord(
        tracking_number,
        RequestRecord.ITEM,
        service_code="shop_licence",
        district_code="dokki",
        department="occupancies",
        channel="portal",
        status="awaiting_payment",
        version=1,
        fee_egp=1000,
        details={"area_m2": 45},
        submitted_at=NOW,
        updated_at=NOW,
        sla_due_date="2026-12-28",
    )
    request.place_in_queues()
    entry = HistoryEntry(
        tracking_number,
        HistoryEntry.item_for(1, NOW),
        version=1,
        at=NOW,
        to_status="awaiting_payment",
        actor_role="citizen",
    )
    applicant = ApplicantRecord(
        tracking_number, full_name="منى أحمد", national_id="29001012112349", phone="+201012345678"
    )
    idempotency = (
        None
        if key is None
        else IdempotencyRecord(
            key, body_digest="d", tracking_number=tracking_number, answer="{}", expires_at=NOW + timedelta(days=1)
        )
    )
    return request, entry, applicant, idempotency


def item_counts() -> tuple[int, ...]:
    dynamodb = boto3.client("dynamodb")
    return tuple(dynamodb.scan(TableName=table, Select="COUNT")["Count"] for table in TABLES)


def test_a_submission_writes_five_items_in_one_call(aws: None) -> None:
    with counted_aws_calls() as calls:
        insert_submission(*records(), [], CHECK)

    assert dict(calls) == {"dynamodb:TransactWriteItems": 1}
    assert item_counts() == (3, 1, 1)  # the request, its first entry and its proof; the applicant; the key


def test_a_taken_tracking_number_writes_nothing(aws: None) -> None:
    insert_submission(*records(key="key-000001"), [], CHECK)

    with pytest.raises(TrackingNumberTaken):
        insert_submission(*records(key="key-000002"), [], CHECK)

    assert item_counts() == (3, 1, 1)  # the request, its first entry and its proof; the applicant; the key


def test_a_taken_idempotency_key_writes_nothing(aws: None) -> None:
    insert_submission(*records("1234567890128"), [], CHECK)

    with pytest.raises(IdempotencyKeyTaken):
        insert_submission(*records("9876543210984"), [], CHECK)

    assert item_counts() == (3, 1, 1)  # the request, its first entry and its proof; the applicant; the key
    assert find_idempotency_record("key-000001").tracking_number == "1234567890128"
    assert find_idempotency_record("key-999999") is None


def test_a_request_and_its_history_are_read_in_one_query(aws: None) -> None:
    insert_submission(*records(key=None), [], CHECK)

    with counted_aws_calls() as calls:
        stored = load_request("1234567890128")

    assert dict(calls) == {"dynamodb:Query": 1}
    assert stored is not None
    assert stored.request.status == "awaiting_payment"
    assert stored.request.details.as_dict() == {"area_m2": 45}
    assert [entry.to_status for entry in stored.history] == ["awaiting_payment"]
    assert load_request("9876543210984") is None
