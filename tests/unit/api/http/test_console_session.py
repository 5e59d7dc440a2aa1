"""What every console page needs from HTTP (chalicelib/api/http/console_session.py): the session
cookie, the CSRF token, the posted form, the page's headers and where a sign-in comes back to.
Plain Python, no AWS. `console_page` itself, which reads the session from its table, is tested
through the console's routes in tests/integration/api/routes/test_console.py (signed out, a form without
the token, a form kept across a sign-in)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from chalice.app import Request

from chalicelib.api.http.console_session import (
    COOKIE,
    CSRF_FIELD,
    MAX_FORM_BYTES,
    cookie_id,
    csrf_is_right,
    csrf_token,
    form_fields,
    is_console_path,
    page_answer,
    page_to_come_back_to,
    see_other,
    session_cookie,
)
from chalicelib.services.console_sessions import ABSOLUTE_S

FORM = "application/x-www-form-urlencoded"


def request(method: str = "GET", path: str = "/v1/console/queue", body: bytes = b"", **headers: str) -> Request:
    event: dict[str, Any] = {
        "multiValueQueryStringParameters": None,
        "headers": {name.replace("_", "-"): value for name, value in headers.items()},
        "pathParameters": None,
        "requestContext": {"httpMethod": method, "resourcePath": path, "path": path},
        "body": base64.b64encode(body).decode(),
        "isBase64Encoded": True,
        "stageVariables": None,
    }
    return Request(event)


def test_the_cookie_s_id_is_read_among_other_cookies() -> None:
    assert cookie_id(request(cookie=f"theme=dark; {COOKIE}=abc123; lang=ar")) == "abc123"


@pytest.mark.parametrize("cookie", ["", "theme=dark", f"{COOKIE}=", 'bad"cookie\x00=;;'], ids=repr)
def test_no_cookie_an_empty_one_or_a_broken_header_is_no_session(cookie: str) -> None:
    assert cookie_id(request(cookie=cookie)) is None


def test_the_session_cookie_is_for_the_console_only_and_out_of_scripts_reach() -> None:
    cookie = session_cookie("abc123")

    assert cookie == (f"{COOKIE}=abc123; Path=/v1/console; Max-Age={ABSOLUTE_S}; HttpOnly; Secure; SameSite=Strict")


def test_ending_the_session_expires_the_cookie_at_once() -> None:
    assert "; Max-Age=0;" in session_cookie("", ends=True)


def test_the_csrf_token_is_derived_from_the_cookie_and_differs_between_sessions() -> None:
    assert csrf_token("abc123") == csrf_token("abc123")
    assert csrf_token("abc123") != csrf_token("abc124")
    assert "abc123" not in csrf_token("abc123")


@pytest.mark.parametrize(
    ("cookie", "sent", "right"),
    [
        ("abc123", csrf_token("abc123"), True),
        ("abc123", csrf_token("other"), False),
        ("abc123", None, False),
        ("abc123", "", False),
        (None, csrf_token("abc123"), False),
        ("", csrf_token(""), False),
    ],
    ids=["right", "another-session-s", "missing", "empty", "no-cookie", "empty-cookie"],
)
def test_only_the_token_of_this_very_cookie_is_right(cookie: str | None, sent: str | None, right: bool) -> None:
    assert csrf_is_right(cookie, sent) is right


def test_a_posted_form_s_fields_are_read_the_last_of_a_repeated_name_winning() -> None:
    posted = request("POST", body=b"csrf=t&note=%D9%81%D8%AD%D8%B5&note=last&empty=", content_type=FORM)

    assert form_fields(posted) == {CSRF_FIELD: "t", "note": "last", "empty": ""}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"csrf": "t"}', "application/json"),
        (b"csrf=t", "text/plain"),
        (b"csrf=t&note=" + b"x" * MAX_FORM_BYTES, FORM),
    ],
    ids=["json", "text", "too-large"],
)
def test_anything_but_a_form_of_a_reasonable_size_has_no_fields(body: bytes, content_type: str) -> None:
    assert form_fields(request("POST", body=body, content_type=content_type)) == {}


def test_a_page_is_never_cached_framed_or_sniffed_and_loads_only_from_the_console() -> None:
    answer = page_answer("<p>صفحة</p>", 403, cookie=session_cookie("abc123"))

    assert answer.status_code == 403
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert "form-action 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Set-Cookie"] == session_cookie("abc123")


def test_a_page_without_a_new_cookie_sets_none() -> None:
    assert "Set-Cookie" not in page_answer("<p>صفحة</p>").headers


def test_see_other_sends_the_browser_on_with_a_get() -> None:
    answer = see_other("/v1/console/queue", cookie=session_cookie("", ends=True))

    assert answer.status_code == 303
    assert answer.headers["Location"] == "/v1/console/queue"
    assert answer.headers["Set-Cookie"].endswith("SameSite=Strict")


@pytest.mark.parametrize(
    ("path", "console"),
    [
        ("/v1/console/queue", True),
        ("/v1/console/requests/4829107356122", True),
        ("/v1/console", False),
        ("/v1/consoleX/queue", False),
        ("//evil.example/v1/console/queue", False),
        ("/v1/console//evil.example", False),
        ("/v1/console/\\evil.example", False),
        ("https://evil.example/v1/console/queue", False),
    ],
)
def test_only_a_console_page_is_a_place_to_come_back_to(path: str, console: bool) -> None:
    assert is_console_path(path) is console


@pytest.mark.parametrize(
    ("method", "path", "back_to"),
    [
        ("GET", "/v1/console/queue", "/v1/console/queue"),
        ("POST", "/v1/console/requests/4829107356122/move", "/v1/console/requests/4829107356122"),
        ("POST", "/v1/console/requests/4829107356122/erasure", "/v1/console/requests/4829107356122"),
        ("GET", "/v1/console/", None),
        ("POST", "/v1/console/sign-out", None),
        ("GET", "/v1/openapi.json", None),
    ],
    ids=["a-page", "a-move", "an-erasure", "home", "sign-out", "not-the-console"],
)
def test_a_sign_in_comes_back_to_the_page_or_to_the_page_the_form_was_on(
    method: str, path: str, back_to: str | None
) -> None:
    assert page_to_come_back_to(request(method, path)) == back_to
