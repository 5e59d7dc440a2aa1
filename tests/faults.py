"""Faults injected into DynamoDB's answers, as the real service gives them, for every client.

A botocore `before-send` hook, in place of moto's own for every session (botocore calls
every before-send handler, so the hook decides whether moto sees the request at all), answers
chosen calls with what DynamoDB answers under contention or load: a TransactWriteItems
cancelled for `TransactionConflict` (a single write, refused with TransactionConflictException),
a call throttled, or a request that timed out. Being at the HTTP layer, a fault goes through
botocore's own retry handling exactly as a real one would (throttling and timeouts retried,
conflicts not). ANSWER_LOST lets the call reach moto
and then loses the answer: the write happened, and the caller cannot know.

Every DynamoDB call is also held to the service's limits on key values (tests/dynamodb_limits.py),
which moto checks only on writes: one out of bounds gets DynamoDB's ValidationException.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter, deque
from io import BytesIO
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ReadTimeoutError
from botocore.handlers import BUILTIN_HANDLERS
from moto.core.models import botocore_stubber

from tests.dynamodb_limits import refusal

CONFLICT = "TransactionConflict"
THROTTLED = "Throttled"
TIMEOUT = "Timeout"
ANSWER_LOST = "AnswerLost"  # after the write is made
UNTOUCHED = "Untouched"  # the call goes through as it is: a fault planned after it hits a later call
_SIGNED_REGION = re.compile(r"Credential=[^/]+/[0-9]{8}/([a-z0-9-]+)/dynamodb/")


class _Body(BytesIO):
    def stream(self, **kwargs: Any) -> Any:
        yield self.read()


class DynamoDBFaults:
    """The faults still to inject, per DynamoDB operation, in order; none once they are used."""

    def __init__(self) -> None:
        self._planned: dict[str, deque[str]] = {}
        self._lock = threading.Lock()
        self.injected: Counter[tuple[str, str]] = Counter()

    def plan(self, operation: str, *faults: str) -> None:
        with self._lock:
            self._planned.setdefault(operation, deque()).extend(faults)

    def clear(self) -> None:
        with self._lock:
            self._planned.clear()
            self.injected.clear()

    def _next(self, operation: str) -> str | None:
        with self._lock:
            queue = self._planned.get(operation)
            if not queue:
                return None
            fault = queue.popleft()
            self.injected[(operation, fault)] += 1
            return fault

    def before_send(self, request: AWSPreparedRequest, **kwargs: Any) -> AWSResponse | None:
        target = request.headers.get("X-Amz-Target", b"")
        target = target.decode() if isinstance(target, bytes) else target
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "injected-fault"}
        if target.startswith("DynamoDB_"):
            invalid = refusal(target.split(".", 1)[1], _region_of(request), request.body)
            if invalid is not None:
                return AWSResponse(request.url, 400, headers, _Body(json.dumps(invalid).encode()))
        fault = self._next(target.split(".", 1)[1]) if target.startswith("DynamoDB_") else None
        if fault is None or fault == UNTOUCHED:
            return botocore_stubber(request=request, **kwargs)  # moto, as if the hook were not there
        if fault == TIMEOUT:
            raise ReadTimeoutError(endpoint_url=request.url)
        if fault == ANSWER_LOST:
            botocore_stubber(request=request, **kwargs)
            raise ReadTimeoutError(endpoint_url=request.url)
        if fault == CONFLICT and not target.endswith(".TransactWriteItems"):
            # A single write that met a transaction on its item.
            body = {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionConflictException",
                "message": "Transaction is ongoing for the item",
            }
        elif fault == CONFLICT:
            items = len(json.loads(request.body or b"{}").get("TransactItems", [])) or 1
            body = {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "message": "Transaction cancelled, please refer cancellation reasons for specific reasons",
                "CancellationReasons": [{"Code": CONFLICT, "Message": "Transaction is ongoing for the item"}]
                + [{"Code": "None"}] * (items - 1),
            }
        else:
            body = {
                "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                "message": "Rate of requests exceeds the allowed throughput.",
            }
        return AWSResponse(request.url, 400, headers, _Body(json.dumps(body).encode()))


def _region_of(request: AWSPreparedRequest) -> str:
    """The region the request is signed for (its endpoint may be a local address)."""
    authorization = request.headers.get("Authorization", b"")
    authorization = authorization.decode() if isinstance(authorization, bytes) else authorization
    found = _SIGNED_REGION.search(authorization)
    return found.group(1) if found else "us-east-1"


FAULTS = DynamoDBFaults()
_MOTO = BUILTIN_HANDLERS.index(("before-send", botocore_stubber))
BUILTIN_HANDLERS[_MOTO] = ("before-send", FAULTS.before_send)
