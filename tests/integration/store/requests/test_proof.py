"""A request's proof: every attempt judged and, when wrong, counted in one atomic step, and a
right one answered from the same call (store/requests/proof.py), a wrong one counted once even
when DynamoDB's answer to it was lost (tests/faults.py's ANSWER_LOST)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from chalicelib.domain.errors import Busy
from chalicelib.store.requests.changes import insert_submission, load_request
from chalicelib.store.requests.proof import AttemptsExhausted, judge_attempt
from tests.faults import ANSWER_LOST, CONFLICT, THROTTLED, TIMEOUT, UNTOUCHED, DynamoDBFaults
from tests.integration.store.requests.test_changes import CHECK, records
from tools.testing.aws_calls import counted_aws_calls

ISSUED, NEVER_ISSUED = "1234567890128", "9876543210984"
HOUR, NEXT_HOUR = "2026-11-27T09", "2026-11-27T10"
FORGET_AT = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
LIMIT = 3
WRONG = "a check no request has"


def issue(tracking_number: str = ISSUED) -> None:
    insert_submission(*records(tracking_number, key=None), [], CHECK)


def attempt(guess: str, hour: str = HOUR, tracking_number: str = ISSUED) -> Any:
    return judge_attempt(tracking_number, guess, hour, LIMIT, FORGET_AT)


def proof_item(tracking_number: str = ISSUED) -> dict[str, Any] | None:
    key = {"tracking_number": {"S": tracking_number}, "item": {"S": "proof"}}
    return boto3.client("dynamodb").get_item(TableName="shobbak-local-requests", Key=key).get("Item")


def test_a_right_guess_is_answered_from_one_update_that_writes_nothing(aws: None) -> None:
    issue()
    before = proof_item()

    with counted_aws_calls() as calls:
        proof = attempt(CHECK)

    assert dict(calls) == {"dynamodb:UpdateItem": 1}
    assert proof_item() == before
    assert proof.citizen_view() == {
        "status": "awaiting_payment",
        "service_code": "shop_licence",
        "district_code": "dokki",
        "submitted_at": "2026-11-27T09:30:00Z",
        "sla_due_date": "2026-12-28",
        "payment_status": None,
        "history": [{"status": "awaiting_payment", "at": "2026-11-27T09:30:00Z"}],
    }


def test_a_wrong_guess_is_counted_the_first_of_an_hour_in_two_calls_the_next_in_one(aws: None) -> None:
    issue()

    with counted_aws_calls() as first:
        assert attempt(WRONG) is None
    with counted_aws_calls() as second:
        assert attempt(WRONG) is None

    assert (dict(first), dict(second)) == ({"dynamodb:UpdateItem": 2}, {"dynamodb:UpdateItem": 1})
    item = proof_item()
    assert (item["attempts_hour"], item["attempts"], "expires_at" in item) == ({"S": HOUR}, {"N": "2"}, False)


def test_once_the_limit_failed_even_the_right_guess_is_refused_until_the_hour_ends(aws: None) -> None:
    issue()
    for _ in range(LIMIT):
        assert attempt(WRONG) is None

    for guess in (WRONG, CHECK):
        with pytest.raises(AttemptsExhausted):
            attempt(guess)

    assert proof_item()["attempts"] == {"N": str(LIMIT)}
    assert attempt(WRONG, NEXT_HOUR) is None  # a new hour starts from one
    assert proof_item()["attempts"] == {"N": "1"}
    assert attempt(CHECK, NEXT_HOUR).citizen_view()["status"] == "awaiting_payment"


def test_a_clock_a_little_behind_counts_in_the_hour_another_has_started(aws: None) -> None:
    issue()
    for _ in range(LIMIT):
        attempt(WRONG, NEXT_HOUR)

    with pytest.raises(AttemptsExhausted):
        attempt(WRONG, HOUR)  # never a restart of the count for the hour before

    assert (proof_item()["attempts_hour"], proof_item()["attempts"]) == ({"S": NEXT_HOUR}, {"N": str(LIMIT)})


def test_a_number_never_issued_counts_alike_is_forgotten_and_keeps_its_count_if_issued(aws: None) -> None:
    answers = []
    for _ in range(LIMIT + 1):
        try:
            answers.append(attempt(WRONG, tracking_number=NEVER_ISSUED))
        except AttemptsExhausted:
            answers.append("locked")

    assert answers == [None] * LIMIT + ["locked"]
    item = proof_item(NEVER_ISSUED)
    assert item["expires_at"] == {"N": str(int(FORGET_AT.timestamp()))}
    assert (item["kind"], "check" in item) == ({"S": "proof"}, False)
    assert load_request(NEVER_ISSUED) is None
    # Issued later (a tracking number drawn at random), it is no longer forgotten, and the
    # hour's attempts still count.
    issue(NEVER_ISSUED)
    assert "expires_at" not in proof_item(NEVER_ISSUED)
    with pytest.raises(AttemptsExhausted):
        attempt(CHECK, tracking_number=NEVER_ISSUED)


def test_conflicts_throttling_and_timeouts_are_retried_and_count_once(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    issue()
    dynamodb_faults.plan("UpdateItem", CONFLICT, THROTTLED, TIMEOUT)

    assert attempt(WRONG) is None
    assert attempt(CHECK).citizen_view()["status"] == "awaiting_payment"

    assert sum(dynamodb_faults.injected.values()) == 3
    assert proof_item()["attempts"] == {"N": "1"}


def test_a_proof_that_stays_contended_answers_try_again_and_counts_nothing(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    issue()
    dynamodb_faults.plan("UpdateItem", *[CONFLICT] * 10)

    with pytest.raises(Busy):
        attempt(WRONG)

    dynamodb_faults.clear()
    assert "attempts" not in proof_item()


def test_a_wrong_guess_whose_answer_was_lost_counts_once(aws: None, dynamodb_faults: DynamoDBFaults) -> None:
    issue()
    assert attempt(WRONG) is None  # the hour started: one failed attempt
    dynamodb_faults.plan("UpdateItem", ANSWER_LOST)

    assert attempt(WRONG) is None

    assert dynamodb_faults.injected[("UpdateItem", ANSWER_LOST)] == 1
    assert (proof_item()["attempts_hour"], proof_item()["attempts"]) == ({"S": HOUR}, {"N": "2"})


def test_the_first_wrong_guess_of_an_hour_whose_answer_was_lost_counts_once(
    aws: None, dynamodb_faults: DynamoDBFaults
) -> None:
    issue()
    # The attempt's first update is refused (no hour yet); its second, which starts the hour, is
    # made and its answer lost.
    dynamodb_faults.plan("UpdateItem", UNTOUCHED, ANSWER_LOST)

    assert attempt(WRONG) is None

    assert proof_item()["attempts"] == {"N": "1"}
