"""The packaged template deployed as a person would deploy it, into moto's CloudFormation.

`make package` leaves a SAM template (build/<stage>/sam.yaml) and its code (deployment.zip).
A person uploads the zip (`aws cloudformation package`, docs/runbook.md section 2), which turns
every function's CodeUri into an S3 location, and CloudFormation runs AWS's SAM transform before
it creates anything. moto's CloudFormation has no transform, so `expand` runs the same one, AWS's
own translator (aws-sam-translator), on the template with its code in a (moto) bucket, and the
plain CloudFormation it returns is what gets deployed: the template's own resources, not a copy
rebuilt for the test.

moto's CloudFormation does not create every type (it logs "No Moto CloudFormation support" and
leaves the resource out), and a reference to such a resource (`!GetAtt Alarm.Arn` in a dashboard,
the distribution's domain in an output) then fails the whole stack although nothing is wrong with
the template. `moto_gaps()` stands in for those resources with `NotEmulated`: nothing is created,
a Ref or GetAtt of one answers a value that says so, and each is recorded, so that a test can
name exactly what moto left out instead of pretending it was deployed. It also puts right the
properties moto 5.2.5 mishandles on types it does create (`_mended`: each says how), always by
the AWS API moto itself offers, so that the APIs answer what CloudFormation would have made.

CloudFormation checks a stack's parameters and Rules before it creates anything; moto checks
neither, so `create_stack` does (`refusals`).
"""

from __future__ import annotations

import contextlib
import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

NOT_EMULATED = "not-emulated-by-moto"


