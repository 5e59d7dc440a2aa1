"""GET /v1/openapi.json (chalicelib/api/routes/description.py): the document, served as JSON. What the
document says is tested in tests/unit/api/openapi/test_document.py."""

from __future__ import annotations

from typing import Any

from chalice.test import Client

from app import app
from chalicelib.api.openapi.document import openapi_document


def test_the_document_is_served_at_v1_openapi_json(client: Client) -> None:
    document: dict[str, Any] = openapi_document(app)
    response = client.http.get("/v1/openapi.json")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json_body == document


def test_caches_may_keep_the_document_for_five_minutes(client: Client) -> None:
    response = client.http.get("/v1/openapi.json")

    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert "\\u06" not in response.body.decode()  # Arabic as UTF-8, not escaped
