"""Tracing, behind this one module: X-Ray today (Powertools Tracer over aws-xray-sdk, in maintenance
until its end of support on 2027-02-25), OpenTelemetry later by rewriting this file alone.

In Lambda with active tracing, each invocation gets a subsegment annotated with its route (the
route's template, or the function's name for events) and, once a service knows it, the district;
botocore is patched, so every DynamoDB, SNS and SSM call shows as a subsegment of its own. The
X-Ray SDK adds 100-200 ms to an import, so it is imported only there, at the first traced
invocation: tests, `make run` and the benchmarks never load it, and a function whose tracing is
off does not either. Annotations never hold personal data: a district code, a route template.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

SERVICE = "shobbak"


def _enabled() -> bool:
    """Lambda sets AWS_XRAY_DAEMON_ADDRESS only for functions whose tracing is active."""
    environment = os.environ
    return (
        bool(environment.get("AWS_LAMBDA_FUNCTION_NAME"))
        and bool(environment.get("AWS_XRAY_DAEMON_ADDRESS"))
        and environment.get("POWERTOOLS_TRACE_DISABLED", "").lower() not in ("1", "true")
    )


@cache
def _tracer() -> Any:
    from aws_lambda_powertools import Tracer

    # botocore alone: it carries every AWS call (boto3's and PynamoDB's), and patching nothing else
    # keeps the SDK from importing the other libraries it knows.
    return Tracer(service=SERVICE, patch_modules=["botocore"])


@contextmanager
def traced(route: str) -> Iterator[None]:
    """Runs the block as one traced unit of work named by `route`."""
    if not _enabled():
        yield
        return
    with _tracer().provider.in_subsegment(f"## {route}") as subsegment:
        subsegment.put_annotation(key="route", value=route)
        yield


def annotate(**annotations: str) -> None:
    """Adds searchable annotations to the current unit of work (nothing when tracing is off)."""
    if not _enabled():
        return
    for key, value in annotations.items():
        _tracer().put_annotation(key=key, value=value)


def trace_each_invocation(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Chalice middleware for every kind of event: the route for HTTP, the function otherwise."""
    context = getattr(event, "context", None)
    if isinstance(context, dict):  # an HTTP request: API Gateway's request context
        route = context.get("resourcePath") or "unknown"
    else:
        route = getattr(context, "function_name", None) or type(event).__name__
    with traced(route):
        return get_response(event)
