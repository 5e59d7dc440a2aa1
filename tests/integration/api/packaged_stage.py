"""The API as the packaged stage runs it (issue 22: any route that answers 500 under the packaged
stage's settings fails a test; issue 23: no 5xx under them).

The local stage's tests run with .chalice/config.json's local variables. Here each route runs
with the environment the packaged template (build/dev/sam.yaml, made by `make package`) gives
the function serving it, read as the startup-guard test reads it (tests/packaged_environment.py),
and with what Lambda adds (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION): each function's cold start
runs the startup guard under its environment, and the stage's own table names and the secrets
from Parameter Store apply to every call. Against the moto stack, which
also holds that stage's tables and buckets (infra/resources.yaml deployed for it), its staff pool
(infra/staff-pool.yaml, made by tools/local/staff_pool.py), the exports the template imports from
the pool's stack, and the parameters the template names. The IAM enforcement judges these calls
against the roles as that stage resolves them (tests/iam_enforcement.py).

Staff keys: the template gives the pool's JWKS URL, which PyJWT fetches with urllib. moto answers
Cognito's URLs for `requests` only, so a urllib HTTPS handler hands those of cognito-idp to moto
(the transport, as moto intercepts botocore's; the token check itself runs unchanged).
"""

from __future__ import annotations

import io
import json
import os
import re
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import boto3
import pytest
import requests
import yaml
from chalice.test import Client

from app import app
from chalicelib.adapters.secrets import LOCAL_DEFAULTS
from chalicelib.api.openapi.schemas import EXAMPLE_APPLICATION
from chalicelib.config import require_deployment_settings
from chalicelib.domain.staff import Role
from tests.conftest import TEST_REGION, local_stage_environment
from tests.iam_enforcement import Template
from tests.integration.infra.conftest import packaged
from tests.packaged_environment import function_name, template_variables
from tools.local.resources import deploy_resources
from tools.local.staff_pool import STAFF_POOL_TEMPLATE, LocalPool, create_pool, local_pool_environment
from tools.local.staff_token import SigningKey, mint_token
from tools.testing import aws_call_recorder

PACKAGED_STAGE = "dev"
PUBLIC_URL = "https://d111111abcdef8.cloudfront.net"  # the distribution's, as the runbook stores it
COGNITO_HOST = re.compile(r"^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$")


def staff_pool_exports(pool: LocalPool, stage: str) -> dict[str, str]:
    """What infra/staff-pool.yaml's stack exports, by export name, for the pool made in moto."""
    from cfnlint.decode import cfn_yaml

    template = cfn_yaml.load(str(STAFF_POOL_TEMPLATE))
    kinds = {logical: resource["Type"] for logical, resource in template["Resources"].items()}
    physical = {
        logical: pool.pool_id if kind == "AWS::Cognito::UserPool" else pool.client_id
        for logical, kind in kinds.items()
        if kind in ("AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient")
    }
    pool_arn = f"arn:aws:cognito-idp:{pool.region}:{aws_call_recorder.ACCOUNT}:userpool/{pool.pool_id}"
    exports = {}
    for output in template["Outputs"].values():
        if "Export" not in output:
            continue
        name = output["Export"]["Name"]["Fn::Sub"].replace("${Stage}", stage)
        value = output["Value"]
        if "Ref" in value:
            exports[name] = physical[value["Ref"]]
        elif "Fn::GetAtt" in value:
            assert kinds[value["Fn::GetAtt"][0]] == "AWS::Cognito::UserPool", value
            assert value["Fn::GetAtt"][1] == "Arn", value
            exports[name] = pool_arn
        else:
            text = value["Fn::Sub"].replace("${AWS::Region}", pool.region)
            exports[name] = re.sub(r"\$\{(\w+)\}", lambda found: physical[found[1]], text)
    return exports


class _CognitoThroughMoto(urllib.request.HTTPSHandler):
    """urllib's HTTPS, except that Cognito's addresses are answered by moto."""

    def https_open(self, req: urllib.request.Request) -> Any:
        if not COGNITO_HOST.match(req.host):
            return super().https_open(req)
        answer = requests.get(req.full_url, timeout=10)
        headers = Message()
        for name, value in answer.headers.items():
            headers[name] = value
        response = urllib.response.addinfourl(io.BytesIO(answer.content), headers, req.full_url, answer.status_code)
        response.msg = answer.reason
        return response


