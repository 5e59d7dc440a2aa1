"""The office console's sessions, as the pages see them: who is signed in, since when, and the
clocks that end a session (docs/office-console.md#sessions). Kept server-side by
services/console_sessions.py; pure, so a page can name them without loading the store."""

from __future__ import annotations

import time
from dataclasses import dataclass

from chalicelib.domain.staff import StaffMember

IDLE_S = 30 * 60
ABSOLUTE_S = 12 * 3600
FRESH_S = 5 * 60
# The page warns this long before the idle end (console.js counts down; without it, the page says when).
IDLE_WARNING_S = 5 * 60
# Cognito's challenge session lasts 3 minutes by default; a sign-in in progress is kept a little longer.
SIGN_IN_S = 10 * 60
# The idle clock is written at most this often: every page would otherwise be a write.
SEEN_EVERY_S = 60
# Refreshed this long before the ID token expires, so a page never carries a dying one.
REFRESH_MARGIN_S = 120


@dataclass(frozen=True)
class Session:
    """A signed-in member of staff, as a page sees them."""

    cookie_id: str
    staff: StaffMember
    email: str
    id_token: str  # for the office API, called on the server
    signed_in_at: int
    last_seen_at: int
    kept_form: dict[str, str] | None  # a form posted after the session had ended, given back once
    next_path: str | None

    @property
    def idle_ends_at(self) -> int:
        return min(self.last_seen_at + IDLE_S, self.signed_in_at + ABSOLUTE_S)

    def signed_in_within(self, seconds: int, now: float | None = None) -> bool:
        return (time.time() if now is None else now) - self.signed_in_at <= seconds


@dataclass(frozen=True)
class SignIn:
    """A sign-in in progress: which challenge of Cognito's it waits for."""

    cookie_id: str
    email: str
    challenge: str
    challenge_session: str
    next_path: str | None
    kept_form: dict[str, str] | None
