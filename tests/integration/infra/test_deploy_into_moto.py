"""The packaged template deployed into moto's CloudFormation as the runbook (section 2) deploys it,
for both stages, and what the stacks then hold asked of the AWS APIs, not read from the template.

Steps, as a person takes them: the staff pool's stack (infra/staff-pool.yaml, whose exports the
app's stack imports), the edge stack (infra/edge-waf.yaml) in us-east-1, the zip into an
artefacts bucket with every function's CodeUri pointed at it (`aws cloudformation package`),
AWS's SAM transform (tools/build/moto_deploy.py: moto has none), then the app's stack with every
parameter a person gives (prod with a portal domain of its own, dev with CloudFront's: one deploy
each way). Each stack must reach CREATE_COMPLETE, dev's and prod's side by side in
one account (the runbook allows it), and each test asks about its stage's resources only.

What moto 5.2.5's CloudFormation does not create (each stood in for by
tools/build/moto_deploy.NotEmulated so that a reference to it resolves; the lists are asserted, so a
moto that starts creating one of them fails here and the test can then ask its API):
- Cognito user pool, client and groups: the staff pool's exports carry stand-in ids, which the
  app's functions do receive through Fn::ImportValue (asserted: moto resolves it).
- CloudWatch alarms and log metric filters; SNS topic policies and subscriptions; S3 bucket
  policies; the API Gateway stage (so its throttling, tracing and access logs) and account; WAF
  web ACLs, their association and logging; the CloudFront distribution, its cache and
  response-headers policies, origin access control and function (its code is run under node by
  tests/integration/infra/test_portal_not_found.py); GuardDuty's malware protection plan.
  `!Ref RestAPI.Stage` is resolved by the SAM translator (to the stage resource RestAPI<Stage>Stage),
  which moto then stands in for.
None of these exists in moto, so none is asked of an API. What is checked of them is what moto
resolved their properties to, labelled so where it is: that every reference lands on something
the stack did create (alarms' actions and dimensions, metric filters' log groups, policies'
topics and buckets, the stage's throttled methods, the edge's rate rules' paths).
moto also drops properties of types it does create. Those it has an API for are applied by
tools/build/moto_deploy (_mended: table PITR and encryption, log group keys, function tracing, role
policies as JSON, KMS key tags and policy, SSM parameter tags, the API's routes from its body)
and asserted here;
those it does not model are not asserted here: a function's DeadLetterConfig, a role's
ManagedPolicyArns, a bucket's encryption, versioning and public access block. A log group's
Arn in moto lacks CloudFormation's trailing ":*". tests/integration/infra/test_packaged_template.py holds
all of these to the packaged template itself.
moto checks neither parameters (patterns, allowed values) nor Rules: tools/build/moto_deploy.refusals
does, as CloudFormation does before creating, and the runbook's own first deploy is held to it.
Nothing here changes the template that is deployed.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import yaml
from botocore.exceptions import ClientError
from moto import mock_aws

from chalicelib.config import missing_deployment_settings
from tests.conftest import PROJECT, TEST_REGION
from tests.integration.infra.conftest import STAGES, packaged
from tools.build.moto_deploy import NOT_EMULATED, Gaps, create_stack, expand, moto_gaps, refusals, with_code_in

ACCOUNT = "123456789012"  # moto's
EDGE_REGION = "us-east-1"  # CloudFront takes web ACLs from there only
ARTEFACTS = "shobbak-artefacts"
# What a person passes to `aws cloudformation deploy --parameter-overrides` (runbook section 2).
GIVEN = {
    "WebAclArn": f"arn:aws:wafv2:us-east-1:{ACCOUNT}:global/webacl/shobbak-edge/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    "OriginVerifySecret": "5f4dcc3b5aa765d61d8327deb882cf995f4dcc3b5aa765d61d8327deb882cf99",
    "PaymobIntegrationId": "4512345",
    "PaymobIframeId": "812345",
    "PaymobMerchantId": "1023456",
    "VoiceOriginationIdentity": "+20235678901",
    "WhatsAppPhoneNumberId": "phone-number-id-0123456789abcdef0123456789abcdef",
    "AlertEmail": "oncall@giza.gov.eg",
}
# prod is deployed with a portal domain of its own, dev with CloudFront's: one deploy each, both
# ways the stack writes the public address the functions read (PublicUrlParameter).
PORTAL_DOMAIN = "shobbak.giza.gov.eg"
CERTIFICATE = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
OWN_DOMAIN = {"dev": {}, "prod": {"PortalDomainName": PORTAL_DOMAIN, "PortalCertificateArn": CERTIFICATE}}
STAFF_POOL_NOT_EMULATED = {"AWS::Cognito::UserPool", "AWS::Cognito::UserPoolClient", "AWS::Cognito::UserPoolGroup"}
EDGE_NOT_EMULATED = {"AWS::WAFv2::WebACL", "AWS::WAFv2::LoggingConfiguration"}
APP_NOT_EMULATED = {
    "AWS::CloudWatch::Alarm", "AWS::Logs::MetricFilter", "AWS::SNS::TopicPolicy", "AWS::SNS::Subscription",
    "AWS::S3::BucketPolicy", "AWS::ApiGateway::Stage", "AWS::ApiGateway::Account", "AWS::WAFv2::WebACL",
    "AWS::WAFv2::WebACLAssociation", "AWS::CloudFront::Distribution", "AWS::CloudFront::CachePolicy",
    "AWS::CloudFront::ResponseHeadersPolicy", "AWS::CloudFront::OriginAccessControl", "AWS::CloudFront::Function",
    "AWS::GuardDuty::MalwareProtectionPlan", "AWS::ApiGateway::GatewayResponse",
}  # fmt: skip


@dataclass
class Deployment:
    stage: str
    template: dict[str, Any]  # the app's template as the SAM transform expanded it
    outputs: dict[str, str]
    physical: dict[str, str]  # logical id to what moto created
    exports: dict[str, str]
    not_emulated: dict[str, dict[str, str]]  # stack to {logical id: type}
    resolved: dict[str, dict[str, Any]]  # the not emulated resources' properties, as moto resolved them

    def client(self, service: str, region: str = TEST_REGION) -> Any:
        return boto3.client(service, region_name=region)

    def of_type(self, kind: str) -> dict[str, dict[str, Any]]:
        return {name: resource for name, resource in self.template["Resources"].items() if resource["Type"] == kind}

    def created(self, kind: str) -> dict[str, str]:
        """Logical id to physical id of every resource of this type that moto created."""
        return {name: self.physical[name] for name in self.of_type(kind)}

    def event_source_mappings(self) -> list[dict[str, Any]]:
        """The stage's own (the other stage's stack is in the same account)."""
        listed = [self.client("lambda").list_event_source_mappings(FunctionName=function)["EventSourceMappings"]
                  for function in self.created("AWS::Lambda::Function").values()]  # fmt: skip
        return [mapping for mappings in listed for mapping in mappings]


@pytest.fixture(scope="module")
def account() -> Iterator[dict[str, Deployment]]:
    """dev and prod deployed into one account, as the runbook allows (names must not collide),
    each stage's stacks in the runbook's order; moto stays up while the module's tests ask it."""
    with mock_aws(), moto_gaps() as gaps:
        s3 = boto3.client("s3", region_name=TEST_REGION)
        s3.create_bucket(Bucket=ARTEFACTS, CreateBucketConfiguration={"LocationConstraint": TEST_REGION})
        yield {stage: _deploy(stage, gaps) for stage in STAGES}


