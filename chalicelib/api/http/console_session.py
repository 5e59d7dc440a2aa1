"""What every console page needs from HTTP: the session cookie, CSRF, forms, and `console_page`.

The cookie holds only a random id (services/console_sessions.py keeps what it stands for):
HttpOnly (no script reads it), Secure, SameSite=Strict (no other site's page sends it), path
/v1/console/. Before signing in it stands for a sign-in in progress; a successful sign-in
replaces it with a new id.

CSRF: every form that changes something carries `csrf`, derived from the cookie's id (a page
of another site can read neither); `console_page` refuses a POST without the right one.
A page that changes something is written:

    @console.route("/v1/console/things", methods=["GET", "POST"], content_types=FORM_TYPES)
    @console_page(console)
    def things(page: ConsolePage) -> Response:
        page.staff            # the StaffMember signed in
        page.session.kept_form  # a form posted after the session ended, given back once
        page.require_fresh()  # for reveal/erase: None, or the answer asking to sign in again
        return page.html(render("things.html.j2", session=page.session, csrf=page.csrf))
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES
from chalicelib.domain.console_sessions import ABSOLUTE_S, FRESH_S, Session

COOKIE = "shobbak_console"
COOKIE_PATH = "/v1/console"  # matches /v1/console and /v1/console/…, nothing else
FORM_TYPE = "application/x-www-form-urlencoded"
# What a console route lets through to its own code: a form, and what clients send by mistake
# (JSON, text). Anything but a form then meets the refusal page (no CSRF field), in Arabic, where
# Chalice itself would have answered an English JSON 415.
FORM_TYPES = ACCEPTED_MEDIA_TYPES
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 100
CSRF_FIELD = "csrf"
# Everything from the console's own origin: its stylesheet and script; the QR code is a data: image.
POLICY = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def cookie_id(request: Request) -> str | None:
    cookie = SimpleCookie()
    try:
        cookie.load(request.headers.get("cookie", ""))
    except Exception:
        return None
    morsel = cookie.get(COOKIE)
    return morsel.value if morsel is not None and morsel.value else None


def session_cookie(value: str, *, ends: bool = False) -> str:
    lifetime = "Max-Age=0" if ends else f"Max-Age={ABSOLUTE_S}"
    return f"{COOKIE}={value}; Path={COOKIE_PATH}; {lifetime}; HttpOnly; Secure; SameSite=Strict"


def csrf_token(cookie_value: str) -> str:
    return hashlib.sha256(b"shobbak-console-csrf\0" + cookie_value.encode()).hexdigest()


def csrf_is_right(cookie_value: str | None, sent: str | None) -> bool:
    return bool(cookie_value and sent) and hmac.compare_digest(csrf_token(str(cookie_value)), str(sent))


def form_fields(request: Request) -> dict[str, str]:
    """A posted form's fields (the last of a repeated name); {} for anything else."""
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != FORM_TYPE:
        return {}
    raw = request.raw_body or b""
    if len(raw) > MAX_FORM_BYTES:
        return {}
    pairs = parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    return dict(pairs)


def page_answer(body: str, status_code: int = 200, cookie: str | None = None) -> Response:
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": POLICY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }
    if cookie:
        headers["Set-Cookie"] = cookie
    return Response(body=body, status_code=status_code, headers=headers)


def see_other(location: str, cookie: str | None = None) -> Response:
    headers = {"Location": location, "Cache-Control": "no-store"}
    if cookie:
        headers["Set-Cookie"] = cookie
    return Response(body="", status_code=303, headers=headers)


def is_console_path(path: str) -> bool:
    """Only a console page may be where a sign-in goes next (no open redirect)."""
    return path.startswith(COOKIE_PATH + "/") and "//" not in path and "\\" not in path


# A request's actions are forms on its view, posted to a path with no page of its own.
_REQUEST_ACTION = re.compile(r"^(/v1/console/requests/[0-9]+)/(?:move|assignment|identity|erasure|transfer)$")
_NO_PAGE = {COOKIE_PATH + "/", COOKIE_PATH + "/sign-out"}


def page_to_come_back_to(request: Request) -> str | None:
    """Where a sign-in brings the member of staff back: the page itself for a GET; for a form
    posted, the page the form is on, which gives the kept form back (a GET of the action's own path
    would be refused); None for home."""
    path = request.context.get("path", "") if request.context else ""
    if not is_console_path(path) or path in _NO_PAGE:
        return None
    if request.method == "POST" and (action := _REQUEST_ACTION.match(path)):
        return action.group(1)
    return path


@dataclass(frozen=True)
class ConsolePage:
    """A console page's request, signed in."""

    request: Request
    session: Session
    form: dict[str, str]

    @property
    def staff(self) -> Any:
        return self.session.staff

    @property
    def csrf(self) -> str:
        return csrf_token(self.session.cookie_id)

    def html(self, body: str, status_code: int = 200) -> Response:
        return page_answer(body, status_code)

    def require_fresh(self, seconds: int = FRESH_S) -> Response | None:
        """For revealing or erasing an identity: None when the member of staff signed in within
        `seconds`; else the answer that asks them to sign in again and then come back here."""
        if self.session.signed_in_within(seconds):
            return None
        from chalicelib.api.routes.console import sign_in_again

        return sign_in_again(self.request, self.session, self.form)


def console_page(blueprint: Blueprint) -> Callable[[Callable[[ConsolePage], Response]], Callable[..., Response]]:
    """Gives the page the signed-in member of staff, or answers for it: signed out (or idle 30
    minutes, or 12 hours in), the sign-in page, which keeps a posted form and gives it back
    after signing in; a POST without the right CSRF token, 403."""

    def decorate(view: Callable[[ConsolePage], Response]) -> Callable[..., Response]:
        @functools.wraps(view)
        def answering(*args: Any, **kwargs: Any) -> Response:
            from chalicelib.api.routes.console import forbidden_page, sign_in_page_for
            from chalicelib.services import console_sessions  # on first use: see api/routes/citizen.py

            request = blueprint.current_request
            current = cookie_id(request)
            form = form_fields(request) if request.method == "POST" else {}
            if request.method == "POST" and not csrf_is_right(current, form.get(CSRF_FIELD)):
                return forbidden_page()
            session = console_sessions.current_session(current)
            if session is None:
                kept = {name: value for name, value in form.items() if name != CSRF_FIELD} or None
                return sign_in_page_for(request, kept)
            answer = view(ConsolePage(request=request, session=session, form=form), *args, **kwargs)
            if request.method == "GET" and (session.kept_form or session.next_path):
                console_sessions.take_kept_form(session)  # given back once: home no longer leads here
            return answer

        return answering

    return decorate
