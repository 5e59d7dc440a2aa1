"""The office console's sessions (docs/office-console.md): what the browser's cookie stands for.

console-sessions table (`key`), one item per:
  * signed-in session, `session#<SHA-256 of the cookie's id>`: who (sub, role, district, email),
    the staff pool's tokens, when they signed in and were last seen; the item expires (TTL) at
    the session's absolute end;
  * sign-in in progress, `sign-in#<SHA-256 of the cookie's id>`: the email, Cognito's challenge
    session and which challenge it is, where to go after, and the form kept from an expired
    session; it expires with Cognito's challenge session.
The key is a hash of the id so that reading the table gives nothing a browser could present.
Every access is one GetItem, PutItem, UpdateItem or DeleteItem by key.
"""

from __future__ import annotations

import hashlib

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import DoesNotExist

from chalicelib.store.base import StoredModel, TableMeta
from chalicelib.store.retries import retry_transient

SESSION, SIGN_IN = "session", "sign-in"


class ConsoleSessionRecord(StoredModel):
    class Meta(TableMeta):
        table = "console-sessions"

    key = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()
    # a session's
    principal = UnicodeAttribute(null=True)
    role = UnicodeAttribute(null=True)
    district_code = UnicodeAttribute(null=True)
    id_token = UnicodeAttribute(null=True)
    access_token = UnicodeAttribute(null=True)
    refresh_token = UnicodeAttribute(null=True)
    tokens_expire_at = NumberAttribute(null=True)
    signed_in_at = NumberAttribute(null=True)
    last_seen_at = NumberAttribute(null=True)
    # a sign-in's
    challenge = UnicodeAttribute(null=True)
    challenge_session = UnicodeAttribute(null=True)
    # both: where to go next, and a form posted when the session had ended (JSON), to give back
    next_path = UnicodeAttribute(null=True)
    kept_form = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


def record_key(kind: str, cookie_id: str) -> str:
    return f"{kind}#{hashlib.sha256(cookie_id.encode()).hexdigest()}"


def load(kind: str, cookie_id: str) -> ConsoleSessionRecord | None:
    try:
        return ConsoleSessionRecord.get(record_key(kind, cookie_id), consistent_read=True)
    except DoesNotExist:
        return None


def save(record: ConsoleSessionRecord) -> None:
    retry_transient(record.save)


def seen(record: ConsoleSessionRecord, at: int) -> None:
    """The session was used at `at` (its idle clock starts again)."""
    retry_transient(lambda: record.update(actions=[ConsoleSessionRecord.last_seen_at.set(at)]))


def forget(kind: str, cookie_id: str) -> None:
    retry_transient(ConsoleSessionRecord(record_key(kind, cookie_id)).delete)
