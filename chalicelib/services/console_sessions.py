"""The office console's sessions: opened by a sign-in, held for at most 12 hours, ended by 30
idle minutes or by signing out (docs/office-console.md#sessions).

The browser holds a random id (the cookie); this module keeps what it stands for
(store/console_sessions.py): the member of staff, their tokens, and the clocks. The staff
member comes from the pool's ID token, verified as the office API verifies it.
"""

from __future__ import annotations

import json
import secrets
import time
from datetime import UTC, datetime

from chalicelib.adapters import staff_pool
from chalicelib.adapters.staff_tokens import InvalidToken, verify_staff_token
from chalicelib.config import staff_token_settings
from chalicelib.domain.console_sessions import (
    ABSOLUTE_S,
    IDLE_S,
    REFRESH_MARGIN_S,
    SEEN_EVERY_S,
    SIGN_IN_S,
    Session,
    SignIn,
)
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.store import console_sessions as store
from chalicelib.store.console_sessions import SESSION, SIGN_IN, ConsoleSessionRecord


def new_cookie_id() -> str:
    return secrets.token_urlsafe(32)


def _expiry(at: int) -> datetime:
    return datetime.fromtimestamp(at, UTC)


def _staff_of(id_token: str) -> StaffMember:
    return verify_staff_token(id_token, staff_token_settings())


def open_session(tokens: staff_pool.Tokens, sign_in: SignIn | None, email: str) -> Session:
    """A new session (a new id: never the one the browser had before signing in)."""
    staff = _staff_of(tokens.id_token)
    now = int(time.time())
    cookie_id = new_cookie_id()
    record = ConsoleSessionRecord(
        store.record_key(SESSION, cookie_id),
        email=email,
        principal=staff.principal,
        role=staff.role.value,
        district_code=staff.district_code,
        id_token=tokens.id_token,
        access_token=tokens.access_token,
        refresh_token=tokens.refresh_token,
        tokens_expire_at=now + tokens.expires_in_s,
        signed_in_at=now,
        last_seen_at=now,
        next_path=sign_in.next_path if sign_in else None,
        kept_form=json.dumps(sign_in.kept_form, ensure_ascii=False) if sign_in and sign_in.kept_form else None,
        expires_at=_expiry(now + ABSOLUTE_S),
    )
    store.save(record)
    if sign_in is not None:
        store.forget(SIGN_IN, sign_in.cookie_id)
    return _session(cookie_id, record)


def _session(cookie_id: str, record: ConsoleSessionRecord) -> Session:
    return Session(
        cookie_id=cookie_id,
        staff=StaffMember(
            principal=str(record.principal), role=Role(str(record.role)), district_code=record.district_code
        ),
        email=record.email,
        id_token=str(record.id_token),
        signed_in_at=int(record.signed_in_at or 0),
        last_seen_at=int(record.last_seen_at or 0),
        kept_form=json.loads(record.kept_form) if record.kept_form else None,
        next_path=record.next_path,
    )


def current_session(cookie_id: str | None) -> Session | None:
    """The live session the cookie stands for, its idle clock restarted; None when there is none,
    or it was idle 30 minutes, or it is 12 hours old (the record is then removed)."""
    if not cookie_id:
        return None
    record = store.load(SESSION, cookie_id)
    if record is None:
        return None
    now = int(time.time())
    signed_in_at, last_seen_at = int(record.signed_in_at or 0), int(record.last_seen_at or 0)
    if now - last_seen_at > IDLE_S or now - signed_in_at > ABSOLUTE_S:
        end_session(cookie_id, record)
        return None
    if now + REFRESH_MARGIN_S >= int(record.tokens_expire_at or 0):
        try:
            tokens = staff_pool.refreshed(str(record.refresh_token))
            _staff_of(tokens.id_token)
        except (staff_pool.PoolRefusal, InvalidToken):
            end_session(cookie_id, record)
            return None
        record.id_token, record.access_token = tokens.id_token, tokens.access_token
        record.refresh_token, record.tokens_expire_at = tokens.refresh_token, now + tokens.expires_in_s
        record.last_seen_at = now
        store.save(record)
    elif now - last_seen_at >= SEEN_EVERY_S:
        store.seen(record, now)
        record.last_seen_at = now
    return _session(cookie_id, record)


def take_kept_form(session: Session) -> Session:
    """The session without its kept form, once a page has given it back."""
    if session.kept_form is None and session.next_path is None:
        return session
    record = store.load(SESSION, session.cookie_id)
    if record is not None:
        record.kept_form, record.next_path = None, None
        store.save(record)
    return Session(**{**session.__dict__, "kept_form": None, "next_path": None})


def end_session(cookie_id: str, record: ConsoleSessionRecord | None = None) -> None:
    """Signs out: the record removed, and the pool's tokens revoked."""
    record = record or store.load(SESSION, cookie_id)
    if record is None:
        return
    store.forget(SESSION, cookie_id)
    if record.access_token:
        staff_pool.sign_out(record.access_token)


def keep_sign_in(
    cookie_id: str,
    email: str,
    challenge: staff_pool.Challenge,
    next_path: str | None,
    kept_form: dict[str, str] | None,
) -> SignIn:
    now = int(time.time())
    store.save(
        ConsoleSessionRecord(
            store.record_key(SIGN_IN, cookie_id),
            email=email,
            challenge=challenge.name,
            challenge_session=challenge.session,
            next_path=next_path,
            kept_form=json.dumps(kept_form, ensure_ascii=False) if kept_form else None,
            expires_at=_expiry(now + SIGN_IN_S),
        )
    )
    return SignIn(cookie_id, email, challenge.name, challenge.session, next_path, kept_form)


def sign_in_in_progress(cookie_id: str | None) -> SignIn | None:
    if not cookie_id:
        return None
    record = store.load(SIGN_IN, cookie_id)
    if record is None or record.expires_at < datetime.now(UTC):
        return None
    return SignIn(
        cookie_id=cookie_id,
        email=record.email,
        challenge=str(record.challenge),
        challenge_session=str(record.challenge_session),
        next_path=record.next_path,
        kept_form=json.loads(record.kept_form) if record.kept_form else None,
    )
