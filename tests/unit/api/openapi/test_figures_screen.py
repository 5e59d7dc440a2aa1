"""The staff figures screen's OpenAPI entries (chalicelib/api/openapi/figures_screen.py)."""

from __future__ import annotations

from chalicelib.api.openapi.entries import HTML
from chalicelib.api.openapi.figures_screen import ENTRIES
from tests.unit.api.openapi.areas import media_types, routes_of


def test_it_describes_exactly_the_screen_routes() -> None:
    assert set(ENTRIES) == routes_of("figures_screen")


def test_the_page_its_script_and_its_stylesheet_are_each_their_own_media_type() -> None:
    served = {path: media_types(entry.answers[200]) for (_, path), entry in ENTRIES.items()}

    assert served == {
        "/v1/screens/performance": {HTML},
        "/v1/screens/performance.js": {"text/javascript"},
        "/v1/screens/performance.css": {"text/css"},
    }


def test_the_screen_is_the_offices_and_needs_no_token_to_load() -> None:
    for entry in ENTRIES.values():
        assert entry.tag == "office"
        assert entry.security == ()
