"""Reading the portal's plain HTML forms (application/x-www-form-urlencoded) into the JSON API's bodies,
and sending a JSON route's form posts to the page that answers them (`or_form_page`).

Browsers without JavaScript can only post forms, so the portal's form routes read this one media type
besides JSON; the bodies they build are exactly what a JSON client would send, and go to the same services.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.http.bodies import raw_body
from chalicelib.domain.errors import InvalidInput

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"
# The longest form (the applicant's three answers, a service's fields, the hidden ones) has about twenty.
MAX_FORM_FIELDS = 100
# What the application form sends besides the answers, and the answers' prefixes.
STEP = "step"
IDEMPOTENCY_KEY = "idempotency_key"
_APPLICANT = "applicant."
_DETAILS = "details."
CONSENT_GIVEN = "yes"


def sent_as_form(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == FORM_MEDIA_TYPE


def or_form_page(page: Callable[[Request], Response], blueprint: Blueprint) -> Callable[..., Any]:
    """Sends a JSON route's form posts (the portal without JavaScript) to `page`; JSON is left as it was."""

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def dispatching(*args: Any, **kwargs: Any) -> Response:
            request = blueprint.current_request
            if sent_as_form(request):
                return page(request)
            return view(*args, **kwargs)

        return dispatching

    return decorate


def form_fields(request: Request) -> dict[str, str]:
    """The form's fields by name; a name sent twice keeps its last value, as a browser never sends one twice."""
    raw = raw_body(request)
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except ValueError:  # UnicodeDecodeError included: the bytes, or what the %-escapes spell, are not UTF-8
        raise InvalidInput(
            code="malformed_form",
            message_ar="تعذر قراءة بيانات النموذج. أعد ملء النموذج وأرسله مرة أخرى.",
            message_en="The form data could not be read; fill in the form again and resend it.",
        ) from None
    return dict(pairs)


def application_body(fields: Mapping[str, str]) -> dict[str, Any]:
    """The JSON API's submission body (docs/interfaces.md#submission) from the application form's fields."""
    return {
        "service_code": fields.get("service_code", ""),
        "district_code": fields.get("district_code", ""),
        "applicant": {
            name.removeprefix(_APPLICANT): value for name, value in fields.items() if name.startswith(_APPLICANT)
        },
        "details": {name.removeprefix(_DETAILS): value for name, value in fields.items() if name.startswith(_DETAILS)},
        "notify_by": fields.get("notify_by") or "sms",
        "consent": fields.get("consent") == CONSENT_GIVEN,
    }


def inquiry_body(fields: Mapping[str, str]) -> dict[str, str]:
    """The JSON API's inquiry body (docs/interfaces.md#inquiry) from the track form's fields."""
    return {
        "tracking_number": fields.get("tracking_number", ""),
        "national_id_last4": fields.get("national_id_last4", ""),
    }
