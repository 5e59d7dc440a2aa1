"""The OpenAPI entries of chalicelib/api/routes/figures.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    Parameter,
    error_answer,
    json_answer,
    with_busy,
)

_FIGURES = {
    "received": {"type": "integer"}, "completed": {"type": "integer"}, "completed_on_time": {"type": "integer"},
    "on_time_rate": {"type": ["number", "null"]}, "median_working_days": {"type": ["number", "null"]},
    "open": {"type": "integer"}, "overdue": {"type": "integer"},
}  # fmt: skip

_FORBIDDEN = error_answer("Not a manager of that district, nor headquarters", "forbidden")

ENTRIES: dict[tuple[str, str], Entry] = {
    # performance
    ("GET", "/v1/office/performance"): Entry(
        "Performance figures of a district (manager) or of any or every active district (hq)",
        tag="office",
        parameters=(
            Parameter("district", "query", "The district; headquarters may leave it out for all", example="dokki"),
            Parameter("from", "query", "First Cairo day, YYYY-MM-DD (default: the 1st)", example="2026-11-01"),
            Parameter(
                "to", "query", "Last Cairo day, YYYY-MM-DD (default: today); at most 366 days", example="2026-11-30"
            ),
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "The figures, one entry per district",
                    {
                        "type": "object",
                        "properties": {
                            "from": {"type": "string"},
                            "to": {"type": "string"},
                            "generated_at": {"type": "string"},
                            "districts": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "code": {"type": "string"},
                                        **_FIGURES,
                                        "overdue_as_of": {"type": ["string", "null"]},
                                        "by_department": {
                                            "type": "array",
                                            "items": {"type": "object", "properties": _FIGURES},
                                        },
                                        "by_service": {
                                            "type": "array",
                                            "items": {"type": "object", "properties": _FIGURES},
                                        },
                                    },
                                    "required": ["code", *_FIGURES, "by_department", "by_service"],
                                },
                            },
                        },
                        "required": ["from", "to", "generated_at", "districts"],
                    },
                ),
                400: error_answer("Invalid dates or period, or not an active district", "invalid_fields"),
                403: _FORBIDDEN,
            }
        ),
    ),
    # overdue
    ("GET", "/v1/office/performance/overdue"): Entry(
        "A district's overdue requests, most overdue first, a page at a time; never who asked",
        tag="office",
        parameters=(
            Parameter("district", "query", "The district (headquarters must name one)", example="dokki"),
            Parameter("page_size", "query", "1 to 100 (25)", example="25"),
            Parameter("cursor", "query", "`next_cursor` of the page before"),
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "One page",
                    {
                        "type": "object",
                        "properties": {
                            "district_code": {"type": "string"},
                            "as_of": {"type": "string"},
                            "requests": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "tracking_number": {"type": "string"},
                                        "service_code": {"type": "string"},
                                        "status": {"type": "string"},
                                        "sla_due_date": {"type": "string"},
                                        "days_overdue": {"type": "integer"},
                                    },
                                },
                            },
                            "next_cursor": {"type": ["string", "null"]},
                        },
                        "required": ["requests", "next_cursor"],
                    },
                ),
                400: error_answer("Invalid district, page size or cursor", "invalid_fields"),
                403: _FORBIDDEN,
            }
        ),
    ),
}
