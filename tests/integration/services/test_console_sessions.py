"""The office console's sessions: opened by a sign-in under a new id, ended by 30 idle minutes,
12 hours or signing out, and the sign-in in progress before them
(chalicelib/services/console_sessions.py)."""

from __future__ import annotations

import time

import pytest

from chalicelib.adapters.staff_pool import Challenge, Tokens
from chalicelib.domain.staff import Role
from chalicelib.services import console_sessions
from chalicelib.services.console_sessions import (
    ABSOLUTE_S,
    IDLE_S,
    REFRESH_MARGIN_S,
    SEEN_EVERY_S,
    SIGN_IN_S,
    SignIn,
    current_session,
    end_session,
    keep_sign_in,
    open_session,
    sign_in_in_progress,
    take_kept_form,
)
from chalicelib.store import console_sessions as store
from chalicelib.store.console_sessions import SESSION, SIGN_IN
from tools.local.staff_token import local_signing_key, mint_token

EMAIL = "huda@giza.gov.eg"


def tokens(expires_in_s: int = 3600) -> Tokens:
    """The pool's answer to a sign-in; no access token, so that signing out asks the pool nothing."""
    id_token = mint_token(local_signing_key(), Role.MANAGER, "dokki", principal="manager-huda")
    return Tokens(id_token=id_token, access_token="", refresh_token="refresh", expires_in_s=expires_in_s)


class Clock:
    """time.time() as the module reads it, moved on by the test."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(console_sessions.time, "time", lambda: self.now)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def test_a_sign_in_opens_a_session_for_the_member_the_token_names(aws: None) -> None:
    session = open_session(tokens(), None, EMAIL)

    assert (session.staff.principal, session.staff.role, session.staff.district_code) == (
        "manager-huda",
        Role.MANAGER,
        "dokki",
    )
    assert session.email == EMAIL
    assert session.idle_ends_at == session.signed_in_at + IDLE_S
    assert session.signed_in_within(60)
    live = current_session(session.cookie_id)
    assert live is not None
    assert live.staff == session.staff


def test_the_session_takes_a_new_id_and_the_sign_ins_kept_form_and_destination(aws: None) -> None:
    challenge = Challenge("SOFTWARE_TOKEN_MFA", "cognito-session")
    sign_in = keep_sign_in("sign-in-cookie", EMAIL, challenge, "/console/queue", {"note": "نص محفوظ"})
    assert sign_in_in_progress("sign-in-cookie") == sign_in

    session = open_session(tokens(), sign_in, EMAIL)

    assert session.cookie_id != "sign-in-cookie"
    assert (session.next_path, session.kept_form) == ("/console/queue", {"note": "نص محفوظ"})
    assert sign_in_in_progress("sign-in-cookie") is None  # the sign-in is over
    given_back = take_kept_form(session)
    assert (given_back.next_path, given_back.kept_form) == (None, None)
    again = current_session(session.cookie_id)
    assert again is not None
    assert (again.next_path, again.kept_form) == (None, None)


def test_no_cookie_or_an_unknown_one_is_no_session(aws: None) -> None:
    assert current_session(None) is None
    assert current_session("") is None
    assert current_session("a-cookie-never-issued") is None
    assert sign_in_in_progress(None) is None
    assert sign_in_in_progress("a-cookie-never-issued") is None


def test_a_page_restarts_the_idle_clock_written_at_most_once_a_minute(aws: None, clock: Clock) -> None:
    session = open_session(tokens(), None, EMAIL)

    clock.now += SEEN_EVERY_S - 1
    assert current_session(session.cookie_id).last_seen_at == session.signed_in_at  # type: ignore[union-attr]
    clock.now += 1
    seen = current_session(session.cookie_id)

    assert seen is not None
    assert seen.last_seen_at == int(clock.now)
    assert store.load(SESSION, session.cookie_id).last_seen_at == int(clock.now)  # type: ignore[union-attr]


def test_thirty_idle_minutes_end_the_session_and_remove_it(aws: None, clock: Clock) -> None:
    session = open_session(tokens(), None, EMAIL)

    clock.now += IDLE_S + 1

    assert current_session(session.cookie_id) is None
    assert store.load(SESSION, session.cookie_id) is None


def test_twelve_hours_end_the_session_however_busy(aws: None, clock: Clock) -> None:
    session = open_session(tokens(expires_in_s=2 * ABSOLUTE_S), None, EMAIL)
    start = clock.now
    while clock.now - start < ABSOLUTE_S - IDLE_S:
        clock.now += IDLE_S - 60
        assert current_session(session.cookie_id) is not None

    clock.now = start + ABSOLUTE_S + 1

    assert current_session(session.cookie_id) is None


def test_a_session_whose_tokens_the_pool_no_longer_refreshes_ends(aws: None, clock: Clock) -> None:
    session = open_session(tokens(expires_in_s=600), None, EMAIL)

    clock.now += 600 - REFRESH_MARGIN_S  # time to refresh: the pool refuses the refresh token

    assert current_session(session.cookie_id) is None
    assert store.load(SESSION, session.cookie_id) is None


def test_signing_out_removes_the_session_and_twice_is_harmless(aws: None) -> None:
    session = open_session(tokens(), None, EMAIL)

    end_session(session.cookie_id)
    end_session(session.cookie_id)

    assert current_session(session.cookie_id) is None


def test_a_sign_in_in_progress_is_read_back_until_it_expires(aws: None, clock: Clock) -> None:
    keep_sign_in("sign-in-cookie", EMAIL, Challenge("NEW_PASSWORD_REQUIRED", "s"), None, None)
    assert store.load(SIGN_IN, "sign-in-cookie") is not None
    assert sign_in_in_progress("sign-in-cookie") == SignIn(
        "sign-in-cookie", EMAIL, "NEW_PASSWORD_REQUIRED", "s", None, None
    )

    clock.now -= SIGN_IN_S + 1  # kept as if it had begun longer ago than a sign-in is kept
    keep_sign_in("stale-cookie", EMAIL, Challenge("NEW_PASSWORD_REQUIRED", "s"), None, None)

    assert sign_in_in_progress("stale-cookie") is None
