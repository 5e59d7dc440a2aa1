"""A request read whole, and changed whole: the partition's one query, and the transactions
that write several of its items together (and the applicant, the idempotency record, the
outbox's messages and a counter with them): a submission, a move, an erasure.

Each transaction is all or nothing, conditional on what it expects (a new item does not exist;
a changed request still has the version its caller read), and retried under one client request
token (store/retries.py). Which condition failed comes back as one of this module's exceptions.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.store.applicants import ApplicantRecord
from chalicelib.store.connection import shared_connection
from chalicelib.store.documents import DocumentRecord
from chalicelib.store.idempotency import IdempotencyRecord
from chalicelib.store.limits import add_to_transaction
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.checkout_attempts import CheckoutAttempt
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.requests.proof import erase_check_in, issue_in, show_in
from chalicelib.store.requests.request import RequestRecord
from chalicelib.store.retries import retry_transient


class TrackingNumberTaken(Exception):
    """The freshly drawn tracking number already exists; draw another."""


class IdempotencyKeyTaken(Exception):
    """A submission with this Idempotency-Key was already accepted."""


class LimitReached(Exception):
    """The submission's counter (its phone's online submissions today) is full."""


@dataclass(frozen=True)
class CountedAgainst:
    """A limit a submission counts against, in its own transaction (store/limits.py)."""

    key: str
    limit: int
    expires_at: datetime


@dataclass(frozen=True)
class StoredRequest:
    """A request's partition as read: the request, its history and its checkout attempts."""

    request: RequestRecord
    history: list[HistoryEntry]
    checkout_attempts: list[CheckoutAttempt] = field(default_factory=list)


def insert_submission(
    request: RequestRecord,
    first_entry: HistoryEntry,
    applicant: ApplicantRecord,
    idempotency: IdempotencyRecord | None,
    outbox: list[OutboxMessage],
    inquiry_check: str,
    counted_against: CountedAgainst | None = None,
) -> None:
    """Writes a new request, its first history entry, its applicant, its idempotency record,
    the messages it sends and its proof (proof.py: `inquiry_check` and what the citizen
    sees) in one transaction: all of them or none. With `counted_against`, the same
    transaction counts it, and is refused when the count is full."""
    new_items: list[tuple[RequestPartitionItem | ApplicantRecord | IdempotencyRecord | OutboxMessage, Condition]] = [
        (request, RequestRecord.tracking_number.does_not_exist()),
        (first_entry, HistoryEntry.tracking_number.does_not_exist()),
        (applicant, ApplicantRecord.tracking_number.does_not_exist()),
    ]
    if idempotency is not None:
        new_items.append((idempotency, IdempotencyRecord.key.does_not_exist()))
    new_items += [(message, OutboxMessage.key.does_not_exist()) for message in outbox]
    # Positions in the transaction, which DynamoDB's reasons for cancelling it follow: the new
    # items, then the proof (never refused: an update on no condition), then the counter.
    counter_position = len(new_items) + 1

    def fill(transaction: TransactWrite) -> None:
        for item, condition in new_items:
            transaction.save(item, condition=condition)
        issue_in(transaction, request, first_entry, inquiry_check)
        if counted_against is not None:
            add_to_transaction(transaction, counted_against.key, counted_against.limit, counted_against.expires_at)

    try:
        _transact(fill)
    except TransactWriteError as error:
        failed = [
            position
            for position, reason in enumerate(error.cancellation_reasons or [])
            if reason is not None and reason.code == "ConditionalCheckFailed"
        ]
        refused = {type(new_items[position][0]) for position in failed if position < len(new_items)}
        if IdempotencyRecord in refused:
            raise IdempotencyKeyTaken from error
        if counter_position in failed:
            raise LimitReached from error
        if refused:
            raise TrackingNumberTaken from error
        raise


def load_request(tracking_number: str) -> StoredRequest | None:
    """The request, its history (oldest first) and its checkout attempts, in one query of its partition."""
    request: RequestRecord | None = None
    history: list[HistoryEntry] = []
    checkout_attempts: list[CheckoutAttempt] = []
    for item in retry_transient(lambda: list(RequestPartitionItem.query(tracking_number))):
        if isinstance(item, RequestRecord):
            request = item
        elif isinstance(item, HistoryEntry):
            history.append(item)
        elif isinstance(item, CheckoutAttempt):
            checkout_attempts.append(item)
    if request is None:
        return None
    return StoredRequest(request=request, history=history, checkout_attempts=checkout_attempts)


class VersionConflict(Exception):
    """Someone changed the request since the caller read it."""


def save_change(transaction: TransactWrite, request: RequestRecord, entry: HistoryEntry, expected_version: int) -> None:
    """Saves, in `transaction`, the changed request (on condition that it still has the version
    the caller read), the history entry that records the change, and what its citizen now sees."""
    transaction.save(request, condition=RequestRecord.version == expected_version)
    transaction.save(entry, condition=HistoryEntry.tracking_number.does_not_exist())
    show_in(transaction, request, entry)


