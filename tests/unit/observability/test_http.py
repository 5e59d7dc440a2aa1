"""Per-request logging context (chalicelib/observability/http.py)."""

from __future__ import annotations

from typing import Any

import pytest
from chalice import Response
from chalice.app import Request

from chalicelib.observability.http import correlation_id_for, log_each_request


def request_with(headers: dict[str, str], request_id: str | None = "api-gateway-id") -> Request:
    context: dict[str, Any] = {"httpMethod": "GET", "resourcePath": "/v1/districts"}
    if request_id:
        context["requestId"] = request_id
    return Request({"multiValueQueryStringParameters": None, "headers": headers, "pathParameters": None,
                    "requestContext": context, "body": None, "stageVariables": None})  # fmt: skip


def test_a_sane_correlation_id_from_the_caller_is_kept() -> None:
    assert correlation_id_for(request_with({"x-correlation-id": "portal-1234.abc_Z"})) == "portal-1234.abc_Z"


@pytest.mark.parametrize("offered", ["short", "x" * 65, "has space 123", "line\nbreak123", "٠١٢٣٤٥٦٧٨٩"])
def test_anything_else_gives_way_to_api_gateways_request_id(offered: str) -> None:
    assert correlation_id_for(request_with({"x-correlation-id": offered})) == "api-gateway-id"


def test_without_either_a_fresh_id_is_made() -> None:
    first = correlation_id_for(request_with({}, request_id=None))

    assert len(first) == 36
    assert first != correlation_id_for(request_with({}, request_id=None))


def test_each_request_is_answered_with_its_id_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("INFO"):
        response = log_each_request(
            request_with({"x-correlation-id": "portal-1234-abcdef"}), lambda request: Response("{}", status_code=201)
        )

    assert response.headers["X-Correlation-Id"] == "portal-1234-abcdef"
    handled = [record for record in caplog.records if record.getMessage() == "request handled"]
    assert len(handled) == 1
    assert (handled[0].route, handled[0].status_code, handled[0].method) == ("/v1/districts", 201, "GET")
