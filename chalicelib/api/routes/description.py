"""GET /v1/openapi.json: the API's OpenAPI 3.1 description (docs/interfaces.md#openapi)."""

from __future__ import annotations

import functools
import json

from chalice import Blueprint, Chalice, Response

description_api = Blueprint(__name__)


@description_api.route("/v1/openapi.json", methods=["GET"], cors=True)
def openapi_json() -> Response:
    return Response(
        body=_document_text(description_api.current_app),
        status_code=200,
        headers={"Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300"},
    )


@functools.cache
def _document_text(app: Chalice) -> str:
    from chalicelib.api.openapi.document import openapi_document

    # The routes are fixed once the app is wired, so one rendering serves the container's life.
    return json.dumps(openapi_document(app), ensure_ascii=False, separators=(",", ":"))
