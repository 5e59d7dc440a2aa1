from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from chalice.local import LocalChalice
from chalice.test import Client

from app import app
from chalicelib.domain.staff import Role
from tools.staff_token import SigningKey, mint_token


@pytest.fixture(autouse=True)
def _many_submissions_per_phone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API tests file many requests for the one phone of tests/factories.py; the daily
    limit per phone is tested on its own, with its default, in tests/services/test_flooding.py."""
    monkeypatch.setenv("ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY", "1000")


@pytest.fixture
def client(aws: None) -> Iterator[Client]:
    with Client(app, stage_name="local") as test_client:
        yield test_client


StaffHeaders = Callable[..., dict[str, str]]


@pytest.fixture
def staff(signing_key: SigningKey) -> StaffHeaders:
    """Headers of a signed-in member of staff: staff("officer", "dokki")."""

    def headers(role: str, district_code: str | None = None, principal: str | None = None) -> dict[str, str]:
        token = mint_token(signing_key, Role(role), district_code, principal=principal)
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    return headers


@pytest.fixture
def concurrent_client(client: Client, monkeypatch: pytest.MonkeyPatch, one_aws_call_at_a_time: None) -> Client:
    """The test client, made safe for threads the way a deployment already is.

    In Lambda each process serves one event at a time; here eight threads share one process,
    and three things in the harness (not in the application) are not made for that:
    - Chalice keeps the current request on the app object: LocalChalice, which `chalice local`
      itself uses for its threaded server, keeps it per thread instead.
    - moto's in-process DynamoDB is not atomic per call: one_aws_call_at_a_time.
    - chalice.test swaps os.environ for a copy around each call, so threads racing through it
      can leave a copy in place: os.environ is put back after the test.
    """
    monkeypatch.setattr(os, "environ", os.environ)
    monkeypatch.setattr(app, "__class__", LocalChalice)
    return client
