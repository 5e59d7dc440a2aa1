"""The shapes every answer takes: JSON bodies, and the one error shape (docs/interfaces.md#error-shape)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from chalice import Response
from chalice.app import Request

from chalicelib.api.http.errors import UNEXPECTED, Refusal, refusal_of
from chalicelib.domain.errors import InvalidInput
from chalicelib.observability.logs import logger

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}


def json_response(body: dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    # Arabic as UTF-8 rather than \u escapes: half the bytes on a metered connection, and readable.
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(body=text, status_code=status_code, headers={**JSON_HEADERS, **(headers or {})})


def error_response(status_code: int, code: str, message_ar: str, message_en: str) -> Response:
    """A refusal the table does not hold: one route's own (a payment notice that is not genuine)."""
    return _error_answer(Refusal(status_code, code, message_ar, message_en))


def answers_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    """Answers the domain's refusals in the one error shape (errors.py says with what), and
    anything unforeseen with a 500 that is logged (through the redacting logger) rather than shown."""

    @functools.wraps(view)
    def answering(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except Exception as error:
            refusal = refusal_of(error)
            if refusal is UNEXPECTED:
                logger.exception("unhandled error")
            elif isinstance(error, InvalidInput):
                logger.info("input refused", extra={"error_code": refusal.code, "fields": sorted(refusal.fields)})
            return _error_answer(refusal)

    return answering


def _error_answer(refusal: Refusal) -> Response:
    error = {"code": refusal.code, "message_ar": refusal.message_ar, "message_en": refusal.message_en,
             "fields": dict(refusal.fields)}  # fmt: skip
    body: dict[str, Any] = {"error": error}
    if refusal.current is not None:
        body["current"] = refusal.current
    return json_response(body, refusal.status, dict(refusal.headers))


def time_left_s(request: Request) -> float | None:
    """What is left of the function's time limit for this request (None outside Lambda)."""
    context = request.lambda_context
    return None if context is None else context.get_remaining_time_in_millis() / 1000
