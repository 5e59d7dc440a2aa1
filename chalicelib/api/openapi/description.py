"""The OpenAPI entries of chalicelib/api/routes/description.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    json_answer,
)

ENTRIES: dict[tuple[str, str], Entry] = {
    # openapi_json
    ("GET", "/v1/openapi.json"): Entry(
        "This document (OpenAPI 3.1)",
        tag="meta",
        answers={200: json_answer("The OpenAPI 3.1 description of every route", {"type": "object"})},
    ),
}
