"""What the moto-backed tests of more than one area share."""

from __future__ import annotations

import boto3
import pytest

from chalicelib.domain.staff import Role
from tests.conftest import TEST_REGION
from tools.local.staff_pool import create_account, create_pool, local_pool_environment, local_staff_password

OFFICERS = {"officer.dokki@staff.shobbak.local": "dokki", "officer.warraq@staff.shobbak.local": "warraq"}


@pytest.fixture
def officers(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The pool's officers, by email: their principal (`sub`)."""
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION)
    pool = create_pool(cognito)
    for email, district in OFFICERS.items():
        create_account(cognito, pool, email, Role.OFFICER, district, local_staff_password())
    return {
        email: next(a["Value"] for a in cognito.admin_get_user(UserPoolId=pool.pool_id, Username=email)[
            "UserAttributes"] if a["Name"] == "sub")
        for email in OFFICERS
    }  # fmt: skip