def _deploy(stage: str, gaps: Gaps) -> Deployment:
    cloudformation = boto3.client("cloudformation", region_name=TEST_REGION)
    not_emulated = {}
    staff_pool = (PROJECT / "infra" / "staff-pool.yaml").read_text(encoding="utf-8")
    create_stack(cloudformation, f"shobbak-{stage}-staff", staff_pool, {"Stage": stage})
    not_emulated["staff"], gaps.skipped = gaps.skipped, {}
    edge = boto3.client("cloudformation", region_name=EDGE_REGION)
    create_stack(edge, f"shobbak-{stage}-edge", (PROJECT / "infra" / "edge-waf.yaml").read_text(), {"Stage": stage})
    not_emulated["edge"], gaps.skipped = gaps.skipped, {}

    s3 = boto3.client("s3", region_name=TEST_REGION)
    s3.upload_file(str(packaged(stage).parent / "deployment.zip"), ARTEFACTS, f"{stage}/deployment.zip")
    parameters = {"Stage": stage, **GIVEN, **OWN_DOMAIN[stage]}
    sam = yaml.safe_load(packaged(stage).read_text(encoding="utf-8"))
    code_in_s3 = with_code_in(sam, ARTEFACTS, f"{stage}/deployment.zip")
    template = expand(code_in_s3, parameters, boto3.client("iam", region_name=TEST_REGION), TEST_REGION)
    outputs = create_stack(cloudformation, f"shobbak-{stage}", template, parameters)
    not_emulated["app"] = gaps.skipped
    deployment = Deployment(
        stage=stage,
        template=template,
        outputs=outputs,
        physical={
            resource["LogicalResourceId"]: resource.get("PhysicalResourceId", "")
            for resource in cloudformation.describe_stack_resources(StackName=f"shobbak-{stage}")["StackResources"]
        },
        exports={export["Name"]: export["Value"] for export in cloudformation.list_exports()["Exports"]},
        not_emulated=not_emulated,
        resolved=gaps.resolved,
    )
    gaps.skipped, gaps.resolved = {}, {}
    return deployment


@pytest.fixture(scope="module", params=STAGES)
def deployed(account: dict[str, Deployment], request: pytest.FixtureRequest) -> Deployment:
    return account[request.param]


def test_every_stack_is_created_and_moto_leaves_out_only_the_types_listed(deployed: Deployment) -> None:
    stacks = boto3.client("cloudformation", region_name=TEST_REGION).describe_stacks()["Stacks"]
    statuses = {stack["StackName"]: stack["StackStatus"] for stack in stacks}
    # Both stages side by side in one account: no name of one collides with the other's.
    assert statuses == {f"shobbak-{stage}{stack}": "CREATE_COMPLETE" for stage in STAGES for stack in ("", "-staff")}
    assert set(deployed.not_emulated["staff"].values()) == STAFF_POOL_NOT_EMULATED
    assert set(deployed.not_emulated["edge"].values()) == EDGE_NOT_EMULATED
    assert set(deployed.not_emulated["app"].values()) == APP_NOT_EMULATED
    # Everything else in the expanded template was created by moto, under a real identifier.
    for name, resource in deployed.template["Resources"].items():
        if name not in deployed.not_emulated["app"]:
            assert NOT_EMULATED not in deployed.physical[name], (name, resource["Type"])


def test_the_sam_transform_leaves_plain_cloudformation(deployed: Deployment) -> None:
    kinds = {resource["Type"] for resource in deployed.template["Resources"].values()}
    assert not any(kind.startswith("AWS::Serverless::") for kind in kinds), kinds
    assert "Transform" not in deployed.template


