"""What the moto-backed tests of more than one area share."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator

import boto3
import pytest

from chalicelib.domain.staff import Role
from chalicelib.observability.audit import audit_logger
from chalicelib.observability.logs import Logger, logger
from tests.conftest import TEST_REGION
from tests.integration.fake_paymob import FakePaymob
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


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every line the service logs, formatted exactly as it goes to CloudWatch."""
    yield from _lines_of(logger)


@pytest.fixture
def audit_lines() -> Iterator[io.StringIO]:
    """Every audit line, formatted exactly as it goes to the audit log group."""
    yield from _lines_of(audit_logger)


def _lines_of(service_logger: Logger) -> Iterator[io.StringIO]:
    # It once captured nothing when the whole tree was collected: Chalice had set the shared
    # "shobbak" logger to ERROR (app.py now tells it not to configure logs).
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(service_logger.registered_formatter)
    logging.getLogger(service_logger.name).addHandler(handler)
    yield stream
    logging.getLogger(service_logger.name).removeHandler(handler)


@pytest.fixture
def fake_paymob(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakePaymob]:
    """Paymob's accept API on a local port, where card checkouts go."""
    server = FakePaymob()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PAYMOB_API_BASE", server.url)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
