"""Open311 GeoReport v2 under /open311/v2/ (docs/interfaces.md#open311), in JSON and in XML.

API Gateway's path parameters fill whole path segments, so `services/{service_code}.json` is
routed as `services/{service_file}` and the format is read from the file name's extension.
Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

import functools
import hmac
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.http.errors import UNEXPECTED, refusal_of
from chalicelib.api.http.forms import FORM_MEDIA_TYPE, form_fields, sent_as_form
from chalicelib.domain.errors import Busy, InvalidInput, Unavailable
from chalicelib.domain.idempotency import read_idempotency_key
from chalicelib.domain.open311 import (
    SPECIFICATION,
    Open311Error,
    check_jurisdiction,
    derived_idempotency_key,
    refusal,
    split_format,
)
from chalicelib.observability.logs import logger

open311_api = Blueprint(__name__)

BASE = "/open311/v2"
_MEDIA_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


def _reply(fmt: str, root: str, payload: Any, status_code: int = 200) -> Response:
    if fmt == "json":
        body = json.dumps(payload, ensure_ascii=False)
    else:
        from chalicelib.api.http.open311_xml import to_xml

        body = to_xml(root, payload)
    headers = {"Content-Type": _MEDIA_TYPES[fmt], "Cache-Control": "no-store"}
    return Response(body=body, status_code=status_code, headers=headers)


def _errors(
    fmt: str, status: int, message_ar: str, message_en: str, headers: Mapping[str, str] | None = None
) -> Response:
    """Open311's error list of one error, numbered with the status."""
    response = _reply(fmt, "errors", [{"code": status, "description": f"{message_ar} — {message_en}"}], status)
    response.headers.update(headers or {})
    return response


Answer311 = tuple[str, Any, int]  # the XML root's name, the payload, the status


def answers_open311(fmt: str | None) -> Callable[[Callable[..., Answer311]], Callable[..., Response]]:
    """Answers a view's (XML root, payload, status) in the route's format (`None`: the format of the
    file the path names); refusals become Open311's error list, anything unforeseen a 500 that is
    logged, not shown."""

    def decorate(view: Callable[..., Answer311]) -> Callable[..., Response]:
        @functools.wraps(view)
        def answering(*args: Any, **kwargs: Any) -> Response:
            answer_format = fmt or ("xml" if any(str(value).endswith(".xml") for value in kwargs.values()) else "json")
            try:
                check_jurisdiction((open311_api.current_request.query_params or {}).get("jurisdiction_id"))
                root, payload, status_code = view(*args, **kwargs)
            except Open311Error as refused:
                return _reply(answer_format, "errors", refused.as_list(), refused.status)
            except (Busy, Unavailable, InvalidInput) as error:
                # The store busy or a service we depend on down (nothing written, try again), or the
                # body itself (too large, not a form, a bad Idempotency-Key): as the JSON API answers.
                refusal = refusal_of(error)
                status = 400 if isinstance(error, InvalidInput) else refusal.status
                return _errors(answer_format, status, refusal.message_ar, refusal.message_en, refusal.headers)
            except Exception:
                logger.exception("unhandled error")
                return _errors(answer_format, UNEXPECTED.status, UNEXPECTED.message_ar, UNEXPECTED.message_en)
            return _reply(answer_format, root, payload, status_code)

        return answering

    return decorate


def _require_api_key(provided: str | None) -> None:
    from chalicelib.adapters.secrets import secret

    expected = secret("OPEN311_API_KEY")
    if not provided or not hmac.compare_digest(provided.encode("utf-8"), expected.encode("utf-8")):
        raise refusal(403, "مفتاح api_key مفقود أو غير صحيح.", "The api_key is missing or not valid.")


def _now() -> datetime:
    return datetime.now(UTC)


