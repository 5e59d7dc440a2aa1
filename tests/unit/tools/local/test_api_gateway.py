"""chalice's local gateway answers its refusals as API Gateway answers them with infra/api.yaml's
GatewayResponses (tools/local/api_gateway.py)."""

from __future__ import annotations

import json

import pytest
from chalice.local import ForbiddenError, InvalidAuthorizerError, LocalGatewayException, NotAuthorizedError

from tools.local.api_gateway import GatewayRefusal, as_deployed, gateway_answers, response_type


def test_the_templates_gateway_responses_are_read_by_type() -> None:
    answers = gateway_answers()

    assert {"UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(
        answers
    )
    unauthorized = answers["UNAUTHORIZED"]
    assert unauthorized.status == 401
    assert unauthorized.headers["Content-Type"] == "application/json; charset=utf-8"
    assert unauthorized.headers["Cache-Control"] == "no-store"
    assert answers["MISSING_AUTHENTICATION_TOKEN"].status == 404


def test_each_of_chalices_refusals_stands_for_one_response_type() -> None:
    assert response_type(NotAuthorizedError({}, b"Unauthorized")) == "UNAUTHORIZED"
    assert response_type(ForbiddenError({}, b'{"Message": "User is not authorized"}')) == "ACCESS_DENIED"
    assert response_type(ForbiddenError({}, b"Missing Authentication Token")) == "MISSING_AUTHENTICATION_TOKEN"
    assert response_type(ForbiddenError({}, b"Authorization header requires 'Credential'")) == (
        "MISSING_AUTHENTICATION_TOKEN"
    )
    assert response_type(InvalidAuthorizerError({}, b"")) == "AUTHORIZER_FAILURE"
    with pytest.raises(ValueError, match="no API Gateway response type"):
        response_type(LocalGatewayException({}, b""))


def test_a_refusal_is_answered_with_the_templates_status_headers_and_body() -> None:
    answered = as_deployed(ForbiddenError({}, b"Missing Authentication Token"))
    template = gateway_answers()["MISSING_AUTHENTICATION_TOKEN"]

    assert isinstance(answered, GatewayRefusal)
    assert answered.CODE == 404
    assert answered.headers == dict(template.headers)
    assert answered.body == template.body.encode()
    assert "error" in json.loads(answered.body)  # one error shape, as the API's own errors


def test_a_type_without_an_answer_of_its_own_gets_its_default() -> None:
    answered = as_deployed(InvalidAuthorizerError({}, b""))  # a 500: DEFAULT_5XX
    default = gateway_answers()["DEFAULT_5XX"]

    assert (default.status or 500) == answered.CODE
    assert answered.body == default.body.encode()
