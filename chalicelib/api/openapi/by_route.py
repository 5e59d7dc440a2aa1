"""Every route's OpenAPI entry, by method and path: each area's entries are in openapi/<area>.py,
named as its routes' module is (chalicelib/api/routes/<area>.py)."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from types import ModuleType

from chalice.app import RouteEntry

from chalicelib.api import openapi, routes
from chalicelib.api.openapi.entries import Entry, html_answer


def _areas() -> tuple[ModuleType, ...]:
    """Each openapi/<area>.py named as a routes module is, so an area is added by adding its module
    (the rest of this package, document.py, entries.py, schemas.py, is named after no routes module)."""
    route_modules = {module.name for module in pkgutil.iter_modules(routes.__path__)}
    described = {module.name for module in pkgutil.iter_modules(openapi.__path__)}
    return tuple(importlib.import_module(f"{openapi.__name__}.{name}") for name in sorted(route_modules & described))


AREAS = _areas()


# What every console route may answer whatever it does: a post without its session's CSRF field,
# or no form at all, gets the refusal page; a page asked for signed out, the sign-in page
# (api/http/console_session.py).
_CONSOLE_FORM_REFUSED = html_answer("Not a form of this session (its CSRF field missing or wrong): a page saying so")
_CONSOLE_SIGN_IN = html_answer("Signed out: the sign-in page")


def _with_console_answers(method: str, path: str, entry: Entry) -> Entry:
    if not path.startswith("/v1/console"):
        return entry
    answers = dict(entry.answers)
    if method == "POST":
        answers.setdefault(403, _CONSOLE_FORM_REFUSED)
    if method == "GET":
        answers.setdefault(200, _CONSOLE_SIGN_IN)
    return dataclasses.replace(entry, answers=answers)


def _by_route() -> dict[tuple[str, str], Entry]:
    entries: dict[tuple[str, str], Entry] = {}
    for area in AREAS:
        twice = entries.keys() & area.ENTRIES.keys()
        if twice:
            raise ValueError(f"{area.__name__} describes routes another area describes: {sorted(twice)}")
        entries.update({key: _with_console_answers(*key, entry) for key, entry in area.ENTRIES.items()})
    return entries


ENTRIES = _by_route()


def entry_for(route: RouteEntry) -> Entry | None:
    return ENTRIES.get((route.method, route.uri_pattern))
