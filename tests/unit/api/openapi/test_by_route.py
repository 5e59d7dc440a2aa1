"""Every route's entry, by method and path (chalicelib/api/openapi/by_route.py): read from each area's
module, none described twice, and the console's shared answers added to every console route."""

from __future__ import annotations

import copy
from pathlib import Path

from app import app
from chalicelib.api import routes
from chalicelib.api.openapi import by_route
from chalicelib.api.openapi.entries import HTML

FORBIDDEN = 403


def test_every_area_module_of_the_package_is_read_and_nothing_else() -> None:
    package = Path(by_route.__file__).parent
    with_entries = {
        path.stem for path in package.glob("*.py") if path.stem != "by_route" and "\nENTRIES" in path.read_text()
    }

    assert {area.__name__.rsplit(".", 1)[1] for area in by_route.AREAS} == with_entries


def test_every_area_is_named_after_a_routes_module() -> None:
    route_modules = {path.stem for path in Path(routes.__file__).parent.glob("*.py")}

    assert {area.__name__.rsplit(".", 1)[1] for area in by_route.AREAS} <= route_modules


def test_every_area_entry_is_kept_under_its_method_and_path() -> None:
    for area in by_route.AREAS:
        for key in area.ENTRIES:
            assert key in by_route.ENTRIES, (area.__name__, key)
    assert len(by_route.ENTRIES) == sum(len(area.ENTRIES) for area in by_route.AREAS)


def test_a_route_is_found_by_its_method_and_path_and_an_unknown_one_has_no_entry() -> None:
    districts = app.routes["/v1/districts"]["GET"]

    unknown = copy.copy(districts)
    unknown.uri_pattern = "/v1/nowhere"

    assert by_route.entry_for(districts) is by_route.ENTRIES[("GET", "/v1/districts")]
    assert by_route.entry_for(unknown) is None


def test_every_console_form_may_be_refused_with_a_page_and_every_console_page_may_ask_to_sign_in() -> None:
    described = {key: entry for area in by_route.AREAS for key, entry in area.ENTRIES.items()}
    console = {key: entry for key, entry in by_route.ENTRIES.items() if key[1].startswith("/v1/console")}

    assert console
    for (method, path), entry in console.items():
        if method == "POST":
            assert FORBIDDEN in entry.answers, path
        if method == "GET":
            assert 200 in entry.answers, path
        added = entry.answers.keys() - described[method, path].answers.keys()
        for status in added:  # what the area left unsaid, a page says (its own answers are kept)
            assert set(entry.answers[status].content) == {HTML}, (path, status)
    added_somewhere = [key for key, entry in console.items() if entry.answers.keys() - described[key].answers.keys()]
    assert added_somewhere


def test_routes_outside_the_console_get_no_console_answers() -> None:
    districts = by_route.ENTRIES[("GET", "/v1/districts")]

    assert FORBIDDEN not in districts.answers
    assert HTML not in districts.answers[200].content
