"""Fail closed at start: a deployed function that does not know its stage refuses to start.

Checked when app.py imports its blueprints, so that Lambda's init fails (every invocation
errors, and the Errors alarm fires) instead of serving with the local stage's published
secrets. Off Lambda (tests, `make run`) nothing is required; configuration is still read
lazily everywhere else.
"""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.config import stage

stage()

startup_guard = Blueprint(__name__)


@startup_guard.middleware("all")
def known_stage(event: Any, get_response: Any) -> Any:
    """Every event checks again: the environment is the only truth about the stage."""
    stage()
    return get_response(event)