def _discovery() -> dict[str, Any]:
    request = open311_api.current_request
    host = request.headers.get("host", "")
    scheme = request.headers.get("x-forwarded-proto", "https" if host and not host.startswith("127.") else "http")
    return {
        "changeset": "2026-11-30T00:00:00Z",
        "contact": "بوابة محافظة الجيزة — Giza Governorate, one-window services",
        "key_service": "The governorate issues api_key values to partner systems on request.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": f"{scheme}://{host}{BASE}" if host else BASE,
                "changeset": "2026-11-30T00:00:00Z",
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


@open311_api.route(f"{BASE}/discovery.json", methods=["GET"], cors=True)
@answers_open311("json")
def discovery_json() -> Answer311:
    return "discovery", _discovery(), 200


@open311_api.route(f"{BASE}/discovery.xml", methods=["GET"], cors=True)
@answers_open311("xml")
def discovery_xml() -> Answer311:
    return "discovery", _discovery(), 200


def _services() -> Answer311:
    from chalicelib.api.http.open311_views import service_entry
    from chalicelib.services.open311 import list_services

    return "services", [service_entry(offered) for offered in list_services(_now())], 200


@open311_api.route(f"{BASE}/services.json", methods=["GET"], cors=True)
@answers_open311("json")
def services_json() -> Answer311:
    return _services()


@open311_api.route(f"{BASE}/services.xml", methods=["GET"], cors=True)
@answers_open311("xml")
def services_xml() -> Answer311:
    return _services()


@open311_api.route(f"{BASE}/services/{{service_file}}", methods=["GET"], cors=True)
@answers_open311(None)
def open311_service_definition(service_file: str) -> Answer311:
    from chalicelib.api.http.open311_views import service_definition
    from chalicelib.services.open311 import define_service

    service_code, _ = split_format(service_file)
    return "service_definition", service_definition(define_service(service_code, _now())), 200


def _listing() -> Answer311:
    from chalicelib.api.http.open311_views import public_view
    from chalicelib.services.open311 import find_requests

    params = dict(open311_api.current_request.query_params or {})
    if not params.get("service_request_id"):
        # A listing by date would hand out every tracking number, which is half of what the
        # citizen's own inquiry asks: partners only.
        _require_api_key(params.get("api_key"))
    return "service_requests", [public_view(request) for request in find_requests(params, _now())], 200


@open311_api.route(f"{BASE}/requests.json", methods=["GET"], cors=True)
@answers_open311("json")
def requests_json() -> Answer311:
    return _listing()


@open311_api.route(f"{BASE}/requests.xml", methods=["GET"], cors=True)
@answers_open311("xml")
def requests_xml() -> Answer311:
    return _listing()


def _filing() -> Answer311:
    from chalicelib.api.http.open311_views import filed_requests
    from chalicelib.services.open311 import file_request

    request = open311_api.current_request
    if not sent_as_form(request):
        raise refusal(
            415,
            "أرسل الطلب بصيغة application/x-www-form-urlencoded كما تنص Open311.",
            "Send the request as application/x-www-form-urlencoded, as Open311 specifies.",
        )
    form = {**(request.query_params or {}), **form_fields(request)}
    _require_api_key(form.get("api_key"))
    key = read_idempotency_key(request.headers.get("idempotency-key")) or derived_idempotency_key(form)
    return "service_requests", filed_requests(file_request(form, key, _now())), 201


# JSON (what a request without a Content-Type counts as) is let in to be refused in Open311's words:
# Chalice's own 415 has another shape.
_POSTED = [FORM_MEDIA_TYPE, "application/json"]


@open311_api.route(f"{BASE}/requests.json", methods=["POST"], content_types=_POSTED, cors=True)
@answers_open311("json")
def file_request_json() -> Answer311:
    return _filing()


@open311_api.route(f"{BASE}/requests.xml", methods=["POST"], content_types=_POSTED, cors=True)
@answers_open311("xml")
def file_request_xml() -> Answer311:
    return _filing()


@open311_api.route(f"{BASE}/requests/{{request_file}}", methods=["GET"], cors=True)
@answers_open311(None)
def open311_request(request_file: str) -> Answer311:
    from chalicelib.api.http.open311_views import public_view
    from chalicelib.services.open311 import find_request

    tracking_number, _ = split_format(request_file)
    return "service_requests", [public_view(request) for request in find_request(tracking_number, _now())], 200
