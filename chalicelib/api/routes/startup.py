"""Fail closed at start, in every function, and trace every invocation.

Lambda imports a function's handler module before anything else. The API functions' handler is
`app.app`, and app.py imports this module; an event function's handler, and the staff token
authorizer's, is its blueprint's own function (Chalice names it `chalicelib.api.routes.<module>.
<function>`), so app.py never runs there: those blueprints are GuardedBlueprints, whose module
is this one. Either way, importing it refuses a deployed function that lacks a setting or its
stage (Lambda's init fails, every invocation errors and the Errors alarm fires) instead of
serving with the local stage's published secrets. Off Lambda (tests, `make run`) nothing is
required; configuration is still read lazily everywhere else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalice import Blueprint

from chalicelib.config import require_deployment_settings, stage
from chalicelib.observability.tracing import trace_each_invocation, traced

require_deployment_settings()  # deployed: a missing value stops the cold start, not the first payment
stage()


def known_stage(event: Any, get_response: Callable[[Any], Any]) -> Any:
    """Every event checks again: the environment is the only truth about the stage."""
    stage()
    return get_response(event)


# Chalice middleware, for every kind of event, in every function (app.py registers them for the API).
EVERY_INVOCATION = (known_stage, trace_each_invocation)


class GuardedBlueprint(Blueprint):
    """A blueprint whose event handlers and authorizer run EVERY_INVOCATION without app.py.

    Chalice gives a blueprint's event handler the app's middleware only when app.py registers
    the blueprint, which an event function never imports. Registered by app.py (tests, `make
    run`), its handlers get the app's middleware instead: the same two, registered there."""

    def _get_middleware_handlers(self, event_type: str) -> list[Callable[..., Any]]:
        return list(EVERY_INVOCATION)

    def _wrap_handler(self, handler_type: str, handler_name: str, user_handler: Callable[..., Any]) -> Any:
        if handler_type == "authorizer":  # Chalice runs no middleware around an authorizer
            user_handler = _guarded_authorizer(handler_name, user_handler)
        return super()._wrap_handler(handler_type, handler_name, user_handler)


def _guarded_authorizer(name: str, authorize: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(authorize)
    def guarded(auth_request: Any) -> Any:
        stage()
        with traced(name):
            return authorize(auth_request)

    return guarded
