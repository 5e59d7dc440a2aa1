from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
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
