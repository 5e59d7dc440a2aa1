"""The OpenAPI entry of the description itself (chalicelib/api/openapi/description.py)."""

from __future__ import annotations

from chalicelib.api.openapi.description import ENTRIES
from chalicelib.api.openapi.entries import JSON
from tests.unit.api.openapi.areas import media_types, routes_of


def test_it_describes_exactly_the_description_route() -> None:
    assert set(ENTRIES) == routes_of("description") == {("GET", "/v1/openapi.json")}


def test_the_description_is_a_json_object_under_the_meta_tag() -> None:
    entry = ENTRIES[("GET", "/v1/openapi.json")]

    assert entry.tag == "meta"
    assert set(entry.answers) == {200}
    assert media_types(entry.answers[200]) == {JSON}
    assert entry.answers[200].content[JSON]["schema"] == {"type": "object"}
