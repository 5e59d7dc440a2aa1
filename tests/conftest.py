"""Fixtures shared by every test: an AWS that is moto, in this process, with the real tables."""

from __future__ import annotations

import os
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from tools.resources import deploy_resources

TEST_REGION = "eu-central-1"


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach AWS, and none may see a developer's own credentials or endpoint."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", TEST_REGION)
    monkeypatch.setenv("SHOBBAK_STAGE", "local")


@pytest.fixture
def aws() -> Iterator[None]:
    """moto in process, holding the stack of infra/resources.yaml for the local stage."""
    with mock_aws():
        deploy_resources(boto3.client("cloudformation", region_name=TEST_REGION), "local")
        yield