def with_code_in(sam: dict[str, Any], bucket: str, key: str) -> dict[str, Any]:
    """The SAM template with every function's CodeUri at s3://bucket/key, as `aws cloudformation
    package` leaves it after uploading the zip that `make package` made (one zip, every function)."""
    packaged = copy.deepcopy(sam)
    for resource in packaged["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = f"s3://{bucket}/{key}"
    return packaged


def expand(sam: dict[str, Any], parameters: dict[str, str], iam: Any, region: str) -> dict[str, Any]:
    """Plain CloudFormation from the SAM template, by AWS's own SAM translator (the transform
    CloudFormation runs in `region`), given the parameters the stack is created with. `iam`
    answers the translator's question about AWS managed policy names (moto's IAM knows them)."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
    from samtranslator.translator.translator import Translator

    loader = ManagedPolicyLoader(iam)
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=region))
    return translator.translate(copy.deepcopy(sam), dict(parameters), get_managed_policy_map=loader.load)


@dataclass
class Gaps:
    """What moto's CloudFormation could not create while `moto_gaps()` was open: logical id to
    type, and to the properties moto resolved for it (references to what it did create, as
    CloudFormation would have passed them on; no API received them)."""

    skipped: dict[str, str] = field(default_factory=dict)
    resolved: dict[str, dict[str, Any]] = field(default_factory=dict)


@contextmanager
def moto_gaps() -> Iterator[Gaps]:
    """Inside it, a resource type moto's CloudFormation cannot create is recorded in the Gaps it
    yields and stood in for by NotEmulated (so that a reference to it does not fail the stack),
    and what moto's CloudFormation gets wrong or drops from the types it does create is put
    right (`_mended`). Everything it changes is put back on leaving."""
    from moto.cloudformation import parsing
    from moto.core.common_models import CloudFormationModel

    gaps = Gaps()

    class NotEmulated(CloudFormationModel):
        """A resource moto's CloudFormation does not create: nothing exists behind it."""

        def __init__(self, logical_id: str) -> None:
            self.logical_id = logical_id

        @property
        def physical_resource_id(self) -> str:
            return f"{NOT_EMULATED}-{self.logical_id}"

        @staticmethod
        def cloudformation_type() -> str:
            return "Shobbak::Test::NotEmulatedByMoto"

        @classmethod
        def has_cfn_attr(cls, attr: str) -> bool:
            return True

        def get_cfn_attribute(self, attribute_name: str) -> str:
            return f"{NOT_EMULATED}-{self.logical_id}.{attribute_name}"

        @classmethod
        def create_from_cloudformation_json(  # type: ignore[override]
            cls, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
        ) -> NotEmulated:
            gaps.skipped[kwargs["LogicalId"]] = kwargs["ResourceType"]
            gaps.resolved[kwargs["LogicalId"]] = cloudformation_json.get("Properties", {})
            return cls(kwargs["LogicalId"])

    moto_class_for = parsing.resource_class_from_type

    def class_for(resource_type: str) -> Any:
        found = moto_class_for(resource_type)
        if found is None and resource_type not in parsing.NULL_MODELS:
            return NotEmulated
        return found

    originals = {model: model.__dict__["create_from_cloudformation_json"] for model in _mended_models()}
    parsing.resource_class_from_type = class_for
    for model, moto_create in originals.items():
        model.create_from_cloudformation_json = classmethod(_mended(moto_create.__func__))
    try:
        yield gaps
    finally:
        parsing.resource_class_from_type = moto_class_for
        for model, moto_create in originals.items():
            model.create_from_cloudformation_json = moto_create


def _mended_models() -> list[type]:
    from moto.apigateway.models import RestAPI
    from moto.awslambda.models import LambdaFunction
    from moto.dynamodb.models.table import Table
    from moto.iam.models import Role
    from moto.kms.models import Key
    from moto.logs.models import LogGroup
    from moto.ssm.models import Parameter

    return [Key, LambdaFunction, LogGroup, Parameter, RestAPI, Role, Table]


def _mended(moto_create: Any) -> Any:
    """moto's create_from_cloudformation_json, with what moto 5.2.5 gets wrong or drops put right:
    - AWS::KMS::Key: CloudFormation's tags are {Key, Value}, which moto hands to the KMS API's
      tagger (it wants {TagKey, TagValue}): a KeyError that moto reports as "Fn::GetAtt references
      undefined resource OperationsKey". Its KeyPolicy (an object) is stored as the API stores
      policies, a JSON string, so that GetKeyPolicy answers one.
    - AWS::ApiGateway::RestApi: CloudFormation names it from its Body's info.title and imports the
      Body's routes; moto wants a Name and ignores the Body. moto's own import (put_rest_api)
      reads paths, methods and integrations but refuses Swagger 2.0 (which Chalice writes, and
      whose parts moto reads are the same in OpenAPI 3), so the Body is imported as OpenAPI 3.
    - AWS::DynamoDB::Table: moto ignores PointInTimeRecoverySpecification (applied here through
      moto's own UpdateContinuousBackups, as CloudFormation applies it) and reads SSESpecification
      by the API's key (Enabled) rather than CloudFormation's (SSEEnabled); a customer key
      (KMSMasterKeyId) is kept, so that DescribeTable names it.
    - AWS::Lambda::Function: moto passes a handful of properties to its Lambda and drops
      TracingConfig, which its Lambda does model (its CreateFunction takes it): it is set.
    - AWS::IAM::Role: moto stores an inline policy's document (an object) as Python's repr of it,
      which GetRolePolicy then answers; it is stored as the JSON the API takes.
    - AWS::Logs::LogGroup: moto reads the key by the API's name (kmsKeyId), not CloudFormation's
      (KmsKeyId), and so drops it.
    - AWS::SSM::Parameter: CloudFormation's Tags are a map of key to value; moto hands them to its
      PutParameter, which wants the API's list of {Key, Value} (a TypeError that fails the stack).
    """

    def create(
        cls: type, resource_name: str, cloudformation_json: Any, account_id: str, region_name: str, **kwargs: Any
    ) -> Any:
        properties = cloudformation_json["Properties"]
        kind = kwargs["ResourceType"]
        if kind == "AWS::KMS::Key":
            properties["Tags"] = [
                {"TagKey": tag["Key"], "TagValue": tag["Value"]} for tag in properties.get("Tags", [])
            ]
            if isinstance(properties.get("KeyPolicy"), dict):
                properties["KeyPolicy"] = json.dumps(properties["KeyPolicy"])
        if kind == "AWS::DynamoDB::Table" and "SSEEnabled" in properties.get("SSESpecification", {}):
            given = properties["SSESpecification"]
            properties["SSESpecification"] = {"Enabled": given["SSEEnabled"]}
            if "KMSMasterKeyId" in given:
                properties["SSESpecification"]["KMSMasterKeyId"] = given["KMSMasterKeyId"]
        if kind == "AWS::IAM::Role":
            for policy in properties.get("Policies", []):
                if isinstance(policy["PolicyDocument"], dict):
                    policy["PolicyDocument"] = json.dumps(policy["PolicyDocument"])
        if kind == "AWS::SSM::Parameter" and isinstance(properties.get("Tags"), dict):
            properties["Tags"] = [{"Key": key, "Value": value} for key, value in properties["Tags"].items()]
        if kind == "AWS::Logs::LogGroup" and "KmsKeyId" in properties:
            properties["kmsKeyId"] = properties.pop("KmsKeyId")
        if kind == "AWS::ApiGateway::RestApi" and "Body" in properties:
            properties.setdefault("Name", properties["Body"]["info"]["title"])
        created = moto_create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        if kind == "AWS::ApiGateway::RestApi" and "Body" in properties:
            from moto.apigateway.models import apigateway_backends

            backend = apigateway_backends[account_id][region_name]
            backend.put_rest_api(created.id, _as_moto_imports(properties["Body"]), fail_on_warnings=False)
        if kind == "AWS::Lambda::Function" and "TracingConfig" in properties:
            created.tracing_config = dict(properties["TracingConfig"])
        if kind == "AWS::DynamoDB::Table" and "PointInTimeRecoverySpecification" in properties:
            from moto.dynamodb.models import dynamodb_backends

            backend = dynamodb_backends[account_id][region_name]
            backend.update_continuous_backups(created.name, dict(properties["PointInTimeRecoverySpecification"]))
        return created

    return create


def _as_moto_imports(swagger: dict[str, Any]) -> dict[str, Any]:
    """The Swagger 2.0 body as moto's OpenAPI 3 import reads it: the same paths and integrations,
    the CORS preflights' mock integrations given the (empty) uri and method moto insists on."""
    body = {key: value for key, value in copy.deepcopy(swagger).items() if key != "swagger"} | {"openapi": "3.0.1"}
    for path in body["paths"].values():
        for method, operation in path.items():
            integration = operation.get("x-amazon-apigateway-integration", {})
            if integration.get("type") == "mock":
                integration.setdefault("uri", "")
                integration.setdefault("httpMethod", method.upper())
    return body


def refusals(template: dict[str, Any], parameters: dict[str, str], region: str) -> list[str]:
    """Why CloudFormation would refuse these parameters before creating anything, which moto does
    not check: a parameter without a default not given, a value outside AllowedValues, not
    matching AllowedPattern (the whole value), MinLength or MaxLength, and each Rules assertion
    that fails."""
    import re

    found = []
    values = {name: parameters.get(name, spec.get("Default")) for name, spec in template.get("Parameters", {}).items()}
    values["AWS::Region"] = region
    for name, spec in template.get("Parameters", {}).items():
        value = values[name]
        if value is None:
            found.append(f"{name}: not given and no default")
            continue
        value = str(value)  # a Number's default is written as a number; CloudFormation takes strings
        if "AllowedValues" in spec and value not in spec["AllowedValues"]:
            found.append(f"{name}: {value!r} not in {spec['AllowedValues']}")
        if "AllowedPattern" in spec and not re.fullmatch(spec["AllowedPattern"], value):
            found.append(f"{name}: does not match {spec['AllowedPattern']}")
        if not int(spec.get("MinLength", 0)) <= len(value) <= int(spec.get("MaxLength", len(value))):
            found.append(f"{name}: shorter than MinLength or longer than MaxLength")
    if found:
        return found
    for name, rule in template.get("Rules", {}).items():
        if "RuleCondition" in rule and not _rule_value(rule["RuleCondition"], values):
            continue
        for assertion in rule["Assertions"]:
            if not _rule_value(assertion["Assert"], values):
                found.append(f"{name}: {assertion.get('AssertDescription', 'assertion failed')}")
    return found


def _rule_value(node: Any, values: dict[str, Any]) -> Any:
    """A Rules expression's value (the rule functions the templates use), over parameter values."""
    if not isinstance(node, dict):
        return node
    ((function, argument),) = node.items()
    if function == "Ref":
        return values[argument]
    arguments = [_rule_value(item, values) for item in argument]
    if function == "Fn::Equals":
        return arguments[0] == arguments[1]
    if function == "Fn::Not":
        return not arguments[0]
    if function == "Fn::And":
        return all(arguments)
    if function == "Fn::Or":
        return any(arguments)
    if function == "Fn::Contains":
        return arguments[1] in arguments[0]
    raise ValueError(f"rule function {function} is not evaluated here")


class StackFailed(Exception):
    """CloudFormation did not reach CREATE_COMPLETE; the message holds every failed resource's reason."""


def create_stack(
    cloudformation: Any, name: str, template: dict[str, Any] | str, parameters: dict[str, str]
) -> dict[str, str]:
    """Creates the stack as `aws cloudformation deploy` would (with the capabilities the runbook
    gives) and returns its outputs; raises StackFailed when CloudFormation would refuse the
    parameters (`refusals`) or the stack does not reach CREATE_COMPLETE."""
    from botocore.exceptions import WaiterError

    if isinstance(template, str):
        from cfnlint.decode import cfn_yaml

        body, parsed = template, json.loads(json.dumps(cfn_yaml.loads(template), default=str))
    else:
        body, parsed = json.dumps(template), template
    refused = refusals(parsed, parameters, cloudformation.meta.region_name)
    if refused:
        raise StackFailed(f"{name}: CloudFormation would refuse the parameters: {refused}")
    cloudformation.create_stack(
        StackName=name,
        TemplateBody=body,
        Parameters=[{"ParameterKey": key, "ParameterValue": value} for key, value in parameters.items()],
        Capabilities=["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
    )
    # moto in process creates before it answers; the moto server need not. On a failure the
    # status and the failed resources' reasons (below) say more than the waiter's error.
    with contextlib.suppress(WaiterError):
        cloudformation.get_waiter("stack_create_complete").wait(StackName=name, WaiterConfig={"Delay": 1})
    stack = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    if stack["StackStatus"] != "CREATE_COMPLETE":
        events = cloudformation.describe_stack_events(StackName=name)["StackEvents"]
        reasons = [f"{event['LogicalResourceId']}: {event.get('ResourceStatusReason')}"
                   for event in events if event["ResourceStatus"].endswith("FAILED")]  # fmt: skip
        raise StackFailed(f"{name} is {stack['StackStatus']}: {stack.get('StackStatusReason')}; {reasons}")
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
