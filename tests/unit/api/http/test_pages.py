"""Whole HTML pages the API answers with (chalicelib/api/http/pages.py): their security headers, and a
page in the portal's look whatever goes wrong."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from chalice import Response
from chalice.app import Request

from chalicelib.api.http.errors import UNEXPECTED_AR
from chalicelib.api.http.pages import UnknownChoice, answers_with_pages, card_gateway_origin, html_response
from chalicelib.domain.errors import Busy, InvalidInput, TooManyRequests
from tests.unit.api.http.requests import request_of


def policy_of(response: Response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


def test_a_page_is_never_cached_framed_or_sniffed_and_sends_no_referrer() -> None:
    response = html_response("<p>صفحة</p>", 400, {"Retry-After": "5"})

    assert (response.body, response.status_code) == ("<p>صفحة</p>", 400)
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Retry-After"] == "5"
    policy = policy_of(response)
    assert (policy["default-src"], policy["frame-ancestors"], policy["base-uri"]) == ("'none'", "'none'", "'none'")


def test_deployed_a_page_loads_only_the_portals_files_and_posts_only_to_the_api(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_BASE_URL", "https://shobbak.giza.gov.eg")
    monkeypatch.setenv("API_BASE_URL", "https://api.shobbak.giza.gov.eg")

    policy = policy_of(html_response("", leaves_for="https://accept.paymob.com", connects_to="https://bucket"))

    assert policy["style-src"] == policy["script-src"] == "https://shobbak.giza.gov.eg"
    assert policy["form-action"] == "https://api.shobbak.giza.gov.eg https://accept.paymob.com"
    assert policy["connect-src"] == "https://api.shobbak.giza.gov.eg https://bucket"


def test_the_card_gateway_is_named_by_its_origin_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYMOB_API_BASE", "https://accept.paymob.com:8443/api/acceptance")

    assert card_gateway_origin() == "https://accept.paymob.com:8443"


def failing(error: Exception) -> Response:
    @answers_with_pages
    def page(request: Request) -> Response:
        raise error

    return page(request_of("a=1", "application/x-www-form-urlencoded"))


def test_a_page_that_works_is_answered_as_it_is() -> None:
    answered = html_response("<p>ok</p>")

    assert answers_with_pages(lambda request: answered)(request_of("")) is answered


def test_an_unknown_choice_sends_the_citizen_back_to_the_start_on_a_page() -> None:
    response = failing(UnknownChoice())

    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/html")
    assert "ابدأ من الصفحة الرئيسية" in response.body


def test_a_form_the_page_cannot_take_is_a_400_page_whatever_its_code() -> None:
    response = failing(InvalidInput("body_too_large", "حجم الطلب أكبر من المسموح", "Too large"))

    assert response.status_code == 400
    assert "حجم الطلب أكبر من المسموح" in response.body


def test_too_many_attempts_and_a_busy_store_keep_their_status_and_retry_after() -> None:
    limited = failing(TooManyRequests("too_many_attempts", "انتظر قليلًا", "Wait", datetime.now(UTC) + timedelta(60)))
    busy = failing(Busy(contended=False))

    assert limited.status_code == 429
    assert "انتظر قليلًا" in limited.body
    assert "Retry-After" in limited.headers
    assert (busy.status_code, "Retry-After" in busy.headers) == (503, True)


def test_anything_unforeseen_is_a_500_page_never_json() -> None:
    response = failing(RuntimeError("boom"))

    assert response.status_code == 500
    assert response.headers["Content-Type"].startswith("text/html")
    assert UNEXPECTED_AR in response.body
    assert "boom" not in response.body
