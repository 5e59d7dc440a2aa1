"""The shapes every answer takes: JSON bodies, and the one error shape of CONTRACT.md."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalice import Response
from chalice.app import Request

from chalicelib.domain.errors import Busy, Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests, Unavailable
from chalicelib.observability.logs import logger

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}

# Codes that are not the plain 400 of an invalid field.
_STATUS_BY_CODE = {
    "body_too_large": 413,
    "unsupported_media_type": 415,
    "idempotency_key_reused": 422,
    "card_orders_exhausted": 429,
}
RETRY_AFTER_BUSY_S = "2"


def json_response(body: dict[str, Any], status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    # Arabic as UTF-8 rather than \u escapes: half the bytes on a metered connection, and readable.
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return Response(body=text, status_code=status_code, headers={**JSON_HEADERS, **(headers or {})})


def error_response(
    status_code: int, code: str, message_ar: str, message_en: str, fields: dict[str, str] | None = None
) -> Response:
    error = {"code": code, "message_ar": message_ar, "message_en": message_en, "fields": fields or {}}
    return json_response({"error": error}, status_code)


def retry_after_seconds(limited: TooManyRequests) -> str:
    return str(max(1, int((limited.retry_after - datetime.now(UTC)).total_seconds())))


def too_many_requests(limited: TooManyRequests) -> Response:
    response = error_response(429, limited.code, limited.message_ar, limited.message_en)
    response.headers["Retry-After"] = retry_after_seconds(limited)
    return response


def answers_errors(view: Callable[..., Response]) -> Callable[..., Response]:
    """Turns the domain's refusals into their answers, and anything unforeseen into a 500
    that is logged (through the redacting logger) rather than shown."""

    @functools.wraps(view)
    def answering(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)
        except InvalidInput as refusal:
            logger.info("input refused", extra={"error_code": refusal.code, "fields": sorted(refusal.fields)})
            return error_response(
                _STATUS_BY_CODE.get(refusal.code, 400),
                refusal.code,
                refusal.message_ar,
                refusal.message_en,
                refusal.fields,
            )
        except NotFound as missing:
            return error_response(404, "not_found", missing.message_ar, missing.message_en)
        except TooManyRequests as limited:
            return too_many_requests(limited)
        except Unavailable as down:
            return error_response(503, down.code, down.message_ar, down.message_en)
        except Busy as busy:
            # Contended: the same request kept changing under this write (409, try again);
            # otherwise DynamoDB stayed throttled or slow (503). Either way nothing was written.
            response = error_response(
                409 if busy.contended else 503, "busy" if busy.contended else "temporarily_unavailable",
                busy.message_ar, busy.message_en,
            )  # fmt: skip
            response.headers["Retry-After"] = RETRY_AFTER_BUSY_S
            return response
        except Forbidden as refusal:
            return error_response(403, "forbidden", refusal.message_ar, refusal.message_en)
        except Conflict as conflict:
            response = error_response(409, conflict.code, conflict.message_ar, conflict.message_en)
            return json_response({**json.loads(response.body), "current": conflict.current}, 409)
        except Exception:
            logger.exception("unhandled error")
            return error_response(
                500,
                "internal_error",
                "حدث خطأ غير متوقع ولم يُحفظ شيء. حاول مرة أخرى بعد قليل.",
                "An unexpected error occurred and nothing was saved. Please try again shortly.",
            )

    return answering


def time_left_s(request: Request) -> float | None:
    """What is left of the function's time limit for this request (None outside Lambda)."""
    context = request.lambda_context
    return None if context is None else context.get_remaining_time_in_millis() / 1000
