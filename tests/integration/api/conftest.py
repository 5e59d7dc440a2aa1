from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from chalice.test import Client

from app import app
from chalicelib.domain.staff import Role
from tests.integration.api.packaged_stage import packaged_stage, packaged_template  # noqa: F401 - fixtures
from tools.local.staff_token import SigningKey, mint_token


@pytest.fixture(autouse=True)
def _many_submissions_per_phone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API tests file many requests for the one phone of tests/factories.py; the daily
    limit per phone is tested on its own, with its default, in tests/integration/services/test_flooding.py."""
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
