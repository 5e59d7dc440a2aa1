"""Secrets: the environment first, then SSM Parameter Store (read once per few minutes),
then the local stage's documented defaults, and nothing else. The public address the stack
writes to SSM comes from the same two sources, with no default."""

from __future__ import annotations

import boto3
import pytest

from chalicelib.adapters import secrets
from chalicelib.adapters.secrets import MissingSecret, deployed_value, secret
from chalicelib.domain.errors import Unavailable
from tools.testing.aws_calls import counted_aws_calls

PARAMETER = "/shobbak/dev/fawry-secure-key"


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_cached", {})
    monkeypatch.delenv("FAWRY_SECURE_KEY", raising=False)
    monkeypatch.delenv("PUBLIC_API_URL", raising=False)
    monkeypatch.delenv("PUBLIC_API_URL_PARAMETER", raising=False)


def test_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAWRY_SECURE_KEY", "from-the-environment")
    monkeypatch.setenv("FAWRY_SECURE_KEY_PARAMETER", PARAMETER)
    assert secret("FAWRY_SECURE_KEY") == "from-the-environment"


def test_a_parameter_is_read_decrypted_once_and_then_from_the_cache(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    boto3.client("ssm").put_parameter(Name=PARAMETER, Value="from-ssm", Type="SecureString")
    monkeypatch.setenv("FAWRY_SECURE_KEY_PARAMETER", PARAMETER)
    with counted_aws_calls() as calls:
        assert secret("FAWRY_SECURE_KEY") == "from-ssm"
        assert secret("FAWRY_SECURE_KEY") == "from-ssm"
    assert calls == {"ssm:GetParameter": 1}


def test_a_parameter_is_read_again_once_its_cache_has_expired(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    ssm = boto3.client("ssm")
    ssm.put_parameter(Name=PARAMETER, Value="before", Type="SecureString")
    monkeypatch.setenv("FAWRY_SECURE_KEY_PARAMETER", PARAMETER)
    assert secret("FAWRY_SECURE_KEY") == "before"
    ssm.put_parameter(Name=PARAMETER, Value="rotated", Type="SecureString", Overwrite=True)
    assert secret("FAWRY_SECURE_KEY") == "before"
    monkeypatch.setattr(secrets, "CACHE_SECONDS", 0)
    assert secret("FAWRY_SECURE_KEY") == "rotated"


def test_the_local_default_serves_the_local_stage_only(monkeypatch: pytest.MonkeyPatch) -> None:
    assert secret("FAWRY_SECURE_KEY") == secrets.LOCAL_DEFAULTS["FAWRY_SECURE_KEY"]
    monkeypatch.setenv("SHOBBAK_STAGE", "prod")
    with pytest.raises(MissingSecret):
        secret("FAWRY_SECURE_KEY")


def test_a_value_the_stack_writes_is_read_from_its_plain_string_parameter_once(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("ssm").put_parameter(Name="/shobbak/dev/public-url", Value="https://d1.cloudfront.net", Type="String")
    monkeypatch.setenv("PUBLIC_API_URL_PARAMETER", "/shobbak/dev/public-url")
    with counted_aws_calls() as calls:
        assert deployed_value("PUBLIC_API_URL") == "https://d1.cloudfront.net"
        assert deployed_value("PUBLIC_API_URL") == "https://d1.cloudfront.net"
    assert calls == {"ssm:GetParameter": 1}
    monkeypatch.setenv("PUBLIC_API_URL", "http://127.0.0.1:8000")
    assert deployed_value("PUBLIC_API_URL") == "http://127.0.0.1:8000"


def test_a_value_given_neither_way_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    with counted_aws_calls() as calls:
        assert deployed_value("PUBLIC_API_URL") is None
    assert calls == {}


def test_an_unreadable_parameter_is_a_temporary_unavailability_and_is_asked_again(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAWRY_SECURE_KEY_PARAMETER", PARAMETER)  # not created yet: SSM answers ParameterNotFound

    with pytest.raises(Unavailable) as down:
        secret("FAWRY_SECURE_KEY")
    boto3.client("ssm").put_parameter(Name=PARAMETER, Value="from-ssm", Type="SecureString")

    assert "عطل مؤقت" in down.value.message_ar
    assert "temporary fault" in down.value.message_en
    assert secret("FAWRY_SECURE_KEY") == "from-ssm"  # the failure was not cached
