"""Fixtures shared by every test: an AWS that is moto, in this process, with the real tables."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from tests.faults import FAULTS, DynamoDBFaults
from tools.resources import deploy_resources
from tools.staff_token import SigningKey, local_signing_key

TEST_REGION = "eu-central-1"
PROJECT = Path(__file__).resolve().parent.parent


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
