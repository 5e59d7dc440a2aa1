"""The OpenAPI entries of chalicelib/api/routes/open311.py, by route."""

from __future__ import annotations

import functools
from typing import Any

from chalicelib.api.openapi.entries import (
    OPEN311_API_KEY,
    XML,
    Answer,
    Entry,
    Parameter,
    form_body,
)
from chalicelib.api.openapi.schemas import (
    IDEMPOTENCY_KEY_PARAMETER,
)
from chalicelib.domain.open311 import JURISDICTION_ID


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

_discovery_entry = functools.partial(
    Entry,
    tag="open311",
    answers={200: _open311_answer("Where the endpoint is and what it speaks", _DISCOVERY)},
)

_services_entry = functools.partial(
    Entry,
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

_listing_entry = functools.partial(
    Entry,
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

_filing_entry = functools.partial(
    Entry,
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

ENTRIES: dict[tuple[str, str], Entry] = {
    # discovery_json
    ("GET", "/open311/v2/discovery.json"): _discovery_entry("Open311 discovery (JSON)"),
    # discovery_xml
    ("GET", "/open311/v2/discovery.xml"): _discovery_entry("Open311 discovery (XML)"),
    # services_json
    ("GET", "/open311/v2/services.json"): _services_entry("Open311 services (JSON)"),
    # services_xml
    ("GET", "/open311/v2/services.xml"): _services_entry("Open311 services (XML)"),
    # open311_service_definition
    ("GET", "/open311/v2/services/{service_file}"): Entry(
        "Open311 service definition: the service's questions as attributes",
        tag="open311",
        description="`district_code`, `national_id`, `consent` and `notify_by` first, then the service's own "
        "fields, each with datatype, required, order and, for choices, values.",
        parameters=(
            Parameter(
                "service_file",
                "path",
                "The service code and the format: `shop_licence.json` or `.xml`",
                {"type": "string", "pattern": "^[a-z0-9_]+\\.(json|xml)$"},
                example="shop_licence.json",
            ),
            _JURISDICTION,
        ),
        answers={
            200: _open311_answer(
                "The definition",
                {
                    "type": "object",
                    "properties": {
                        "service_code": {"type": "string"},
                        "attributes": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "variable": {"type": "boolean"},
                                    "code": {"type": "string"},
                                    "datatype": {
                                        "type": "string",
                                        "enum": [
                                            "string",
                                            "number",
                                            "datetime",
                                            "text",
                                            "singlevaluelist",
                                            "multivaluelist",
                                        ],
                                    },
                                    "required": {"type": "boolean"},
                                    "datatype_description": {"type": ["string", "null"]},
                                    "order": {"type": "integer"},
                                    "description": {"type": "string"},
                                    "values": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "properties": {"key": {"type": "string"}, "name": {"type": "string"}},
                                        },
                                    },
                                },
                                "required": ["variable", "code", "datatype", "required", "order", "description"],
                            },
                        },
                    },
                    "required": ["service_code", "attributes"],
                },
            ),
            404: _errors_answer("No such service, or another jurisdiction"),
        },
    ),
    # requests_json
    ("GET", "/open311/v2/requests.json"): _listing_entry("Open311 requests (JSON)"),
    # requests_xml
    ("GET", "/open311/v2/requests.xml"): _listing_entry("Open311 requests (XML)"),
    # file_request_json
    ("POST", "/open311/v2/requests.json"): _filing_entry("Open311 file a request (JSON)"),
    # file_request_xml
    ("POST", "/open311/v2/requests.xml"): _filing_entry("Open311 file a request (XML)"),
    # open311_request
    ("GET", "/open311/v2/requests/{request_file}"): Entry(
        "Open311 one request: public fields only",
        tag="open311",
        parameters=(
            Parameter(
                "request_file",
                "path",
                "The tracking number and the format: `4829107356122.json` or `.xml`",
                {"type": "string", "pattern": "^[0-9]{12,14}\\.(json|xml)$"},
                example="4829107356122.json",
            ),
            _JURISDICTION,
        ),
        answers={
            200: _open311_answer("A list of the one request", {"type": "array", "items": _REQUEST}, [_REQUEST_EXAMPLE]),
            404: _errors_answer("No such request, or another jurisdiction"),
            503: _errors_answer("The store stayed busy: try again shortly (Retry-After)"),
        },
    ),
}
