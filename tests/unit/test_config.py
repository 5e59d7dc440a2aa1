"""Configuration fails closed: a deployed function that does not know its stage refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from chalicelib.adapters.secrets import MissingSecret, secret
from chalicelib.config import DEFAULT_PORTAL_ADDRESS, PortalAddressTooLong, UnknownStage, messaging_settings, settings
from tests.conftest import PROJECT
from tests.unit.test_config_deployment import COMPLETE as COMPLETE_DEPLOYMENT

IN_LAMBDA = "shobbak-prod-APIHandler"


def test_a_deployed_function_without_a_stage_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", IN_LAMBDA)
    monkeypatch.delenv("SHOBBAK_STAGE")

    with pytest.raises(UnknownStage):
        settings()


def test_a_deployed_function_never_takes_the_local_stage_or_its_published_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", IN_LAMBDA)
    monkeypatch.delenv("PAYMOB_HMAC_SECRET", raising=False)
    monkeypatch.setenv("SHOBBAK_STAGE", "local")

    with pytest.raises(UnknownStage):
        settings()
    with pytest.raises((UnknownStage, MissingSecret)):
        secret("PAYMOB_HMAC_SECRET")


def test_off_lambda_the_local_stage_stays_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOBBAK_STAGE")

    assert settings().stage == "local"
    assert secret("PAYMOB_HMAC_SECRET") == "local-paymob-hmac-secret"


def _import_app(**environment: str) -> subprocess.CompletedProcess[str]:
    kept = {name: value for name, value in os.environ.items() if name != "SHOBBAK_STAGE"}
    return subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=PROJECT,
        env={**kept, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_handler_refuses_to_start_in_lambda_without_a_stage() -> None:
    refused = _import_app(AWS_LAMBDA_FUNCTION_NAME=IN_LAMBDA)
    # with every other value a deployment gives (require_deployment_settings checks those)
    started = _import_app(AWS_LAMBDA_FUNCTION_NAME=IN_LAMBDA, **COMPLETE_DEPLOYMENT)

    assert refused.returncode != 0
    assert "SHOBBAK_STAGE" in refused.stderr
    assert started.returncode == 0, started.stderr


def test_the_portal_address_texts_name_is_configured_and_kept_within_one_segment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PORTAL_SHORT_ADDRESS", raising=False)
    assert messaging_settings().portal_address == DEFAULT_PORTAL_ADDRESS
    monkeypatch.setenv("PORTAL_SHORT_ADDRESS", "giza.gov.eg/s")
    assert messaging_settings().portal_address == "giza.gov.eg/s"
    monkeypatch.setenv("PORTAL_SHORT_ADDRESS", "shobbak.giza.gov.eg/track")  # would push a text past 70
    with pytest.raises(PortalAddressTooLong):
        messaging_settings()