def test_every_function_exists_traced_with_a_role_of_its_own(deployed: Deployment) -> None:
    lambda_, iam = deployed.client("lambda"), deployed.client("iam")
    functions = deployed.created("AWS::Lambda::Function")
    configurations = {name: lambda_.get_function(FunctionName=physical)["Configuration"]
                      for name, physical in functions.items()}  # fmt: skip
    roles = {name: configuration["Role"] for name, configuration in configurations.items()}

    assert len(functions) >= 13
    assert len(set(roles.values())) == len(roles), roles
    for name, role_arn in roles.items():
        role = iam.get_role(RoleName=role_arn.rsplit("/", 1)[1])["Role"]
        trusted = [statement["Principal"] for statement in role["AssumeRolePolicyDocument"]["Statement"]]
        assert trusted == [{"Service": "lambda.amazonaws.com"}], name
        assert iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"], name
        assert configurations[name]["TracingConfig"] == {"Mode": "Active"}, name


def test_each_function_reserves_its_stages_concurrency_within_the_quota(deployed: Deployment) -> None:
    lambda_ = deployed.client("lambda")
    concurrency = deployed.template["Mappings"]["Concurrency"][deployed.stage]
    reserved = {}
    for name, physical in deployed.created("AWS::Lambda::Function").items():
        reserved[name] = lambda_.get_function_concurrency(FunctionName=physical)["ReservedConcurrentExecutions"]
        declared = deployed.template["Resources"][name]["Properties"]["ReservedConcurrentExecutions"]["Fn::FindInMap"]
        assert reserved[name] == concurrency[declared[2]], name

    assert sum(reserved.values()) <= 1000 - 100  # Lambda's default quota, of which 100 must stay unreserved
    assert reserved["OfficeAPIHandler"] > 0
    assert reserved["PaymentCallbacksHandler"] > 0


def test_every_function_is_configured_without_placeholders(deployed: Deployment) -> None:
    """Every setting from parameters, the stack's own resources and the staff pool's exports (moto
    resolves Fn::ImportValue), nothing left as SET-…, nothing a deployed function would refuse."""
    lambda_ = deployed.client("lambda")
    for name, physical in deployed.created("AWS::Lambda::Function").items():
        environment = lambda_.get_function(FunctionName=physical)["Configuration"]["Environment"]["Variables"]
        assert missing_deployment_settings(environment) == [], name
        assert not [key for key, value in environment.items() if not value or value.upper().startswith("SET-")], name
        assert environment["SHOBBAK_STAGE"] == deployed.stage
        assert environment["PAYMOB_INTEGRATION_ID"] == GIVEN["PaymobIntegrationId"]
        assert "PUBLIC_API_URL" not in environment  # read from its parameter, by name
        assert environment["PUBLIC_API_URL_PARAMETER"] == deployed.physical["PublicUrlParameter"]
        for setting, export in (("STAFF_TOKEN_ISSUER", "issuer"), ("STAFF_TOKEN_AUDIENCE", "audience"),
                                ("STAFF_TOKEN_JWKS_URL", "jwks-url")):  # fmt: skip
            assert environment[setting] == deployed.exports[f"shobbak-{deployed.stage}-staff-token-{export}"]
        assert environment["PORTAL_BUCKET"] == deployed.physical["PortalBucket"]
        assert environment["DOCUMENTS_BUCKET"] == deployed.physical["DocumentsBucket"]


def test_the_code_is_the_packaged_zip(deployed: Deployment) -> None:
    digest = hashlib.sha256((packaged(deployed.stage).parent / "deployment.zip").read_bytes()).digest()
    lambda_ = deployed.client("lambda")
    for physical in deployed.created("AWS::Lambda::Function").values():
        configuration = lambda_.get_function(FunctionName=physical)["Configuration"]
        assert configuration["CodeSha256"] == base64.b64encode(digest).decode()


def test_every_table_has_point_in_time_recovery_and_deletion_protection(deployed: Deployment) -> None:
    dynamodb = deployed.client("dynamodb")
    tables = deployed.created("AWS::DynamoDB::Table")
    assert len(tables) >= 8
    for name, table in tables.items():
        backups = dynamodb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
        assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED", name
        description = dynamodb.describe_table(TableName=table)["Table"]
        assert description["DeletionProtectionEnabled"] is True, name
        assert description["SSEDescription"]["Status"] == "ENABLED", name


def test_the_topics_are_encrypted_with_the_operations_key(deployed: Deployment) -> None:
    sns, kms = deployed.client("sns"), deployed.client("kms")
    key = deployed.physical["OperationsKey"]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    policy = json.loads(kms.get_key_policy(KeyId=key, PolicyName="default")["Policy"])
    assert {"Service": "cloudwatch.amazonaws.com"} in [statement["Principal"] for statement in policy["Statement"]]
    assert kms.describe_key(KeyId=f"alias/shobbak-{deployed.stage}-operations")["KeyMetadata"]["KeyId"] == key

    topics = deployed.created("AWS::SNS::Topic")
    assert set(topics) == {"OperationsAlertsTopic", "VoiceCallsTopic", "WhatsAppEventsTopic"}
    for name, arn in topics.items():
        assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["KmsMasterKeyId"] == key, name


