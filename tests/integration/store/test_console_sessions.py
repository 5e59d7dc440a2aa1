"""The office console's sessions and sign-ins, keyed by a hash of the cookie's id
(chalicelib/store/console_sessions.py)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import boto3

from chalicelib.store.console_sessions import (
    SESSION,
    SIGN_IN,
    ConsoleSessionRecord,
    forget,
    load,
    record_key,
    save,
    seen,
)

COOKIE_ID = "a-random-cookie-id-the-browser-holds"
SIGNED_IN_AT = 1_796_000_000


def session() -> ConsoleSessionRecord:
    return ConsoleSessionRecord(
        record_key(SESSION, COOKIE_ID), email="huda@giza.gov.eg", principal="sub-1", role="manager",
        district_code="dokki", signed_in_at=SIGNED_IN_AT, last_seen_at=SIGNED_IN_AT,
        expires_at=datetime.fromtimestamp(SIGNED_IN_AT + 8 * 3600, UTC),
    )  # fmt: skip


def test_the_key_is_the_kind_and_a_hash_of_the_cookie_id_never_the_id() -> None:
    key = record_key(SESSION, COOKIE_ID)
    assert key == f"session#{hashlib.sha256(COOKIE_ID.encode()).hexdigest()}"
    assert COOKIE_ID not in key
    assert record_key(SIGN_IN, COOKIE_ID).startswith("sign-in#")


def test_a_saved_session_is_loaded_by_its_cookie_id_and_kind_only(aws: None) -> None:
    save(session())

    found = load(SESSION, COOKIE_ID)

    assert found is not None
    assert (found.email, found.role, found.district_code) == ("huda@giza.gov.eg", "manager", "dokki")
    assert load(SIGN_IN, COOKIE_ID) is None
    assert load(SESSION, "another-cookie") is None
    stored = boto3.client("dynamodb").scan(TableName="shobbak-local-console-sessions")["Items"]
    assert COOKIE_ID not in str(stored)


def test_a_session_seen_again_keeps_when_it_was_last_used(aws: None) -> None:
    record = session()
    save(record)

    seen(record, SIGNED_IN_AT + 600)

    found = load(SESSION, COOKIE_ID)
    assert found is not None
    assert (found.signed_in_at, found.last_seen_at) == (SIGNED_IN_AT, SIGNED_IN_AT + 600)


def test_a_forgotten_session_is_gone_and_forgetting_it_twice_is_harmless(aws: None) -> None:
    save(session())

    forget(SESSION, COOKIE_ID)
    forget(SESSION, COOKIE_ID)

    assert load(SESSION, COOKIE_ID) is None
