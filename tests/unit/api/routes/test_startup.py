"""The startup guard (chalicelib/api/routes/startup.py) as one process sees it: a GuardedBlueprint's
event handlers and authorizer check the stage on every invocation, with no app.py around them.
That every packaged function starts guarded and traced is tested on the deployment package, in
tests/integration/infra/test_every_function_starts_guarded.py."""

from __future__ import annotations

from typing import Any

import pytest
from chalice import Blueprint

from chalicelib.api.routes.startup import GuardedBlueprint, known_stage
from chalicelib.config import LAMBDA_FUNCTION_NAME, UnknownStage

EVENT = {
    "version": "0", "id": "1", "detail-type": "Object Created", "source": "aws.s3", "account": "123456789012",
    "time": "2025-01-01T00:00:00Z", "region": "eu-west-1", "resources": [], "detail": {"size": 7},
}  # fmt: skip
TOKEN_REQUEST = {
    "type": "TOKEN",
    "authorizationToken": "Bearer x",
    "methodArn": "arn:aws:execute-api:eu-west-1:123456789012:api/v1/GET/v1/office/requests",
}


def blueprint_with_handlers(blueprint: Blueprint) -> tuple[Any, Any]:
    @blueprint.on_cw_event({"source": ["aws.s3"]}, name="arrived")
    def arrived(event: Any) -> dict[str, int]:
        return {"size": event.detail["size"]}

    @blueprint.authorizer()
    def staff(auth_request: Any) -> dict[str, str]:
        return {"token": auth_request.token}

    return arrived, staff


@pytest.fixture
def in_lambda(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv(LAMBDA_FUNCTION_NAME, "shobbak-prod-document_arrived")
    monkeypatch.delenv("SHOBBAK_STAGE", raising=False)
    return monkeypatch


def test_off_lambda_the_handlers_run_as_written() -> None:
    arrived, staff = blueprint_with_handlers(GuardedBlueprint("guarded"))

    assert arrived(EVENT, None) == {"size": 7}
    assert staff(TOKEN_REQUEST, None) == {"token": "Bearer x"}


@pytest.mark.parametrize("named", [None, "local"], ids=["no-stage", "local-stage"])
def test_in_lambda_an_event_handler_refuses_to_run_without_a_deployed_stage(
    in_lambda: pytest.MonkeyPatch, named: str | None
) -> None:
    arrived, _ = blueprint_with_handlers(GuardedBlueprint("guarded"))
    if named:
        in_lambda.setenv("SHOBBAK_STAGE", named)

    with pytest.raises(UnknownStage):
        arrived(EVENT, None)


def test_in_lambda_the_authorizer_refuses_to_run_without_its_stage(in_lambda: pytest.MonkeyPatch) -> None:
    """Chalice runs no middleware around an authorizer: the GuardedBlueprint wraps it itself."""
    _, staff = blueprint_with_handlers(GuardedBlueprint("guarded"))

    with pytest.raises(UnknownStage):
        staff(TOKEN_REQUEST, None)


def test_in_lambda_with_its_stage_every_handler_runs(in_lambda: pytest.MonkeyPatch) -> None:
    arrived, staff = blueprint_with_handlers(GuardedBlueprint("guarded"))
    in_lambda.setenv("SHOBBAK_STAGE", "prod")

    assert arrived(EVENT, None) == {"size": 7}
    assert staff(TOKEN_REQUEST, None) == {"token": "Bearer x"}


def test_a_plain_blueprint_registered_by_no_app_runs_unguarded(in_lambda: pytest.MonkeyPatch) -> None:
    """Why event functions need a GuardedBlueprint: a plain one, outside app.py, checks nothing."""
    arrived, _ = blueprint_with_handlers(Blueprint("plain"))

    assert arrived(EVENT, None) == {"size": 7}


def test_known_stage_passes_the_event_on_and_checks_the_stage_each_time(in_lambda: pytest.MonkeyPatch) -> None:
    in_lambda.setenv("SHOBBAK_STAGE", "prod")
    assert known_stage("event", lambda event: f"answered {event}") == "answered event"

    in_lambda.delenv("SHOBBAK_STAGE")
    with pytest.raises(UnknownStage):
        known_stage("event", lambda event: f"answered {event}")