def record_move(
    request: RequestRecord,
    entry: HistoryEntry,
    expected_version: int,
    outbox: list[OutboxMessage],
    applicant_expires_at: datetime | None = None,
) -> None:
    """Saves the moved request, its history entry and what it tells the citizen in one
    transaction, on condition that nobody has moved it since `expected_version` was read.
    With `applicant_expires_at` (the request closes), the applicant is set to expire then."""

    def fill(transaction: TransactWrite) -> None:
        save_change(transaction, request, entry, expected_version)
        for message in outbox:
            transaction.save(message, condition=OutboxMessage.key.does_not_exist())
        if applicant_expires_at is not None:
            transaction.update(
                ApplicantRecord(request.tracking_number),
                actions=[ApplicantRecord.expires_at.set(applicant_expires_at)],
                condition=ApplicantRecord.tracking_number.exists(),
            )

    _write_versioned(fill)


def record_applicant_correction(
    request: RequestRecord, entry: HistoryEntry, expected_version: int, changes: dict[str, Any],
    outbox: list[OutboxMessage],
) -> None:  # fmt: skip
    """Saves a manager's correction of who asked (`changes`: the applicant's attributes set, by
    name) with the request's new version, its history entry and the notices, in one transaction,
    on condition that nobody changed the request since `expected_version` (so a map read with it
    is still the stored one) and that the applicant is still kept."""
    actions = [getattr(ApplicantRecord, name).set(value) for name, value in changes.items()]

    def fill(transaction: TransactWrite) -> None:
        save_change(transaction, request, entry, expected_version)
        for message in outbox:
            transaction.save(message, condition=OutboxMessage.key.does_not_exist())
        transaction.update(
            ApplicantRecord(request.tracking_number),
            actions=actions,
            condition=ApplicantRecord.tracking_number.exists(),
        )

    _write_versioned(fill)


def record_paper_received(
    request: RequestRecord, entry: HistoryEntry, expected_version: int, documents: list[DocumentRecord]
) -> None:
    """Saves paper documents handed in at a window with the request's new version and the history
    entry that records them, in one transaction, on condition that nobody changed the request since
    `expected_version` and that none of them was recorded meanwhile (a double click: its twin won)."""

    def fill(transaction: TransactWrite) -> None:
        save_change(transaction, request, entry, expected_version)
        for document in documents:
            transaction.save(document, condition=DocumentRecord.document_id.does_not_exist())

    _write_versioned(fill)


def record_erasure(request: RequestRecord, entry: HistoryEntry, expected_version: int) -> bool:
    """Deletes the applicant and saves the request without its identity, with the entry that
    records the erasure and its proof without the check, in one transaction. False when there
    was no applicant left to erase (erased before, or expired): then nothing is written."""
    # PynamoDB sends a transaction's deletes before its puts and updates (TransactWrite._commit),
    # and DynamoDB's reasons follow what was sent: the applicant's delete is the first.
    applicant_position = 0

    def fill(transaction: TransactWrite) -> None:
        transaction.save(request, condition=RequestRecord.version == expected_version)
        transaction.save(entry, condition=HistoryEntry.tracking_number.does_not_exist())
        erase_check_in(transaction, request, entry)
        transaction.delete(ApplicantRecord(request.tracking_number), condition=ApplicantRecord.tracking_number.exists())

    try:
        _transact(fill)
    except TransactWriteError as error:
        reasons = error.cancellation_reasons or []
        applicant = reasons[applicant_position] if len(reasons) > applicant_position else None
        if applicant is not None and applicant.code == "ConditionalCheckFailed":
            return False
        if _a_condition_failed(error):
            raise VersionConflict from error
        raise
    return True


def _transact(fill: Callable[[TransactWrite], None]) -> None:
    """Writes the items `fill` puts in one transaction, retried on transient refusals under one
    client request token for all its tries (store/retries.py). A refusal for any other reason
    (a failed condition) comes back as TransactWriteError, for the caller to name."""
    token = str(uuid.uuid4())

    def write() -> None:
        with TransactWrite(connection=shared_connection(), client_request_token=token) as transaction:
            fill(transaction)

    retry_transient(write)


def _write_versioned(fill: Callable[[TransactWrite], None]) -> None:
    """A change to a request read at some version (`fill` saves it with save_change): any failed
    condition means someone changed it meanwhile (or wrote the same new items first)."""
    try:
        _transact(fill)
    except TransactWriteError as error:
        if _a_condition_failed(error):
            raise VersionConflict from error
        raise


def _a_condition_failed(error: TransactWriteError) -> bool:
    reasons = error.cancellation_reasons or []
    return any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons)