def test_the_applicants_table_is_under_the_personal_data_key_only_its_five_roles_use(deployed: Deployment) -> None:
    dynamodb, kms, iam = deployed.client("dynamodb"), deployed.client("kms"), deployed.client("iam")
    key = kms.describe_key(KeyId=deployed.physical["PersonalDataKey"])["KeyMetadata"]
    table = dynamodb.describe_table(TableName=deployed.physical["ApplicantsTable"])["Table"]

    assert table["SSEDescription"]["KMSMasterKeyArn"] == key["Arn"]
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    assert kms.describe_key(KeyId=f"alias/shobbak-{deployed.stage}-personal-data")["KeyMetadata"]["Arn"] == key["Arn"]
    policy = json.loads(kms.get_key_policy(KeyId=key["KeyId"], PolicyName="default")["Policy"])
    [users] = [statement for statement in policy["Statement"] if "aws:PrincipalArn" in str(statement)]
    named = users["Condition"]["ArnEquals"]["aws:PrincipalArn"]
    roles = [iam.get_role(RoleName=arn.rsplit("/", 1)[1])["Role"] for arn in named]  # each exists, by that name
    assert sorted(role["Arn"] for role in roles) == sorted(named)
    for role in roles:
        grant = json.loads(json.dumps(iam.get_role_policy(RoleName=role["RoleName"],
                                                          PolicyName="applicants-key-through-dynamodb")))  # fmt: skip
        [statement] = grant["PolicyDocument"]["Statement"]
        assert statement["Resource"] == key["Arn"], role["RoleName"]
    assert len(roles) == 5  # the APIs, the two deliverers, and the WhatsApp receipts


def test_every_log_group_is_kept_ninety_days_and_encrypted(deployed: Deployment) -> None:
    logs, lambda_ = deployed.client("logs"), deployed.client("lambda")
    groups = {group["logGroupName"]: group for group in logs.describe_log_groups()["logGroups"]}
    key_arn = deployed.client("kms").describe_key(KeyId=deployed.physical["OperationsKey"])["KeyMetadata"]["Arn"]
    for name, group_name in deployed.created("AWS::Logs::LogGroup").items():
        assert groups[group_name]["retentionInDays"] == 90, name
        assert groups[group_name]["kmsKeyId"] == key_arn, name
    for physical in deployed.created("AWS::Lambda::Function").values():
        assert f"/aws/lambda/{lambda_.get_function(FunctionName=physical)['Configuration']['FunctionName']}" in groups


def test_each_api_route_reaches_the_function_for_its_prefix(deployed: Deployment) -> None:
    """The split of tools/build/package_template.py, as API Gateway holds it: the offices' routes and
    the gateways' callbacks reach functions of their own, everything else the citizen API."""
    apigateway, lambda_ = deployed.client("apigateway"), deployed.client("lambda")
    arn = {name: lambda_.get_function(FunctionName=deployed.physical[name])["Configuration"]["FunctionArn"]
           for name in ("APIHandler", "OfficeAPIHandler", "PaymentCallbacksHandler")}  # fmt: skip
    reached: dict[str, set[str]] = {name: set() for name in arn}
    api = deployed.physical["RestAPI"]
    for resource in apigateway.get_resources(restApiId=api, embed=["methods"], limit=500)["items"]:
        for method in resource.get("resourceMethods", {}):
            integration = apigateway.get_integration(restApiId=api, resourceId=resource["id"], httpMethod=method)
            if integration["type"].upper() == "MOCK":  # CORS preflight
                continue
            # moto keeps the Body's spelling (aws_proxy) where API Gateway answers AWS_PROXY.
            assert integration["type"].upper() == "AWS_PROXY", (resource["path"], method)
            owner = next(
                name for name, function_arn in arn.items() if f"/functions/{function_arn}/" in integration["uri"]
            )
            reached[owner].add(resource["path"])
    assert reached["OfficeAPIHandler"]
    assert all(path.startswith(("/v1/office/", "/v1/console")) for path in reached["OfficeAPIHandler"])
    assert reached["PaymentCallbacksHandler"]
    assert all(path.startswith("/v1/payments/") for path in reached["PaymentCallbacksHandler"])
    assert not any(path.startswith(("/v1/office/", "/v1/payments/")) for path in reached["APIHandler"])
    for name in arn:
        policy = json.loads(lambda_.get_policy(FunctionName=deployed.physical[name])["Policy"])
        principals = {statement["Principal"]["Service"] for statement in policy["Statement"]}
        assert "apigateway.amazonaws.com" in principals, name


def test_the_dashboards_are_json_with_every_reference_resolved(deployed: Deployment) -> None:
    cloudwatch = deployed.client("cloudwatch")
    for name, dashboard in deployed.created("AWS::CloudWatch::Dashboard").items():
        body = cloudwatch.get_dashboard(DashboardName=dashboard)["DashboardBody"]
        assert "${" not in body, name
        assert json.loads(body)["widgets"], name


def test_every_resource_a_role_names_exists(deployed: Deployment) -> None:
    """Each ARN in a function's role that names a table, index, stream, queue, topic, log group,
    bucket or key names one the stack created, and each SSM parameter one the function is told
    to read: a policy for a renamed or misspelt resource would deploy, then deny at run time."""
    iam, lambda_ = deployed.client("iam"), deployed.client("lambda")
    dangling, named = [], 0
    for name, physical in deployed.created("AWS::Lambda::Function").items():
        configuration = lambda_.get_function(FunctionName=physical)["Configuration"]
        told = {value for key, value in configuration["Environment"]["Variables"].items() if key.endswith("_PARAMETER")}
        role = configuration["Role"].rsplit("/", 1)[1]
        for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            for statement in iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]["Statement"]:
                resources = (  # a NotResource statement (SMS to phone numbers) names nothing that must exist
                    statement.get("Resource", [])
                    if isinstance(statement.get("Resource", []), list)
                    else [statement["Resource"]]
                )
                for arn in resources:
                    found = _exists(deployed, arn, told)
                    named += found is not None
                    if found is False:
                        dangling.append((name, statement["Sid"], arn))
    assert named > 50  # the check ran on the stack's resources, not only on what it cannot check
    assert dangling == []


