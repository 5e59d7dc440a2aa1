"""DynamoDB's transient refusals retried a few times with jitter, then answered as Busy; every other
refusal passed through at once (chalicelib/store/retries.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from pynamodb.exceptions import CancellationReason, PutError, TransactWriteError, VerboseClientError

from chalicelib.domain.errors import Busy
from chalicelib.store.retries import ATTEMPTS, FIRST_DELAY_S, retry_transient, transient_reason


def cancelled(*codes: str | None) -> TransactWriteError:
    reasons = [None if code is None else CancellationReason(code=code) for code in codes]
    answer = {"Error": {"Code": "TransactionCanceledException", "Message": "cancelled"}}
    return TransactWriteError(
        "cancelled", cause=VerboseClientError(answer, "TransactWriteItems", cancellation_reasons=reasons)
    )


def refused(code: str) -> PutError:
    return PutError("refused", cause=ClientError({"Error": {"Code": code, "Message": code}}, "PutItem"))


def failing(errors: list[Exception], answer: str = "written") -> tuple[Callable[[], str], list[int]]:
    """An operation that raises `errors` one per call, then answers; and its count of calls."""
    calls = [0]

    def operation() -> str:
        calls[0] += 1
        if errors:
            raise errors.pop(0)
        return answer

    return operation, calls


def test_a_conflicting_transaction_throttling_and_a_timeout_are_transient() -> None:
    timeout = PutError("timed out", cause=ReadTimeoutError(endpoint_url="https://dynamodb"))
    assert transient_reason(cancelled(None, "TransactionConflict")) == "TransactionConflict"
    assert transient_reason(cancelled("ThrottlingError")) == "throttled"
    assert transient_reason(refused("ProvisionedThroughputExceededException")) == "throttled"
    assert transient_reason(refused("TransactionConflictException")) == "TransactionConflict"
    assert transient_reason(timeout) == "timeout"


def test_a_failed_condition_or_a_bad_request_is_not_transient() -> None:
    assert transient_reason(cancelled("ConditionalCheckFailed", None)) is None
    assert transient_reason(refused("ConditionalCheckFailedException")) is None
    assert transient_reason(refused("ValidationException")) is None
    assert transient_reason(PutError("no answer")) is None  # no cause at all


def test_a_transient_refusal_is_tried_again_after_a_jittered_wait_that_doubles() -> None:
    operation, calls = failing([cancelled("TransactionConflict"), refused("ThrottlingException")])
    waits: list[float] = []

    assert retry_transient(operation, sleep=waits.append) == "written"

    assert calls == [3]
    assert len(waits) == 2
    assert 0 <= waits[0] <= FIRST_DELAY_S
    assert 0 <= waits[1] <= FIRST_DELAY_S * 2


def test_a_conflict_that_outlasts_every_attempt_is_busy_and_contended() -> None:
    operation, calls = failing([cancelled("TransactionConflict") for _ in range(ATTEMPTS)])

    with pytest.raises(Busy) as busy:
        retry_transient(operation, sleep=lambda _: None)

    assert calls == [ATTEMPTS]
    assert busy.value.contended is True


def test_throttling_that_outlasts_every_attempt_is_busy_but_not_contended() -> None:
    operation, calls = failing([refused("ThrottlingException") for _ in range(ATTEMPTS)])

    with pytest.raises(Busy) as busy:
        retry_transient(operation, sleep=lambda _: None)

    assert calls == [ATTEMPTS]
    assert busy.value.contended is False


def test_any_other_refusal_passes_through_on_the_first_try() -> None:
    condition = cancelled("ConditionalCheckFailed")
    operation, calls = failing([condition])
    waits: list[float] = []

    with pytest.raises(TransactWriteError) as raised:
        retry_transient(operation, sleep=waits.append)

    assert raised.value is condition
    assert (calls, waits) == ([1], [])
