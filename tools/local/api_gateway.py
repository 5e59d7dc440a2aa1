"""API Gateway's own answers, as infra/api.yaml's GatewayResponses shape them, given by chalice's local
gateway too (the test client and `chalice local`).

API Gateway answers some requests without running the API: a staff token the authorizer refuses
(UNAUTHORIZED), an authorizer's deny (ACCESS_DENIED), a path or method the API does not have
(MISSING_AUTHENTICATION_TOKEN), an authorizer that fails (a 5XX). chalice's local gateway answers
those itself, in English (`{"message": "Unauthorized"}`). `install()` makes it answer what the
template says instead: status, headers and body are read from infra/api.yaml, never copied, so a
change there changes the local answers with it.

`python -m tools.local.api_gateway local --stage local …` is `chalice local …` with it installed
(tools/local/stack.py starts the local API so), answering without Nagle's delay (main()).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalice.local import (
    ForbiddenError,
    InvalidAuthorizerError,
    LocalGateway,
    LocalGatewayException,
    NotAuthorizedError,
)

from tools import PROJECT

API_TEMPLATE = PROJECT / "infra" / "api.yaml"
GATEWAY_RESPONSE_TYPE = "AWS::ApiGateway::GatewayResponse"
_HEADER_PARAMETER = "gatewayresponse.header."
# chalice's own words for a path it has no route for (with or without an Authorization header).
_NO_ROUTE_BODIES = (b"Missing Authentication Token", b"Authorization header requires")


@dataclass(frozen=True)
class GatewayAnswer:
    """One GatewayResponse: its status (None: the refusal's own, as DEFAULT_4XX/5XX keep it), headers, body."""

    status: int | None
    headers: Mapping[str, str]
    body: str


class GatewayRefusal(LocalGatewayException):
    """A refusal of chalice's local gateway, answered as the template's GatewayResponse for it."""

    def __init__(self, status: int, answer: GatewayAnswer) -> None:
        super().__init__(dict(answer.headers), answer.body.encode())
        self.CODE = status


@functools.cache
def gateway_answers() -> dict[str, GatewayAnswer]:
    """The template's GatewayResponses by ResponseType."""
    from tools.local.template_yaml import load_template  # a dev tool: the deployed code never reads templates

    template: dict[str, Any] = load_template(API_TEMPLATE)
    answers = {}
    for resource in template["Resources"].values():
        if resource.get("Type") != GATEWAY_RESPONSE_TYPE:  # RestAPI here only adds to what Chalice makes
            continue
        properties = resource["Properties"]
        headers = {
            name.removeprefix(_HEADER_PARAMETER): _static_value(value)
            for name, value in properties.get("ResponseParameters", {}).items()
        }
        status = properties.get("StatusCode")
        answers[properties["ResponseType"]] = GatewayAnswer(
            None if status is None else int(status), headers, properties["ResponseTemplates"]["application/json"]
        )
    return answers


def _static_value(value: str) -> str:
    """A header's value as API Gateway writes a static one: in single quotes. Anything else (a
    mapped value, `method.request.header.X`) this emulation cannot give, and says so."""
    if not (len(value) >= 2 and value[0] == value[-1] == "'"):
        raise ValueError(f"not a static gateway response header value: {value!r}")
    return value[1:-1]


def response_type(refused: LocalGatewayException) -> str:
    """Which of API Gateway's response types chalice's refusal stands for."""
    match refused:
        case NotAuthorizedError():
            return "UNAUTHORIZED"
        case ForbiddenError() if any(words in (refused.body or b"") for words in _NO_ROUTE_BODIES):
            return "MISSING_AUTHENTICATION_TOKEN"
        case ForbiddenError():
            return "ACCESS_DENIED"
        case InvalidAuthorizerError():
            return "AUTHORIZER_FAILURE"
    raise ValueError(f"no API Gateway response type for {type(refused).__name__}")


def as_deployed(refused: LocalGatewayException) -> LocalGatewayException:
    """The refusal as API Gateway answers it with the template's GatewayResponses: the type's own,
    else the DEFAULT_4XX or DEFAULT_5XX its status falls under, else chalice's answer unchanged."""
    answers = gateway_answers()
    default = "DEFAULT_5XX" if refused.CODE >= 500 else "DEFAULT_4XX"
    answer = answers.get(response_type(refused)) or answers.get(default)
    if answer is None:
        return refused
    return GatewayRefusal(answer.status or refused.CODE, answer)


def install() -> None:
    """Makes every LocalGateway (the test client's, chalice local's) answer as deployed. Once is enough."""
    original = LocalGateway.handle_request
    if getattr(original, "answers_as_deployed", False):
        return

    @functools.wraps(original)
    def handle_request(self: LocalGateway, *args: Any, **kwargs: Any) -> Any:
        try:
            return original(self, *args, **kwargs)
        except GatewayRefusal:
            raise
        except LocalGatewayException as refused:
            raise as_deployed(refused) from None

    handle_request.answers_as_deployed = True  # type: ignore[attr-defined]
    LocalGateway.handle_request = handle_request  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    """`chalice …` with the gateway's answers installed. chalice local's reloader starts the server
    again from sys.argv, which is made to name this module so that the restarted server has them too."""
    from chalice.cli import cli
    from chalice.local import ChaliceRequestHandler

    install()
    # chalice local writes the headers and the body apart. With Nagle's algorithm the body waited for
    # the client's acknowledgement of the headers, which a kept-alive connection (a browser's, a
    # requests session's) delays by 40 ms: 45 ms a request instead of 4. API Gateway answers at once.
    ChaliceRequestHandler.disable_nagle_algorithm = True
    sys.argv = [sys.executable, "-m", "tools.local.api_gateway", *argv]
    cli.main(args=argv, prog_name="chalice", obj={})


if __name__ == "__main__":
    main(sys.argv[1:])
