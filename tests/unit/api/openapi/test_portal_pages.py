"""The portal forms' OpenAPI entries (chalicelib/api/openapi/portal_pages.py)."""

from __future__ import annotations

from chalicelib.api.openapi.entries import FORM, HTML, JSON
from chalicelib.api.openapi.portal_pages import ENTRIES
from tests.unit.api.openapi.areas import media_types, routes_of


def test_it_describes_exactly_the_portal_page_routes() -> None:
    assert set(ENTRIES) == routes_of("portal_pages")


def test_every_answer_is_a_page_or_a_redirect_never_json() -> None:
    for key, entry in ENTRIES.items():
        for status, answer in entry.answers.items():
            assert JSON not in media_types(answer), (key, status)
            assert media_types(answer) == {HTML} or "Location" in answer.headers, (key, status)


def test_the_application_step_takes_a_form_and_says_what_it_answers_to_anything_else() -> None:
    step = ENTRIES[("POST", "/v1/portal/applications")]

    assert step.body is not None
    assert set(step.body.content) == {FORM}
    assert set(step.answers) == {200, 400, 415}


def test_a_result_page_opened_again_redirects_back_to_the_portal() -> None:
    for key in (("GET", "/v1/portal/applications"), ("GET", "/v1/requests"), ("GET", "/v1/inquiries")):
        assert 303 in ENTRIES[key].answers, key
