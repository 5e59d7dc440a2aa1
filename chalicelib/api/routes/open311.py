"""Open311 GeoReport v2 under /open311/v2/ (CONTRACT.md), in JSON and in XML.

API Gateway's path parameters fill whole path segments, so `services/{service_code}.json` is
routed as `services/{service_file}` and the format is read from the file name's extension.
Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

import functools
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from chalice import Blueprint, Response

from chalicelib.api.http.forms import FORM_MEDIA_TYPE, form_fields, sent_as_form
from chalicelib.api.http.responses import RETRY_AFTER_BUSY_S
from chalicelib.api.openapi import (
    OPEN311_API_KEY,
    XML,
    Answer,
    Parameter,
    documented,
    form_body,
)
from chalicelib.api.openapi.schemas import IDEMPOTENCY_KEY_PARAMETER
from chalicelib.domain.errors import Busy, InvalidInput, Unavailable
from chalicelib.domain.idempotency import read_idempotency_key
from chalicelib.domain.open311 import (
    JURISDICTION_ID,
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
            except Busy as busy:  # the store stayed busy: nothing written, try again (as the JSON API answers)
                status = 409 if busy.contended else 503
                response = _reply(answer_format, "errors", [{"code": status, "description": f"{busy.message_ar} — "
                                                            f"{busy.message_en}"}], status)  # fmt: skip
                response.headers["Retry-After"] = RETRY_AFTER_BUSY_S
                return response
            except Unavailable as down:  # a service we depend on is down: nothing written, try again
                error = {"code": 503, "description": f"{down.message_ar} — {down.message_en}"}
                return _reply(answer_format, "errors", [error], 503)
            except InvalidInput as refused:  # the body itself: too large, not a form, a bad Idempotency-Key
                error = {"code": 400, "description": f"{refused.message_ar} — {refused.message_en}"}
                return _reply(answer_format, "errors", [error], 400)
            except Exception:
                logger.exception("unhandled error")
                message = "حدث خطأ غير متوقع ولم يُحفظ شيء. — An unexpected error occurred and nothing was saved."
                return _reply(answer_format, "errors", [{"code": 500, "description": message}], 500)
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


# OpenAPI entries: what every Open311 answer may be.
def _open311_answer(description: str, json_schema: dict[str, Any], example: Any = None) -> Answer:
    json_media: dict[str, Any] = {"schema": json_schema}
    if example is not None:
        json_media["example"] = example
    return Answer(description, {"application/json": json_media, XML: {"schema": {"type": "string"}}})


_ERROR_LIST = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}


def _errors_answer(description: str) -> Answer:
    return _open311_answer(
        description,
        _ERROR_LIST,
        [{"code": 400, "description": "attribute[national_id]: الرقم القومي يجب أن يتكون من 14 رقمًا. — "
                                      "The national ID must have 14 digits."}],
    )  # fmt: skip


_JURISDICTION = Parameter(
    "jurisdiction_id", "query", f"Optional; this endpoint serves `{JURISDICTION_ID}` only", example=JURISDICTION_ID
)
_UNKNOWN_JURISDICTION = {404: _errors_answer("Another jurisdiction, or nothing matches")}
_SERVICE = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},
        "group": {"type": "string"},
    },
    "required": ["service_code", "service_name", "metadata", "type"],
}
_REQUEST = {
    "type": "object",
    "description": "Never a name, ID, phone, address or answer given in the form",
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": {"type": "string"},
        "service_name": {"type": ["string", "null"]},
        "service_code": {"type": "string"},
        "agency_responsible": {"type": ["string", "null"]},
        "service_notice": {"type": "null"},
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time"},
        "expected_datetime": {"type": "string", "format": "date-time"},
    },
    "required": ["service_request_id", "status", "status_notes", "requested_datetime", "updated_datetime"],
    "additionalProperties": False,
}
_REQUEST_EXAMPLE = {
    "service_request_id": "4829107356122",
    "status": "open",
    "status_notes": "قيد الفحص — in review",
    "service_name": "ترخيص محل عام",
    "service_code": "shop_licence",
    "agency_responsible": "الدقي — Dokki service centre",
    "service_notice": None,
    "requested_datetime": "2026-11-30T08:15:00Z",
    "updated_datetime": "2026-11-30T09:02:11Z",
    "expected_datetime": "2026-12-28T21:59:59Z",
}
_DISCOVERY = {
    "type": "object",
    "properties": {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["endpoints"],
}


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


_discovery_entry = functools.partial(
    documented,
    tag="open311",
    answers={200: _open311_answer("Where the endpoint is and what it speaks", _DISCOVERY)},
)


@open311_api.route(f"{BASE}/discovery.json", methods=["GET"], cors=True)
@_discovery_entry("Open311 discovery (JSON)")
@answers_open311("json")
def discovery_json() -> Answer311:
    return "discovery", _discovery(), 200


@open311_api.route(f"{BASE}/discovery.xml", methods=["GET"], cors=True)
@_discovery_entry("Open311 discovery (XML)")
@answers_open311("xml")
def discovery_xml() -> Answer311:
    return "discovery", _discovery(), 200


_services_entry = functools.partial(
    documented,
    tag="open311",
    description="The catalogue's services offered today in at least one active district. `service_name` is "
    "Arabic; `description` English.",
    parameters=(_JURISDICTION,),
    answers={
        200: _open311_answer(
            "The services",
            {"type": "array", "items": _SERVICE},
            [{"service_code": "shop_licence", "service_name": "ترخيص محل عام", "description": "Shop licence. ...",
              "metadata": True, "type": "realtime", "keywords": "Shop licence, occupancies, licensing",
              "group": "الإشغالات"}],
        ),
        **_UNKNOWN_JURISDICTION,
    },
)  # fmt: skip


@open311_api.route(f"{BASE}/services.json", methods=["GET"], cors=True)
@_services_entry("Open311 services (JSON)")
@answers_open311("json")
def services_json() -> Answer311:
    from chalicelib.services.open311 import list_services

    return "services", list_services(_now()), 200


@open311_api.route(f"{BASE}/services.xml", methods=["GET"], cors=True)
@_services_entry("Open311 services (XML)")
@answers_open311("xml")
def services_xml() -> Answer311:
    from chalicelib.services.open311 import list_services

    return "services", list_services(_now()), 200


@open311_api.route(f"{BASE}/services/{{service_file}}", methods=["GET"], cors=True)
@documented(
    "Open311 service definition: the service's questions as attributes",
    tag="open311",
    description="`district_code`, `national_id`, `consent` and `notify_by` first, then the service's own "
    "fields, each with datatype, required, order and, for choices, values.",
    parameters=(
        Parameter("service_file", "path", "The service code and the format: `shop_licence.json` or `.xml`",
                  {"type": "string", "pattern": "^[a-z0-9_]+\\.(json|xml)$"}, example="shop_licence.json"),
        _JURISDICTION,
    ),
    answers={
        200: _open311_answer("The definition", {"type": "object", "properties": {
            "service_code": {"type": "string"}, "attributes": {"type": "array", "items": {"type": "object",
            "properties": {"variable": {"type": "boolean"}, "code": {"type": "string"},
                           "datatype": {"type": "string", "enum": ["string", "number", "datetime", "text",
                                                                   "singlevaluelist", "multivaluelist"]},
                           "required": {"type": "boolean"}, "datatype_description": {"type": ["string", "null"]},
                           "order": {"type": "integer"}, "description": {"type": "string"},
                           "values": {"type": "array", "items": {"type": "object", "properties": {
                               "key": {"type": "string"}, "name": {"type": "string"}}}}},
            "required": ["variable", "code", "datatype", "required", "order", "description"]}}},
            "required": ["service_code", "attributes"]}),
        404: _errors_answer("No such service, or another jurisdiction"),
    },
)  # fmt: skip
@answers_open311(None)
def open311_service_definition(service_file: str) -> Answer311:
    from chalicelib.services.open311 import define_service

    service_code, _ = split_format(service_file)
    return "service_definition", define_service(service_code, _now()), 200


def _listing() -> Answer311:
    from chalicelib.services.open311 import find_requests

    params = dict(open311_api.current_request.query_params or {})
    if not params.get("service_request_id"):
        # A listing by date would hand out every tracking number, which is half of what the
        # citizen's own inquiry asks: partners only.
        _require_api_key(params.get("api_key"))
    return "service_requests", find_requests(params, _now()), 200


_listing_entry = functools.partial(
    documented,
    tag="open311",
    description="By `service_request_id` (comma separated, public: these override every other argument), or "
    "filed between `start_date` and `end_date` (at most 90 days, the last 90 by default; newest first, at most "
    "200) by `service_code` and `status` — a listing by date needs the partner's `api_key`, since it hands out "
    "tracking numbers.",
    parameters=(
        Parameter("service_request_id", "query", "Tracking numbers, comma separated", example="4829107356122"),
        Parameter("service_code", "query", "Service codes, comma separated", example="shop_licence"),
        Parameter("start_date", "query", "W3C date-time", example="2026-11-01T00:00:00Z"),
        Parameter("end_date", "query", "W3C date-time", example="2026-11-30T23:59:59Z"),
        Parameter("status", "query", "open, closed or both", example="open"),
        _JURISDICTION,
    ),
    security=(OPEN311_API_KEY,),
    answers={
        200: _open311_answer("The requests, public fields only", {"type": "array", "items": _REQUEST},
                             [_REQUEST_EXAMPLE]),
        400: _errors_answer("Invalid dates, span or status"),
        503: _errors_answer("The store stayed busy: try again shortly (Retry-After)"),
        403: _errors_answer("A listing by date without a valid api_key"),
        **_UNKNOWN_JURISDICTION,
    },
)  # fmt: skip


@open311_api.route(f"{BASE}/requests.json", methods=["GET"], cors=True)
@_listing_entry("Open311 requests (JSON)")
@answers_open311("json")
def requests_json() -> Answer311:
    return _listing()


@open311_api.route(f"{BASE}/requests.xml", methods=["GET"], cors=True)
@_listing_entry("Open311 requests (XML)")
@answers_open311("xml")
def requests_xml() -> Answer311:
    return _listing()


def _filing() -> Answer311:
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
    return "service_requests", file_request(form, key, _now()), 201


_filing_entry = functools.partial(
    documented,
    tag="open311",
    description="Files a request through the citizen's own submission service: the same validation (errors "
    "in Arabic and English, one per field), fees, deadlines and messages. Idempotent: the same arguments "
    "again (or the same `Idempotency-Key` header) answer the same `service_request_id` and file nothing new. "
    "The applicant is `first_name` + `last_name` and `phone`; the rest are attributes "
    "(`attribute[national_id]`, `attribute[district_code]`, `attribute[consent]=true`, the service's fields). "
    "Location, email, media and description are not part of an application and are ignored.",
    parameters=(
        Parameter("api_key", "query", "The partner's key (or in the form body)"),
        IDEMPOTENCY_KEY_PARAMETER,
        _JURISDICTION,
    ),
    security=(OPEN311_API_KEY,),
    body=form_body(
        "Open311's arguments",
        {"type": "object", "properties": {"service_code": {"type": "string"}, "api_key": {"type": "string"},
                                          "first_name": {"type": "string"}, "last_name": {"type": "string"},
                                          "phone": {"type": "string"}},
         "additionalProperties": {"type": "string"}},
        {"service_code": "shop_licence", "first_name": "منى", "last_name": "أحمد عبد الله", "phone": "01012345678",
         "attribute[district_code]": "dokki", "attribute[national_id]": "29001012112349",
         "attribute[consent]": "true", "attribute[shop_address]": "١٢ شارع التحرير، الدقي",
         "attribute[activity]": "بقالة", "attribute[area_m2]": "45", "attribute[tenure]": "leased"},
    ),
    answers={
        201: _open311_answer("Filed (or filed before, with these arguments)", {"type": "array", "items": {
            "type": "object", "properties": {"service_request_id": {"type": "string"},
                                             "service_notice": {"type": "string"}, "account_id": {"type": "null"}},
            "required": ["service_request_id", "service_notice"]}}),
        400: _errors_answer("Invalid: the whole, then each argument in error"),
        403: _errors_answer("No valid api_key"),
        **_UNKNOWN_JURISDICTION,
        409: _errors_answer("The store stayed busy with this request: try again (Retry-After)"),
        415: _errors_answer("Not a form"),
        503: _errors_answer("The store stayed busy: try again shortly (Retry-After)"),
        422: _errors_answer("This Idempotency-Key came with other arguments"),
    },
)  # fmt: skip


# JSON (what a request without a Content-Type counts as) is let in to be refused in Open311's words:
# Chalice's own 415 has another shape.
_POSTED = [FORM_MEDIA_TYPE, "application/json"]


@open311_api.route(f"{BASE}/requests.json", methods=["POST"], content_types=_POSTED, cors=True)
@_filing_entry("Open311 file a request (JSON)")
@answers_open311("json")
def file_request_json() -> Answer311:
    return _filing()


@open311_api.route(f"{BASE}/requests.xml", methods=["POST"], content_types=_POSTED, cors=True)
@_filing_entry("Open311 file a request (XML)")
@answers_open311("xml")
def file_request_xml() -> Answer311:
    return _filing()


@open311_api.route(f"{BASE}/requests/{{request_file}}", methods=["GET"], cors=True)
@documented(
    "Open311 one request: public fields only",
    tag="open311",
    parameters=(
        Parameter("request_file", "path", "The tracking number and the format: `4829107356122.json` or `.xml`",
                  {"type": "string", "pattern": "^[0-9]{12,14}\\.(json|xml)$"}, example="4829107356122.json"),
        _JURISDICTION,
    ),
    answers={
        200: _open311_answer("A list of the one request", {"type": "array", "items": _REQUEST}, [_REQUEST_EXAMPLE]),
        404: _errors_answer("No such request, or another jurisdiction"),
        503: _errors_answer("The store stayed busy: try again shortly (Retry-After)"),
    },
)  # fmt: skip
@answers_open311(None)
def open311_request(request_file: str) -> Answer311:
    from chalicelib.services.open311 import find_request

    tracking_number, _ = split_format(request_file)
    return "service_requests", find_request(tracking_number, _now()), 200
