"""Chalice requests built as API Gateway's proxy event gives them, for the HTTP helpers' tests."""

from __future__ import annotations

import base64
from typing import Any

from chalice.app import Request


def request_of(body: bytes | str, content_type: str | None = "application/json", lambda_context: Any = None) -> Request:
    raw = body.encode("utf-8") if isinstance(body, str) else body
    headers = {} if content_type is None else {"content-type": content_type}
    event = {
        "multiValueQueryStringParameters": None,
        "headers": headers,
        "pathParameters": None,
        "requestContext": {"httpMethod": "POST", "resourcePath": "/v1/requests"},
        "body": base64.b64encode(raw).decode(),
        "isBase64Encoded": True,
        "stageVariables": None,
    }
    return Request(event, lambda_context)
