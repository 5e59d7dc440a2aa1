"""The one table of how each refusal is answered: the domain's error -> the status, the code and
the Arabic and English message. Three renderers read it: JSON (responses.py, the error shape of
docs/interfaces.md#error-shape), the portal's pages (pages.py) and Open311's error list (routes/open311.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.errors import Busy, Conflict, Forbidden, InvalidInput, NotFound, TooManyRequests, Unavailable

RETRY_AFTER_BUSY_S = "2"
UNEXPECTED_AR = "حدث خطأ غير متوقع ولم يُحفظ شيء. حاول مرة أخرى بعد قليل."
UNEXPECTED_EN = "An unexpected error occurred and nothing was saved. Please try again shortly."

# Codes of an invalid input that are not the plain 400 of an invalid field.
_STATUS_BY_CODE = {
    "body_too_large": 413,
    "unsupported_media_type": 415,
    "idempotency_key_reused": 422,
    "card_orders_exhausted": 429,
}


@dataclass(frozen=True)
class Refusal:
    """How one error is answered, whatever the answer's format."""

    status: int
    code: str
    message_ar: str
    message_en: str
    fields: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)
    current: dict[str, Any] | None = None  # a conflict's: the record as it stands


UNEXPECTED = Refusal(500, "internal_error", UNEXPECTED_AR, UNEXPECTED_EN)


def refusal_of(error: Exception) -> Refusal:
    """The table. Anything it does not name is unforeseen: a 500 that says nothing was saved."""
    match error:
        case InvalidInput():
            return Refusal(
                _STATUS_BY_CODE.get(error.code, 400), error.code, error.message_ar, error.message_en, error.fields
            )
        case NotFound():
            return Refusal(404, "not_found", error.message_ar, error.message_en)
        case TooManyRequests():
            retry_after = {"Retry-After": retry_after_seconds(error)}
            return Refusal(429, error.code, error.message_ar, error.message_en, headers=retry_after)
        case Unavailable():
            return Refusal(503, error.code, error.message_ar, error.message_en)
        case Busy():
            # Contended: the same request kept changing under this write (409, try again); otherwise
            # DynamoDB stayed throttled or slow (503). Either way nothing was written.
            status, code = (409, "busy") if error.contended else (503, "temporarily_unavailable")
            retry_after = {"Retry-After": RETRY_AFTER_BUSY_S}
            return Refusal(status, code, error.message_ar, error.message_en, headers=retry_after)
        case Forbidden():
            return Refusal(403, "forbidden", error.message_ar, error.message_en)
        case Conflict():
            return Refusal(409, error.code, error.message_ar, error.message_en, current=_current_answer(error.current))
    return UNEXPECTED


def _current_answer(current: object) -> dict[str, Any]:
    """A conflict's record as it stands, as the API shows it: a plain mapping as it is, and the
    office's view of a request (services/office_view.py's stale, and the office's refused changes) as the
    office API shows it."""
    if isinstance(current, Mapping):
        return dict(current)
    # Loaded already whenever a conflict carries its value, since it made it: no route pays for it otherwise.
    from chalicelib.api.http.office_views import blind_view_answer
    from chalicelib.services.office_view import BlindView

    if isinstance(current, BlindView):
        return blind_view_answer(current)
    raise TypeError(f"a conflict carries a {type(current).__name__} the API does not show")


def retry_after_seconds(limited: TooManyRequests) -> str:
    return str(max(1, int((limited.retry_after - datetime.now(UTC)).total_seconds())))
