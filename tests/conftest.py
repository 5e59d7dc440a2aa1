"""Fixtures shared by every test: an AWS that is moto, in this process, with the real tables."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from chalicelib.domain.calendar import CAIRO, cairo_today
from chalicelib.domain.limits import attempts_hour
from tests.faults import FAULTS, DynamoDBFaults
from tools.local.resources import deploy_resources
from tools.local.staff_token import SigningKey, local_signing_key

pytest_plugins = ["tests.iam_enforcement"]  # IAM enforced on every call a function makes (tests/iam_enforcement.py)
TEST_REGION = "eu-central-1"
PROJECT = Path(__file__).resolve().parent.parent
# The longest a test runs whose calls must all count in one window of the real clock.
WINDOWED_TEST_AT_MOST = timedelta(minutes=2)


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach AWS, and none may see a developer's own credentials or endpoint."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", TEST_REGION)
    # The local stage's variables, set for the whole test rather than only around each call
    # as Chalice's test client does: threads racing through the client would otherwise see
    # them vanish when another thread's call ends.
    for name, value in local_stage_environment().items():
        monkeypatch.setenv(name, value)


def local_stage_environment() -> dict[str, str]:
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {**config["environment_variables"], **config["stages"]["local"]["environment_variables"]}


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in process, holding the stack of infra/resources.yaml for the local stage."""
    with mock_aws():
        deploy_resources(
            boto3.client("cloudformation", region_name=TEST_REGION),
            "local",
            boto3.client("s3", region_name=TEST_REGION),
        )
        yield


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    """The local stage's key pair (.local/, made on first use), which .chalice/config.json trusts."""
    return local_signing_key()


@pytest.fixture
def dynamodb_faults() -> Iterator[DynamoDBFaults]:
    """Faults to inject into DynamoDB's answers (tests/faults.py); none are left after the test."""
    FAULTS.clear()
    try:
        yield FAULTS
    finally:
        FAULTS.clear()


def _now_with_time_to_spare(window_end: Callable[[datetime], datetime]) -> datetime:
    """Now, in a window of the real clock (it ends at `window_end(now)`) long enough for the
    test: when it ends too soon, after waiting for the next one to begin (once a window at most).

    The API reads the real clock, and limits count in its windows, so a test that expects its
    calls to meet a limit must make them inside one window: calls that straddle a window's end
    are rightly two windows' worth (a burst that CI ran, by its timing, across 15:00 UTC had 13
    guesses answered "wrong", ten an hour being the limit)."""
    now = datetime.now(UTC)
    left = window_end(now) - now
    if left < WINDOWED_TEST_AT_MOST:
        time.sleep(left.total_seconds())
        now = datetime.now(UTC)
    return now


@pytest.fixture
def attempts_hour_now() -> str:
    """The label of the UTC hour in which the test's guesses count (domain/limits.py)."""
    return attempts_hour(_now_with_time_to_spare(lambda now: attempts_hour(now).ends_at)).label


@pytest.fixture
def cairo_day_now() -> date:
    """The Cairo day in which the test's submissions and messages count, per phone (domain/limits.py)."""
    now = _now_with_time_to_spare(lambda now: datetime.combine(cairo_today(now) + timedelta(days=1), dt_time(0), CAIRO))
    return cairo_today(now)
