"""Guesses at one request's proof sent all at once: threads sending HTTP to `chalice local`,
whose threads judge them against the AWS emulation concurrently. However they interleave,
no more than the hour's limit are ever answered "wrong", and the right digits are answered
only while the limit is not reached (issue 10; store/requests/proof.py). Each burst runs inside one
clock hour (`attempts_hour_now`): across an hour's end, each hour rightly allows its own."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib.domain.tracking import new_tracking_number
from tests.factories import national_id, submission
from tests.integration.api.calls import post_json
from tests.integration.concurrency.conftest import Stack

LIMIT = 10  # FAILED_ATTEMPTS_PER_HOUR's default
RIGHT = national_id()[-4:]
WRONG = [f"{candidate:04d}" for candidate in range(10_000) if f"{candidate:04d}" != RIGHT]
REQUESTS_TABLE = "shobbak-local-requests"


def burst(stack: Stack, tracking_number: str, guesses: list[str]) -> list[int]:
    def guess(last4: str) -> int:
        body = {"tracking_number": tracking_number, "national_id_last4": last4}
        return post_json(stack.client, "/v1/inquiries", body).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        return list(pool.map(guess, guesses))


def file_request(stack: Stack) -> str:
    return post_json(stack.client, "/v1/requests", submission()).json_body["tracking_number"]


def proof_of(stack: Stack, tracking_number: str) -> dict[str, Any]:
    key = {"tracking_number": {"S": tracking_number}, "item": {"S": "proof"}}
    return stack.aws("dynamodb").get_item(TableName=REQUESTS_TABLE, Key=key, ConsistentRead=True)["Item"]


def counted(proof: dict[str, Any]) -> tuple[str, int]:
    """The hour in which the proof's failed attempts count, and how many failed."""
    return proof["attempts_hour"]["S"], int(proof["attempts"]["N"])


def test_a_burst_of_guesses_with_the_right_one_among_them_gets_at_most_the_limit_evaluated(
    stack: Stack, attempts_hour_now: str
) -> None:
    tracking_number = file_request(stack)
    guesses = [*WRONG[:40], RIGHT, *WRONG[40:60]]

    answers = burst(stack, tracking_number, guesses)

    right = answers[40]
    wrong = Counter(answer for guess, answer in zip(guesses, answers, strict=True) if guess != RIGHT)
    assert wrong == {404: LIMIT, 429: 50}, answers
    assert right in (200, 429)
    assert counted(proof_of(stack, tracking_number)) == (attempts_hour_now, LIMIT)


def test_a_burst_as_an_hour_begins_starts_it_once(stack: Stack, attempts_hour_now: str) -> None:
    tracking_number = file_request(stack)
    # The number was locked in an hour long gone: every guess of the burst meets an hour to start.
    stack.aws("dynamodb").update_item(
        TableName=REQUESTS_TABLE,
        Key={"tracking_number": {"S": tracking_number}, "item": {"S": "proof"}},
        UpdateExpression="SET attempts_hour = :old, attempts = :limit",
        ExpressionAttributeValues={":old": {"S": "2026-01-01T00"}, ":limit": {"N": str(LIMIT)}},
    )

    answers = burst(stack, tracking_number, WRONG[:30])

    assert Counter(answers) == {404: LIMIT, 429: 30 - LIMIT}, answers
    assert counted(proof_of(stack, tracking_number)) == (attempts_hour_now, LIMIT)


def test_a_burst_at_a_number_never_issued_locks_it_after_the_same_count(stack: Stack, attempts_hour_now: str) -> None:
    never_issued = new_tracking_number()

    answers = burst(stack, never_issued, WRONG[:30])

    assert Counter(answers) == {404: LIMIT, 429: 30 - LIMIT}, answers
    proof = proof_of(stack, never_issued)
    assert counted(proof) == (attempts_hour_now, LIMIT)
    assert "check" not in proof
