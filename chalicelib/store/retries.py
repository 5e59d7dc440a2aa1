"""DynamoDB's transient refusals, retried a few times with jitter, then answered clearly.

Real DynamoDB cancels a transaction that overlaps another on the same item with
`TransactionConflict` (two gateway notices at once, a double click), and botocore does not
retry that. Throttling and timeouts botocore retries on its own (PynamoDB's retry settings);
what is still failing after that is retried here a little more. Every write retried here is
conditional (never applied twice) and sent with one client request token for all its tries,
which makes DynamoDB answer a retry of a transaction that did commit (a timeout after the
commit) with success instead of a refusal. What stays busy becomes Busy, which the API answers
as "try again" and which makes a stream or scheduled handler fail, to be run again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from botocore.exceptions import ConnectionError as BotocoreConnectionError
from botocore.exceptions import HTTPClientError
from pynamodb.exceptions import PynamoDBException, TransactWriteError

from chalicelib.domain.errors import Busy

ATTEMPTS = 4
FIRST_DELAY_S = 0.025  # full jitter: each wait is random up to this, doubled for each try
_THROTTLED = frozenset(
    {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
     "TransactionInProgressException", "ThrottlingError", "ProvisionedThroughputExceeded"}
)  # fmt: skip

Result = TypeVar("Result")


def retry_transient(operation: Callable[[], Result], sleep: Callable[[float], None] = time.sleep) -> Result:
    """Runs `operation` (one conditional write or transaction) until it is not refused for a
    transient reason, at most ATTEMPTS times; then raises Busy. Other errors pass through."""
    for attempt in range(ATTEMPTS):
        try:
            return operation()
        except PynamoDBException as error:
            reason = transient_reason(error)
            if reason is None:
                raise
            if attempt == ATTEMPTS - 1:
                raise Busy(contended=reason == "TransactionConflict") from error
            sleep(random.uniform(0, FIRST_DELAY_S * 2**attempt))  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")


def transient_reason(error: PynamoDBException) -> str | None:
    """Why DynamoDB refused, when trying again may work: a conflicting transaction, throttling,
    or a network timeout; None for anything else (a failed condition, a bad request)."""
    if isinstance(error.cause, BotocoreConnectionError | HTTPClientError):
        return "timeout"
    if isinstance(error, TransactWriteError):
        codes = {reason.code for reason in error.cancellation_reasons or [] if reason is not None}
        if "TransactionConflict" in codes:
            return "TransactionConflict"
        if codes & _THROTTLED:
            return "throttled"
    # Read from the ClientError itself: a cause without an answer (a network error) has none.
    answer = getattr(error.cause, "response", None) or {}
    code = answer.get("Error", {}).get("Code")
    if code == "TransactionConflictException":  # a single write that met a transaction on its item
        return "TransactionConflict"
    if code in _THROTTLED:
        return "throttled"
    return None
