"""The citizen API's OpenAPI entries (chalicelib/api/openapi/citizen.py)."""

from __future__ import annotations

from chalicelib.api.openapi.citizen import ENTRIES
from chalicelib.api.openapi.entries import HTML, JSON
from tests.unit.api.openapi.areas import media_types, routes_of


def test_it_describes_exactly_the_citizen_routes() -> None:
    assert set(ENTRIES) == routes_of("citizen")


def test_every_entry_is_tagged_citizen() -> None:
    assert {entry.tag for entry in ENTRIES.values()} == {"citizen"}


def test_a_submission_takes_an_idempotency_key_and_lists_each_refusal_by_its_code() -> None:
    submit = ENTRIES[("POST", "/v1/requests")]

    assert [parameter.name for parameter in submit.parameters] == ["Idempotency-Key"]
    assert submit.answers[400].codes == ("invalid_fields",)
    assert submit.answers[413].codes == ("body_too_large",)
    assert submit.answers[415].codes == ("unsupported_media_type",)
    assert submit.answers[422].codes == ("idempotency_key_reused",)


def test_the_form_posts_are_answered_as_pages_too() -> None:
    for key in (("POST", "/v1/requests"), ("POST", "/v1/inquiries")):
        success = 201 if key[1] == "/v1/requests" else 200
        assert media_types(ENTRIES[key].answers[success]) == {JSON, HTML}, key
        assert media_types(ENTRIES[key].answers[400]) == {JSON, HTML}, key


def test_the_routes_that_read_the_store_say_what_a_busy_store_answers() -> None:
    for key in (("POST", "/v1/requests"), ("POST", "/v1/inquiries")):
        answers = ENTRIES[key].answers
        assert (answers[409].codes, answers[503].codes) == (("busy",), ("temporarily_unavailable",)), key
        assert "Retry-After" in answers[503].headers