def _exists(deployed: Deployment, arn: str, parameters_told: set[str]) -> bool | None:
    """Whether what the ARN names exists and is this stage's; None for what no stack creates
    (X-Ray's and SMS's "*", the account's phone numbers and pools for voice, the WhatsApp business
    number, registered with Meta, not by a stack), and for what moto
    cannot hold (the staff pool: another stack's, and moto's CloudFormation has no Cognito)."""
    if arn == "*" or arn.startswith(("arn:aws:sms-voice:", "arn:aws:social-messaging:", "arn:aws:xray:", NOT_EMULATED)):
        return None
    service, resource = arn.split(":")[2], arn.split(":", 5)[5]
    if service == "kms":
        return any(arn.endswith(f":key/{deployed.physical[key]}") for key in ("OperationsKey", "PersonalDataKey"))
    if service != "ssm" and f"shobbak-{deployed.stage}-" not in resource:  # the other stage's, in the same account
        return False
    try:
        if service == "dynamodb":
            table_name, *rest = resource.removeprefix("table/").split("/")
            table = deployed.client("dynamodb").describe_table(TableName=table_name)["Table"]
            indexes = {
                index["IndexName"]
                for index in table.get("GlobalSecondaryIndexes", []) + table.get("LocalSecondaryIndexes", [])
            }
            if rest[:1] == ["index"]:
                return bool(indexes) if rest[1] == "*" else rest[1] in indexes
            if rest[:1] == ["stream"]:
                return rest[1] == "*" or arn == table["LatestStreamArn"]
            return not rest
        if service == "logs":
            group = resource.removeprefix("log-group:").removesuffix(":*")
            groups = deployed.client("logs").describe_log_groups(logGroupNamePrefix=group)["logGroups"]
            return any(found["logGroupName"] == group for found in groups)
        if service == "s3":
            deployed.client("s3").head_bucket(Bucket=resource.split("/")[0])
            return True
        if service == "sns":
            deployed.client("sns").get_topic_attributes(TopicArn=arn)
            return True
        if service == "sqs":
            deployed.client("sqs").get_queue_url(QueueName=resource)
            return True
        if service == "ssm":  # named in the function's settings; made by hand (runbook section 4) or by the stack
            parameter = resource.removeprefix("parameter")
            if parameter in deployed.created("AWS::SSM::Parameter").values():
                deployed.client("ssm").get_parameter(Name=parameter)
            return parameter in parameters_told
    except ClientError:
        return False
    raise AssertionError(f"no check for {arn}")


def test_schedules_and_events_reach_functions_that_let_them(deployed: Deployment) -> None:
    """Each EventBridge rule targets a function of the stack, and that function's resource policy
    lets exactly that rule invoke it (without it, EventBridge's calls are refused silently)."""
    events, lambda_ = deployed.client("events"), deployed.client("lambda")
    functions = {
        lambda_.get_function(FunctionName=physical)["Configuration"]["FunctionArn"]: physical
        for physical in deployed.created("AWS::Lambda::Function").values()
    }
    rules = [events.describe_rule(Name=rule) for rule in deployed.created("AWS::Events::Rule").values()]
    assert rules
    for rule in rules:
        assert rule.get("ScheduleExpression") or rule.get("EventPattern"), rule["Name"]
        targets = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
        assert len(targets) == 1, rule["Name"]
        function = functions[targets[0]["Arn"]]
        statements = json.loads(lambda_.get_policy(FunctionName=function)["Policy"])["Statement"]
        assert any(
            statement["Principal"] == {"Service": "events.amazonaws.com"}
            and statement["Condition"]["ArnLike"]["AWS:SourceArn"] == rule["Arn"]
            for statement in statements
        ), rule["Name"]


def test_streams_feed_their_functions_and_failures_are_kept(deployed: Deployment) -> None:
    """The outbox's and the requests' streams each feed their function, with failed batches sent
    to a queue that exists. (moto's Lambda has no dead-letter queues: the functions' own
    DeadLetterConfig is held by tests/integration/infra/test_packaged_template.py only.)"""
    dynamodb, sqs = deployed.client("dynamodb"), deployed.client("sqs")
    streams = {
        dynamodb.describe_table(TableName=table)["Table"].get("LatestStreamArn"): name
        for name, table in deployed.created("AWS::DynamoDB::Table").items()
    }
    mappings = deployed.event_source_mappings()
    fed = {streams[mapping["EventSourceArn"]]: mapping["FunctionArn"].rsplit(":", 1)[1] for mapping in mappings}
    assert fed == {
        "OutboxTable": f"shobbak-{deployed.stage}-deliver-messages",
        "RequestsTable": f"shobbak-{deployed.stage}-keep-performance-figures",
    }
    for mapping in mappings:
        queue = mapping["DestinationConfig"]["OnFailure"]["Destination"]
        assert sqs.get_queue_url(QueueName=queue.rsplit(":", 1)[1])["QueueUrl"]


