"""A deployed function refuses to start without every value its deployment must give it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from chalicelib.config import IncompleteDeployment, missing_deployment_settings, require_deployment_settings
from tests.conftest import PROJECT

COMPLETE = {
    "SHOBBAK_STAGE": "prod",
    "PORTAL_BASE_URL": "/",
    "API_BASE_URL": "/",
    "STAFF_TOKEN_ISSUER": "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc",
    "STAFF_TOKEN_AUDIENCE": "client-id",
    "STAFF_TOKEN_JWKS_URL": "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_abc/.well-known/jwks.json",
    "PAYMOB_INTEGRATION_ID": "4412",
    "PAYMOB_IFRAME_ID": "871",
    "PAYMOB_MERCHANT_ID": "4242",
    "VOICE_ORIGINATION_IDENTITY": "+20225551234",
    "VOICE_CALLS_TOPIC_ARN": "arn:aws:sns:eu-central-1:123456789012:shobbak-prod-voice-calls",
    "FAWRY_SECURE_KEY_PARAMETER": "/shobbak/prod/fawry-secure-key",
    "PAYMOB_HMAC_SECRET_PARAMETER": "/shobbak/prod/paymob-hmac-secret",
    "PAYMOB_API_KEY_PARAMETER": "/shobbak/prod/paymob-api-key",
    "OPEN311_API_KEY_PARAMETER": "/shobbak/prod/open311-api-key",
    "LOOKUP_HMAC_KEY_PARAMETER": "/shobbak/prod/lookup-hmac-key",
    "DOCUMENTS_BUCKET": "shobbak-prod-documents-123456789012",
    "PUBLIC_API_URL_PARAMETER": "/shobbak/prod/public-url",
}


def test_a_complete_deployment_misses_nothing() -> None:
    assert missing_deployment_settings(COMPLETE) == []


@pytest.mark.parametrize(
    ("name", "value"),
    [("PAYMOB_INTEGRATION_ID", ""), ("PAYMOB_IFRAME_ID", "SET-THE-PAYMOB-IFRAME-ID"), ("PAYMOB_IFRAME_ID", "12a"),
     ("STAFF_TOKEN_AUDIENCE", "  "), ("VOICE_ORIGINATION_IDENTITY", "set-me")],
)  # fmt: skip
def test_an_empty_placeholder_or_malformed_value_is_missing(name: str, value: str) -> None:
    assert missing_deployment_settings({**COMPLETE, name: value}) == [name]


@pytest.mark.parametrize(
    ("name", "value"), [("FAWRY_SECURE_KEY", "key"), ("PUBLIC_API_URL", "https://shobbak.giza.gov.eg")]
)
def test_a_secret_or_the_public_address_may_be_given_itself_or_by_its_parameter_but_not_left_out(
    name: str, value: str
) -> None:
    without = {key: given for key, given in COMPLETE.items() if key != f"{name}_PARAMETER"}

    assert missing_deployment_settings(without) == [name]
    assert missing_deployment_settings({**without, name: value}) == []
    assert missing_deployment_settings({**without, f"{name}_PARAMETER": "SET-ME"}) == [name]


def test_in_lambda_a_missing_value_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "shobbak-prod-citizen-api")
    for name, value in COMPLETE.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PAYMOB_INTEGRATION_ID")

    with pytest.raises(IncompleteDeployment, match="PAYMOB_INTEGRATION_ID"):
        require_deployment_settings()


def test_off_lambda_nothing_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    monkeypatch.setenv("SHOBBAK_STAGE", "prod")

    require_deployment_settings()


def _import_app(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    kept = {name: value for name, value in os.environ.items() if name not in COMPLETE}
    return subprocess.run(
        [sys.executable, "-c", "import app"], cwd=PROJECT, env={**kept, **environment},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_handler_module_refuses_to_load_in_lambda_without_its_values() -> None:
    in_lambda = {"AWS_LAMBDA_FUNCTION_NAME": "shobbak-prod-citizen-api"}
    incomplete = {**COMPLETE, "VOICE_ORIGINATION_IDENTITY": ""}

    refused = _import_app({**in_lambda, **incomplete})
    started = _import_app({**in_lambda, **COMPLETE})

    assert refused.returncode != 0
    assert "IncompleteDeployment" in refused.stderr
    assert "VOICE_ORIGINATION_IDENTITY" in refused.stderr
    assert started.returncode == 0, started.stderr
