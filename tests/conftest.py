"""Fixtures shared by every test: an AWS that is moto, in this process, with the real tables."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from chalicelib.domain.limits import attempts_hour
from tests.faults import FAULTS, DynamoDBFaults
from tools.resources import deploy_resources
from tools.staff_token import SigningKey, local_signing_key

TEST_REGION = "eu-central-1"
PROJECT = Path(__file__).resolve().parent.parent
# The longest a test runs whose guesses must all fall in one clock hour (`attempts_hour_now`).
GUESSING_TEST_AT_MOST = timedelta(minutes=2)


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


@pytest.fixture
def attempts_hour_now() -> str:
    """The UTC hour in which the test's guesses count (domain/limits.py), with its label.

    The API reads the real clock, and the guessing limit counts per clock hour, so a test that
    expects its run of guesses to meet the limit must run inside one hour: a run that straddles
    the hour's end is rightly two hours' worth (a burst that CI ran, by its timing, across
    15:00 UTC had 13 guesses answered "wrong"). When the hour ends too soon for the test, this
    waits for the next one to begin (once an hour of testing at most)."""
    now = datetime.now(UTC)
    hour = attempts_hour(now)
    if hour.ends_at - now < GUESSING_TEST_AT_MOST:
        time.sleep((hour.ends_at - now).total_seconds())
        hour = attempts_hour(datetime.now(UTC))
    return hour.label
