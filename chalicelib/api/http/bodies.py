"""Reading request bodies safely: size, media type, encoding and JSON shape."""

from __future__ import annotations

import json
import re
from typing import Any

from chalice.app import Request

from chalicelib.domain.errors import InvalidInput

MAX_BODY_BYTES = 64 * 1024
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")
ACCEPTED_MEDIA_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain"]


def _malformed() -> InvalidInput:
    return InvalidInput(
        code="malformed_json",
        message_ar="تعذر قراءة الطلب: يجب أن يكون كائن JSON صحيحًا بترميز UTF-8.",
        message_en="The request body must be a valid JSON object encoded in UTF-8.",
    )


def raw_body(request: Request) -> bytes:
    """The body's bytes, refused past 64 KB: no form or request of this service needs more."""
    raw: bytes = request.raw_body or b""
    if len(raw) > MAX_BODY_BYTES:
        raise InvalidInput(
            code="body_too_large",
            message_ar="حجم الطلب أكبر من المسموح (64 كيلوبايت).",
            message_en="The request body is larger than the 64 KB allowed.",
        )
    return raw


def json_object(request: Request) -> dict[str, Any]:
    raw = raw_body(request)
    media_type = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise InvalidInput(
            code="unsupported_media_type",
            message_ar="أرسل الطلب بصيغة JSON (application/json).",
            message_en="Send the request body as application/json.",
        )
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _malformed() from None
    if not isinstance(body, dict) or not _is_text(raw, body):
        raise _malformed()
    return body


def _is_text(raw: bytes, body: dict[str, Any]) -> bool:
    """A JSON escape can name half of a UTF-16 pair ("\\ud800", or a low half alone, "\\udc00"), which is
    no character at all and cannot be stored or hashed; such a body is as malformed as invalid UTF-8."""
    if not _SURROGATE_ESCAPE.search(raw):
        return True
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON, whatever Python's parser allows."""
    raise ValueError(name)
