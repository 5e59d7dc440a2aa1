"""The API's OpenAPI 3.1 description, kept beside the handlers.

Each route's handler carries its own entry (`@documented(...)`, right under `@route`); the
document served at GET /v1/openapi.json is assembled from Chalice's routes and those entries,
so a route without an entry, or an entry without a route, cannot go unnoticed
(tests/api/test_openapi_document.py). Shared shapes live in `schemas.py`.
"""

from chalicelib.api.openapi.entries import (
    FORM,
    HTML,
    JSON,
    OPEN311_API_KEY,
    XML,
    Answer,
    Body,
    Parameter,
    documented,
    error_answer,
    form_body,
    html_answer,
    json_answer,
    json_body,
    redirect_answer,
    ref,
    with_busy,
)

__all__ = [
    "FORM",
    "HTML",
    "JSON",
    "OPEN311_API_KEY",
    "XML",
    "Answer",
    "Body",
    "Parameter",
    "documented",
    "error_answer",
    "form_body",
    "html_answer",
    "json_answer",
    "json_body",
    "redirect_answer",
    "ref",
    "with_busy",
]
