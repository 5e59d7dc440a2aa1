"""A request read whole in one query, and changed whole in one transaction, all or nothing, on the
version its caller read (chalicelib/store/requests/changes.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.connection import dynamodb_client
from chalicelib.store.documents import DocumentRecord
from chalicelib.store.idempotency import IdempotencyRecord, find_idempotency_record
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import (
    IdempotencyKeyTaken,
    TrackingNumberTaken,
    VersionConflict,
    insert_submission,
    load_request,
    record_applicant_correction,
    record_erasure,
    record_move,
    record_paper_received,
)
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord
from tests.faults import CONFLICT, DynamoDBFaults
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


LATER = NOW + timedelta(minutes=15)


def submitted(tracking_number: str = "1234567890128") -> RequestRecord:
    request, entry, applicant, idempotency = records(tracking_number, key=None)
    insert_submission(request, entry, applicant, idempotency, [], CHECK)
    return request


def moved(request: RequestRecord, to_status: str, at: datetime = LATER) -> tuple[RequestRecord, HistoryEntry]:
    """The request as a move to `to_status` would save it, and the entry that records it."""
    from_status = request.status
    request.status, request.version, request.updated_at = to_status, request.version + 1, at
    request.place_in_queues()
    entry = HistoryEntry(
        request.tracking_number, HistoryEntry.item_for(request.version, at), version=request.version, at=at,
        from_status=from_status, to_status=to_status, actor_role="officer",
    )  # fmt: skip
    return request, entry


def message(request: RequestRecord, event: str) -> OutboxMessage:
    return OutboxMessage(
        OutboxMessage.key_for(request.tracking_number, request.version, event), tracking_number=request.tracking_number,
        event=event, values={}, status=OutboxMessage.PENDING, due_at=LATER, created_at=LATER,
    )  # fmt: skip


def test_a_move_saves_the_request_its_entry_and_its_message_in_one_call(aws: None) -> None:
    request, entry = moved(submitted(), "in_review")

    with counted_aws_calls() as calls:
        record_move(request, entry, 1, [message(request, "in_review")])

    assert calls == {"dynamodb:TransactWriteItems": 1}
    stored = load_request("1234567890128")
    assert stored is not None
    assert (stored.request.status, stored.request.version) == ("in_review", 2)
    assert [e.to_status for e in stored.history] == ["awaiting_payment", "in_review"]
    assert OutboxMessage.get(OutboxMessage.key_for("1234567890128", 2, "in_review")).status == "pending"


def test_a_move_from_a_stale_version_is_a_conflict_and_writes_nothing(aws: None) -> None:
    first, first_entry = moved(submitted(), "in_review")
    record_move(first, first_entry, 1, [])
    stale, stale_entry = moved(records("1234567890128", key=None)[0], "cancelled", at=LATER + timedelta(minutes=1))

    with pytest.raises(VersionConflict):
        record_move(stale, stale_entry, 1, [message(stale, "cancelled")])

    stored = load_request("1234567890128")
    assert stored is not None
    assert (stored.request.status, len(stored.history)) == ("in_review", 2)
    assert OutboxMessage.count() == 0


def test_a_closing_move_sets_the_applicant_to_expire(aws: None) -> None:
    request, entry = moved(submitted(), "cancelled")
    forget_at = NOW + timedelta(days=90)

    record_move(request, entry, 1, [], applicant_expires_at=forget_at)

    assert ApplicantRecord.get("1234567890128").expires_at == forget_at


def test_a_correction_changes_the_applicant_with_the_request_and_only_from_its_version(aws: None) -> None:
    request, entry = moved(submitted(), "awaiting_payment")
    entry.event = HistoryEntry.APPLICANT_CORRECTED

    record_applicant_correction(request, entry, 1, {"full_name": "منى أحمد علي"}, [])
    with pytest.raises(VersionConflict):
        record_applicant_correction(request, entry, 1, {"full_name": "someone else"}, [])

    assert ApplicantRecord.get("1234567890128").full_name == "منى أحمد علي"


def test_paper_received_twice_from_one_read_is_saved_once(aws: None) -> None:
    request, entry = moved(submitted(), "awaiting_payment")
    paper = DocumentRecord(
        "doc-000001", tracking_number="1234567890128", document="lease", status="received", received_by="clerk-1",
        created_order=f"{LATER:%Y-%m-%dT%H:%M:%S.%fZ}#doc-000001",
        created_at=LATER, updated_at=LATER,
    )  # fmt: skip

    record_paper_received(request, entry, 1, [paper])
    with pytest.raises(VersionConflict):
        record_paper_received(request, entry, 1, [paper])  # the double click: its twin won

    assert DocumentRecord.count() == 1


def test_an_erasure_deletes_the_applicant_once_and_then_writes_nothing(aws: None) -> None:
    request = submitted()
    request.identity_erased, request.version = True, 2
    entry = HistoryEntry.on(request, HistoryEntry.IDENTITY_ERASED, LATER, actor_role="manager", actor="manager-huda")

    assert record_erasure(request, entry, 1) is True
    assert ApplicantRecord.count() == 0

    again = HistoryEntry.on(request, HistoryEntry.IDENTITY_ERASED, LATER + timedelta(seconds=1), actor_role="manager")
    assert record_erasure(request, again, 2) is False
    stored = load_request("1234567890128")
    assert stored is not None
    assert [e.event for e in stored.history].count(HistoryEntry.IDENTITY_ERASED) == 1


def test_a_change_retried_after_a_conflict_is_made_once_under_one_client_request_token(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    request, entry = moved(submitted(), "in_review")
    tokens: list[str | None] = []

    def keep(request: Any, **kwargs: Any) -> None:
        tokens.append(json.loads(request.body).get("ClientRequestToken"))

    events = dynamodb_client().meta.events
    events.register("before-send.dynamodb.TransactWriteItems", keep)
    dynamodb_faults.plan("TransactWriteItems", CONFLICT, CONFLICT)
    try:
        record_move(request, entry, 1, [])
    finally:
        events.unregister("before-send.dynamodb.TransactWriteItems", keep)

    assert len(tokens) == 3
    assert tokens[0] is not None
    assert len(set(tokens)) == 1
    stored = load_request("1234567890128")
    assert stored is not None
    assert stored.request.version == 2