def test_the_edge_stack_keeps_its_waf_log_in_us_east_1(deployed: Deployment) -> None:
    logs = deployed.client("logs", EDGE_REGION)
    groups = logs.describe_log_groups(logGroupNamePrefix=f"aws-waf-logs-shobbak-{deployed.stage}")["logGroups"]
    assert [(group["logGroupName"], group["retentionInDays"]) for group in groups] == [
        (f"aws-waf-logs-shobbak-{deployed.stage}", 90)
    ]


def test_the_runbooks_first_deploy_is_accepted(stage: str) -> None:
    """The app's first deploy exactly as docs/runbook.md section 2 types it (its parameter names;
    the values are GIVEN's): CloudFormation checks parameters and Rules before it creates
    anything, and moto checks neither, so tools/build/moto_deploy.refusals does. It is the only one:
    nothing is given back to the stack by a second deploy."""
    runbook = (PROJECT / "docs" / "runbook.md").read_text(encoding="utf-8")
    deploys = re.findall(
        r"aws cloudformation deploy --template-file build/\$STAGE/packaged\.yaml(.*?)```", runbook, re.S
    )
    assert len(deploys) == 1, "the runbook should deploy the app's stack once"
    names = re.findall(r"\b([A-Z][A-Za-z]+)=", deploys[0].split("--parameter-overrides", 1)[1])
    template = yaml.safe_load(packaged(stage).read_text(encoding="utf-8"))

    assert set(names) <= set(template["Parameters"])
    assert refusals(template, {"Stage": stage} | {name: GIVEN[name] for name in names}, TEST_REGION) == []


def test_the_origin_lock_names_the_stage_the_transform_made(deployed: Deployment) -> None:
    """`!Ref RestAPI.Stage` (infra/api.yaml) is SAM's, not CloudFormation's: the translator must
    turn it into a Ref to the stage it creates, or CloudFormation would refuse the template.
    (moto then stands in for that stage and the association: its API has only SAM's "Stage".)"""
    association = deployed.template["Resources"]["ApiOriginLockAssociation"]["Properties"]
    _, (_, stage_reference) = association["ResourceArn"]["Fn::Join"]
    stage = deployed.template["Resources"][stage_reference["Ref"]]

    assert stage["Type"] == "AWS::ApiGateway::Stage"
    assert stage["Properties"]["StageName"] == deployed.stage
    assert stage["Properties"]["RestApiId"] == {"Ref": "RestAPI"}
    assert deployed.not_emulated["app"][stage_reference["Ref"]] == "AWS::ApiGateway::Stage"
    assert f"/{deployed.stage}/" in deployed.outputs["EndpointURL"]


def test_each_role_may_write_its_own_logs_and_use_the_key_of_the_topics_it_publishes_to(
    deployed: Deployment,
) -> None:
    """What the roles grant, checked against what the functions are and the topics hold: a role
    naming another function's log group, or publishing to an encrypted topic without its key
    (SNS then refuses with KMS.AccessDeniedException), deploys and fails at run time."""
    lambda_, sns = deployed.client("lambda"), deployed.client("sns")
    key_arn = deployed.client("kms").describe_key(KeyId=deployed.physical["OperationsKey"])["KeyMetadata"]["Arn"]
    topic_keys = {
        arn: sns.get_topic_attributes(TopicArn=arn)["Attributes"].get("KmsMasterKeyId")
        for arn in deployed.created("AWS::SNS::Topic").values()
    }
    publishers = set()
    for name, physical in deployed.created("AWS::Lambda::Function").items():
        configuration = lambda_.get_function(FunctionName=physical)["Configuration"]
        granted = _granted(deployed, physical)
        own_group = f":log-group:/aws/lambda/{configuration['FunctionName']}"
        assert [arn for arn in granted["logs:PutLogEvents"] if not arn.endswith((own_group, own_group + ":*"))] == []
        for topic in granted.get("sns:Publish", set()) & set(topic_keys):
            assert topic_keys[topic] == deployed.physical["OperationsKey"], (name, topic)
            assert key_arn in granted["kms:GenerateDataKey*"], (name, topic)
            assert key_arn in granted["kms:Decrypt"], (name, topic)
            publishers.add(name)
    assert publishers == {"DeliverMessages", "SweepMessages"}  # the voice calls' topic


def _granted(deployed: Deployment, function: str) -> dict[str, set[str]]:
    """Action to the resources the function's role grants it on (its inline policies, as IAM holds them)."""
    iam, lambda_ = deployed.client("iam"), deployed.client("lambda")
    role = lambda_.get_function(FunctionName=function)["Configuration"]["Role"].rsplit("/", 1)[1]
    granted: dict[str, set[str]] = {}
    for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        for statement in iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resources = statement.get("Resource", statement.get("NotResource"))
            resources = resources if isinstance(resources, list) else [resources]
            for action in actions:
                granted.setdefault(action, set()).update(resources)
    return granted


