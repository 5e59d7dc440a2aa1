"""Every route's OpenAPI entry, by method and path: each area's entries are in openapi/<area>.py,
named as its routes' module is (chalicelib/api/routes/<area>.py)."""

from __future__ import annotations

from chalice.app import RouteEntry

from chalicelib.api.openapi import (
    citizen,
    console,
    console_counter,
    console_office,
    description,
    documents,
    figures,
    figures_screen,
    office,
    open311,
    payments,
    portal_pages,
    preferences,
)
from chalicelib.api.openapi.entries import Entry

AREAS = (
    citizen,
    console,
    console_counter,
    console_office,
    description,
    documents,
    figures,
    figures_screen,
    office,
    open311,
    payments,
    portal_pages,
    preferences,
)


def _by_route() -> dict[tuple[str, str], Entry]:
    entries: dict[tuple[str, str], Entry] = {}
    for area in AREAS:
        twice = entries.keys() & area.ENTRIES.keys()
        if twice:
            raise ValueError(f"{area.__name__} describes routes another area describes: {sorted(twice)}")
        entries.update(area.ENTRIES)
    return entries


ENTRIES = _by_route()


def entry_for(route: RouteEntry) -> Entry | None:
    return ENTRIES.get((route.method, route.uri_pattern))
