"""Whether an answer of the API is one its OpenAPI document describes (chalicelib/api/openapi/):
its status listed for its route, and a JSON refusal's `error.code` among that status's
`x-error-codes`, so that a code a route can answer and the document does not name fails a test."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from app import app
from chalicelib.api.openapi.document import openapi_document

OPEN311 = "/open311/"  # GeoReport v2's own error list, not the error shape: its status alone is checked


@cache
def _document() -> dict[str, Any]:
    return openapi_document(app)


def undocumented(method: str, template: str, answer: Any) -> str | None:
    """What about this answer of route `method template` the document does not say, or None."""
    responses = _document()["paths"][template][method.lower()]["responses"]
    status = str(answer.status_code)
    if status not in responses:
        return f"{method} {template}: status {status} is not documented (documented: {sorted(responses)})"
    json_answer = answer.headers.get("Content-Type", "").startswith("application/json")
    if answer.status_code < 400 or not json_answer or template.startswith(OPEN311):
        return None
    try:
        code = json.loads(answer.body)["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return f"{method} {template}: a {status} whose body is not the error shape: {answer.body[:200]!r}"
    codes = responses[status].get("x-error-codes", [])
    if code not in codes:
        return f"{method} {template}: {status} `{code}` is not documented (documented: {codes})"
    return None
