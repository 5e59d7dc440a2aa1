from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.client import BaseClient
from chalice.local import LocalChalice
from chalice.test import Client

from app import app
from chalicelib.domain.staff import Role
from tools.staff_token import SigningKey, local_signing_key, mint_token


@pytest.fixture
def client(aws: None) -> Iterator[Client]:
    with Client(app, stage_name="local") as test_client:
        yield test_client


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    """The local stage's key pair (.local/, made on first use), which .chalice/config.json trusts."""
    return local_signing_key()


StaffHeaders = Callable[..., dict[str, str]]


@pytest.fixture
def staff(signing_key: SigningKey) -> StaffHeaders:
    """Headers of a signed-in member of staff: staff("officer", "dokki")."""

    def headers(role: str, district_code: str | None = None, principal: str | None = None) -> dict[str, str]:
        token = mint_token(signing_key, Role(role), district_code, principal=principal)
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    return headers


@pytest.fixture
def concurrent_client(client: Client, monkeypatch: pytest.MonkeyPatch) -> Client:
    """The test client, made safe for threads the way a deployment already is.

    In Lambda each process serves one event at a time; here eight threads share one process,
    and three things in the harness (not in the application) are not made for that:
    - Chalice keeps the current request on the app object: LocalChalice, which `chalice local`
      itself uses for its threaded server, keeps it per thread instead.
    - moto's in-process DynamoDB is not atomic per call (TransactWriteItems checks, writes and
      on failure restores a deep copy of the whole table, wiping other threads' writes made
      meanwhile): a lock makes each call atomic, as each DynamoDB call is, while leaving the
      application's own read-judge-write races between calls untouched.
    - chalice.test swaps os.environ for a copy around each call, so threads racing through it
      can leave a copy in place: os.environ is put back after the test.
    """
    monkeypatch.setattr(os, "environ", os.environ)
    monkeypatch.setattr(app, "__class__", LocalChalice)
    moto_lock = threading.Lock()
    make_api_call = BaseClient._make_api_call

    def one_call_at_a_time(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        with moto_lock:
            return make_api_call(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", one_call_at_a_time)
    return client
