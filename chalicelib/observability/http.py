"""Per-request logging context: a correlation id on every line, and one line per request."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable

from chalice.app import Request, Response

from chalicelib.observability.audit import audit_logger
from chalicelib.observability.logs import logger

CORRELATION_HEADER = "x-correlation-id"
_ACCEPTABLE_CORRELATION_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def correlation_id_for(request: Request) -> str:
    """The caller's correlation id when it is a sane token, else API Gateway's request id."""
    offered = request.headers.get(CORRELATION_HEADER, "")
    if _ACCEPTABLE_CORRELATION_ID.fullmatch(offered):
        return offered
    return (request.context or {}).get("requestId") or str(uuid.uuid4())


def log_each_request(request: Request, get_response: Callable[[Request], Response]) -> Response:
    correlation_id = correlation_id_for(request)
    for each in (logger, audit_logger):
        each.clear_state()
        each.set_correlation_id(correlation_id)
    started = time.perf_counter()
    response = get_response(request)
    logger.info(
        "request handled",
        extra={
            "method": request.method,
            "route": (request.context or {}).get("resourcePath"),
            "status_code": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    response.headers["X-Correlation-Id"] = correlation_id
    return response