@dataclass
class PackagedStage:
    client: Client
    template: Template
    pool: LocalPool
    open311_api_key: str
    signing_key: SigningKey
    environments: dict[str, dict[str, str]]  # by function
    deployed: dict[str, str]  # physical ids by logical id, and the staff pool's exports by name

    def staff(self, role: str, district_code: str | None = None) -> dict[str, str]:
        """The headers of a member of staff signed in to this stage's pool."""
        token = mint_token(
            self.signing_key, Role(role), district_code, issuer=self.pool.issuer, audience=self.pool.client_id
        )
        return {"Authorization": f"Bearer {token}"}

    def request(self, method: str, template: str, url: str, headers: dict[str, str], body: bytes = b"") -> Any:
        """The route `method template` called at `url`, under the environment of the function serving it."""
        function = self.template.function(f"route {method} {template}")
        assert function is not None, f"no function of the packaged template serves {method} {template}"
        os.environ.update(self.environments[function])
        return self.client.http.request(method, url, headers=headers, body=body)

    def invoke(self, handler: str, event: dict[str, Any]) -> Any:
        """Event function `handler` (its Chalice name) invoked under its own environment."""
        (function,) = [n for h, n in self.template.by_handler.items() if h.rsplit(".", 1)[1] == handler]
        os.environ.update(self.environments[function])
        return self.client.lambda_.invoke(handler, event)


def issue(stage: PackagedStage) -> str:
    """A request filed through the stage, as the citizen portal files it: its tracking number."""
    answer = stage.request(
        "POST", "/v1/requests", "/v1/requests", {"Content-Type": "application/json"},
        json.dumps(EXAMPLE_APPLICATION).encode(),
    )  # fmt: skip
    assert answer.status_code == 201, answer.body
    return str(answer.json_body["tracking_number"])


def _functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template["Resources"].items() if r["Type"] == "AWS::Serverless::Function"}


@pytest.fixture(scope="session")
def packaged_template() -> dict[str, Any]:
    return yaml.safe_load(packaged(PACKAGED_STAGE).read_text(encoding="utf-8"))


@pytest.fixture
def packaged_stage(
    aws: None, packaged_template: dict[str, Any], signing_key: SigningKey, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PackagedStage]:
    stage = PACKAGED_STAGE
    cloudformation = boto3.client("cloudformation", region_name=TEST_REGION)
    deploy_resources(cloudformation, stage, boto3.client("s3", region_name=TEST_REGION))
    made = cloudformation.describe_stack_resources(StackName=f"shobbak-{stage}-resources")["StackResources"]
    given = {
        resource["LogicalResourceId"]: resource["PhysicalResourceId"]
        for resource in made
        if "LogicalResourceId" in resource
    }
    # The portal's bucket is another stack's (infra/portal.yaml), named by CloudFormation.
    given["PortalBucket"] = f"shobbak-{stage}-portalbucket-1a2b3c4d5e6f"
    boto3.client("s3", region_name=TEST_REGION).create_bucket(
        Bucket=given["PortalBucket"], CreateBucketConfiguration={"LocationConstraint": TEST_REGION}
    )
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    pool = create_pool(boto3.client("cognito-idp", region_name=TEST_REGION), stage)
    given.update(staff_pool_exports(pool, stage))
    # Kept after the test: the session's end judges this stage's calls by them (the same on every
    # deploy: named resources, and a pool whose id moto derives from its name).
    aws_call_recorder.deployed_values.setdefault(stage, {}).update(given)

    environments = {}
    for name, function in _functions(packaged_template).items():
        environments[name] = {
            **template_variables(packaged_template, stage, function, given),
            "AWS_LAMBDA_FUNCTION_NAME": function_name(packaged_template, stage, function),
            "AWS_REGION": TEST_REGION,
        }
    # Only what the template and Lambda give: none of the local stage's variables.
    for name in {*local_stage_environment(), "ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY"}:
        monkeypatch.delenv(name, raising=False)
    for variables in environments.values():
        for name in variables:
            monkeypatch.setenv(name, "")  # put back as it was after the test
    ssm = boto3.client("ssm", region_name=TEST_REGION)
    parameters = {
        variable.removesuffix("_PARAMETER"): value
        for variables in environments.values()
        for variable, value in variables.items()
        if variable.endswith("_PARAMETER")
    }
    for setting, parameter in parameters.items():
        value = LOCAL_DEFAULTS.get(setting, PUBLIC_URL).replace("local", stage)
        ssm.put_parameter(Name=parameter, Value=value, Type="SecureString", Overwrite=True)
    for variables in environments.values():  # each function's cold start: the startup guard, as Lambda's init runs it
        os.environ.update(variables)
        require_deployment_settings()
    monkeypatch.setattr(urllib.request, "build_opener", _with_cognito_through_moto(urllib.request.build_opener))

    with Client(app, stage_name=stage) as client:
        yield PackagedStage(
            client=client,
            template=Template(packaged_template, stage),
            pool=pool,
            open311_api_key=LOCAL_DEFAULTS["OPEN311_API_KEY"].replace("local", stage),
            signing_key=signing_key,
            environments=environments,
            deployed=given,
        )


def _with_cognito_through_moto(build_opener: Callable[..., Any]) -> Callable[..., Any]:
    def built(*handlers: Any) -> Any:
        return build_opener(*handlers, _CognitoThroughMoto())

    return built