def test_lambda_would_accept_each_roles_queues_and_streams(deployed: Deployment) -> None:
    """Lambda refuses, at CreateFunction or CreateEventSourceMapping, a dead-letter queue or a
    failure destination the role may not send to, and a stream it may not read: a deploy that
    moto (which checks neither) passes and CloudFormation rolls back."""
    sqs = deployed.client("sqs")

    def queue_arn(logical: str) -> str:
        url = sqs.get_queue_url(QueueName=deployed.physical[logical].rsplit("/", 1)[1])["QueueUrl"]
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    checked = 0
    for name, resource in deployed.of_type("AWS::Lambda::Function").items():
        if "DeadLetterConfig" in resource["Properties"]:  # moto has no dead-letter queues: the template's
            queue = resource["Properties"]["DeadLetterConfig"]["TargetArn"]["Fn::GetAtt"][0]
            assert queue_arn(queue) in _granted(deployed, deployed.physical[name]).get("sqs:SendMessage", set()), name
            checked += 1
    for mapping in deployed.event_source_mappings():
        granted = _granted(deployed, mapping["FunctionArn"].rsplit(":", 1)[1])
        for action in (
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        ):
            assert mapping["EventSourceArn"] in granted.get(action, set()), (mapping["FunctionArn"], action)
        assert mapping["DestinationConfig"]["OnFailure"]["Destination"] in granted["sqs:SendMessage"]
        checked += 1
    assert checked == len(deployed.of_type("AWS::Lambda::EventSourceMapping")) + 8  # eight asynchronous functions


def test_every_handler_is_in_the_code_and_every_environment_fits_lambdas_limit(deployed: Deployment) -> None:
    """What Lambda holds against the zip that was uploaded: each handler a module-level name of a
    module in it (a wrong path deploys and fails every invocation with ImportModuleError), and
    each environment within the 4 KB Lambda allows (CreateFunction refuses more; moto does not)."""
    lambda_ = deployed.client("lambda")
    with zipfile.ZipFile(packaged(deployed.stage).parent / "deployment.zip") as code:
        for physical in deployed.created("AWS::Lambda::Function").values():
            configuration = lambda_.get_function(FunctionName=physical)["Configuration"]
            module, attribute = configuration["Handler"].rsplit(".", 1)
            tree = ast.parse(code.read(module.replace(".", "/") + ".py"))
            defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
            defined |= {target.id for node in tree.body if isinstance(node, ast.Assign)
                        for target in node.targets if isinstance(target, ast.Name)}  # fmt: skip
            assert attribute in defined, configuration["Handler"]
            variables = configuration["Environment"]["Variables"]
            assert sum(len(key) + len(value) for key, value in variables.items()) < 4096, physical


def test_what_moto_does_not_create_refers_to_what_it_did(deployed: Deployment) -> None:
    """The alarms, metric filters, subscriptions and policies are not created (see above), but moto
    resolves their references: each must resolve to something this stage's stack did create, as
    the APIs name it (a metric filter on a log group the stack does not have would deploy and
    count nothing). Every alarm calls the operations topic; every metric filter's metric has an
    alarm."""
    lambda_ = deployed.client("lambda")
    existing = {
        # this stage's own: the other stage's stack is in the same account
        "FunctionName": set(deployed.created("AWS::Lambda::Function").values()),
        "QueueName": {url.rsplit("/", 1)[1] for url in deployed.created("AWS::SQS::Queue").values()},
        "ApiName": {deployed.client("apigateway").get_rest_api(restApiId=deployed.physical["RestAPI"])["name"]},
        "Stage": {deployed.stage},
    }
    topic = deployed.physical["OperationsAlertsTopic"]
    watched, dimensions_checked = set(), set()
    resolved = {name: deployed.resolved[name] for name, kind in deployed.not_emulated["app"].items()}
    for name, alarm in ((name, properties) for name, properties in resolved.items()
                        if deployed.not_emulated["app"][name] == "AWS::CloudWatch::Alarm"):  # fmt: skip
        assert alarm["AlarmActions"] == [topic], name
        metrics = [alarm] + [
            query["MetricStat"]["Metric"] for query in alarm.get("Metrics", []) if "MetricStat" in query
        ]
        for metric in metrics:
            watched.add((metric.get("Namespace"), metric.get("MetricName")))
            for dimension in metric.get("Dimensions", []):
                if dimension["Name"] in existing:
                    assert dimension["Value"] in existing[dimension["Name"]], (name, dimension)
                    dimensions_checked.add(dimension["Name"])
    assert dimensions_checked == set(existing)
    assert deployed.client("sns").get_topic_attributes(TopicArn=topic)

    groups = set(deployed.created("AWS::Logs::LogGroup").values())
    for name, kind in deployed.not_emulated["app"].items():
        properties = resolved[name]
        if kind == "AWS::Logs::MetricFilter":
            assert properties["LogGroupName"] in groups, name
            for transformation in properties["MetricTransformations"]:
                assert (transformation["MetricNamespace"], transformation["MetricName"]) in watched, name
        if kind == "AWS::SNS::Subscription":
            assert properties["TopicArn"] in deployed.created("AWS::SNS::Topic").values(), name
        if kind == "AWS::SNS::TopicPolicy":
            (policy_topic,) = properties["Topics"]
            assert policy_topic in deployed.created("AWS::SNS::Topic").values(), name
            assert {statement["Resource"] for statement in properties["PolicyDocument"]["Statement"]} == {policy_topic}
        if kind == "AWS::S3::BucketPolicy":
            deployed.client("s3").head_bucket(Bucket=properties["Bucket"])
            for statement in properties["PolicyDocument"]["Statement"]:
                for arn in (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                ):
                    assert arn.split(":::", 1)[1].split("/", 1)[0] == properties["Bucket"], (name, arn)
    voice = resolved["PlaceVoiceCallsPlaceVoiceCallsSnsSubscription"]["Endpoint"]
    assert (
        voice == lambda_.get_function(FunctionName=deployed.physical["PlaceVoiceCalls"])["Configuration"]["FunctionArn"]
    )


def test_the_stages_throttled_methods_are_methods_of_the_api(deployed: Deployment) -> None:
    """The stage is not emulated, but its method settings must name methods the API (imported
    from its body, as API Gateway holds it) has: API Gateway refuses a setting for a method that
    does not exist, and a renamed route would otherwise lose its throttle unnoticed."""
    (stage,) = [name for name, kind in deployed.not_emulated["app"].items() if kind == "AWS::ApiGateway::Stage"]
    apigateway = deployed.client("apigateway")
    resources = apigateway.get_resources(restApiId=deployed.physical["RestAPI"], embed=["methods"], limit=500)["items"]
    methods = {(resource["path"], method) for resource in resources for method in resource.get("resourceMethods", {})}
    settings = deployed.resolved[stage]["MethodSettings"]

    assert settings[0]["ResourcePath"] == "/*"  # the whole stage
    for setting in settings[1:]:
        # "/~1v1~1inquiries" is /v1/inquiries: a leading slash, then the path with "/" written "~1"
        path = setting["ResourcePath"].removeprefix("/").replace("~1", "/")
        assert (path, setting["HttpMethod"]) in methods, setting
        assert setting["ThrottlingRateLimit"] < settings[0]["ThrottlingRateLimit"], setting


def test_every_rate_rule_at_the_edge_watches_routes_the_api_has(deployed: Deployment) -> None:
    """The edge's web ACL is not emulated, but each rate rule's path must match routes of the API
    as deployed: a route renamed or moved would otherwise leave its rule watching nothing."""
    apigateway = deployed.client("apigateway")
    resources = apigateway.get_resources(restApiId=deployed.physical["RestAPI"], embed=["methods"], limit=500)["items"]
    paths = {resource["path"] for resource in resources if set(resource.get("resourceMethods", {})) - {"OPTIONS"}}
    matches = {
        "STARTS_WITH": str.startswith,
        "ENDS_WITH": str.endswith,
        "EXACTLY": str.__eq__,
    }
    rules = [rule for rule in deployed.resolved["WebAcl"]["Rules"] if "RateBasedStatement" in rule["Statement"]]
    searched = [(rule["Name"], match) for rule in rules for match in _uri_path_matches(rule["Statement"])]
    # inquiries; the two submissions, card payments, notification preferences and document uploads,
    # each with its trailing-slash form; Open311's requests
    assert len(searched) == 12
    for rule, (constraint, search) in searched:
        route = search.rstrip("/") if search != "/" else search  # the trailing-slash form watches the same route
        assert any(matches[constraint](path, route) for path in paths), (rule, search)


def _uri_path_matches(statement: dict[str, Any]) -> list[tuple[str, str]]:
    """Every (PositionalConstraint, SearchString) on the URI path anywhere inside a WAF statement."""
    found = []
    if "ByteMatchStatement" in statement and "UriPath" in statement["ByteMatchStatement"]["FieldToMatch"]:
        match = statement["ByteMatchStatement"]
        found.append((match["PositionalConstraint"], match["SearchString"]))
    for value in statement.values():
        for inner in value.get("Statements", []) if isinstance(value, dict) else []:
            found += _uri_path_matches(inner)
        if isinstance(value, dict) and "ScopeDownStatement" in value:
            found += _uri_path_matches(value["ScopeDownStatement"])
    return found


def test_a_portal_domain_without_its_certificate_is_refused_before_anything_is_created(stage: str) -> None:
    template = yaml.safe_load(packaged(stage).read_text(encoding="utf-8"))
    given = {"Stage": stage, **GIVEN, "PortalDomainName": PORTAL_DOMAIN}

    (refused,) = refusals(template, given, TEST_REGION)
    assert refused.startswith("PortalCertificateWithDomain: A PortalDomainName needs its PortalCertificateArn")
    assert refusals(template, given | {"PortalCertificateArn": CERTIFICATE}, TEST_REGION) == []


def test_the_stack_writes_the_public_address_that_only_the_upload_forms_function_reads(deployed: Deployment) -> None:
    """One deploy, with or without a portal domain: the address browsers reach the API at is an SSM
    parameter the stack writes (the distribution's domain, moto's stand-in for it here, or the
    portal's own domain), which the functions are told by name; the citizen API, which builds the
    upload forms S3 redirects back from, may read exactly it, and no other function may."""
    name = deployed.physical["PublicUrlParameter"]
    parameter = deployed.client("ssm").get_parameter(Name=name)["Parameter"]
    iam, lambda_ = deployed.client("iam"), deployed.client("lambda")
    arn = f"arn:aws:ssm:{TEST_REGION}:{ACCOUNT}:parameter{name}"
    readers = set()
    for function, physical in deployed.created("AWS::Lambda::Function").items():
        role = lambda_.get_function(FunctionName=physical)["Configuration"]["Role"].rsplit("/", 1)[1]
        for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
            for statement in iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]["Statement"]:
                if arn in json.dumps(statement.get("Resource", [])):
                    assert statement["Action"] == "ssm:GetParameter", function
                    readers.add(function)

    assert name == f"/shobbak/{deployed.stage}/public-url"
    assert parameter["Type"] == "String"
    tags = deployed.client("ssm").list_tags_for_resource(ResourceType="Parameter", ResourceId=name)["TagList"]
    assert {"Key": "stage", "Value": deployed.stage} in tags
    if OWN_DOMAIN[deployed.stage]:
        assert parameter["Value"] == f"https://{PORTAL_DOMAIN}"
    else:
        assert parameter["Value"] == f"https://{NOT_EMULATED}-PortalDistribution.DomainName"
    assert deployed.outputs["PortalUrl"] == f"{parameter['Value']}/"
    assert readers == {"APIHandler"}
