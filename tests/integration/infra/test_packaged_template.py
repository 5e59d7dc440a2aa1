"""What `make package` builds, asserted from the packaged template itself (both stages): one role
per function with only its own permissions, a policy on every topic, the WAF on the distribution,
every table kept safe, logs kept and free of personal data, and no value left to edit by hand."""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from typing import Any

import pytest

from chalicelib.api.http.responses import JSON_HEADERS
from chalicelib.config import missing_deployment_settings
from tests.conftest import PROJECT
from tests.integration.infra.conftest import packaged
from tools.build.check_locks import pins

LAMBDA_QUOTA, MUST_STAY_UNRESERVED = 1000, 100
# The only statements allowed a Resource of "*": actions that have no narrower resource.
NO_NARROWER_RESOURCE = {"XRayAcceptsNoNarrowerResource": {"xray:PutTraceSegments", "xray:PutTelemetryRecords"},
                        "SmsToPhoneNumbersHasNoResource": {"sns:Publish"}}  # fmt: skip
# The gateway responses with a status of their own; DEFAULT_4XX and DEFAULT_5XX keep the refusal's.
GATEWAY_ANSWERS = {"UNAUTHORIZED": "401", "ACCESS_DENIED": "403", "MISSING_AUTHENTICATION_TOKEN": "404"}
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST_HEADER = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: resource for name, resource in template["Resources"].items() if resource["Type"] == kind}


def referenced(value: Any) -> str:
    """The logical name a Ref or GetAtt names."""
    if "Ref" in value:
        return value["Ref"]
    target = value["Fn::GetAtt"]
    return target[0] if isinstance(target, list) else target.split(".")[0]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(role: dict[str, Any]) -> list[dict[str, Any]]:
    return [statement for policy in role["Properties"].get("Policies", [])
            for statement in policy["PolicyDocument"]["Statement"]]  # fmt: skip


def functions(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return of_type(template, "AWS::Serverless::Function")


def test_every_function_has_a_role_of_its_own(template: dict[str, Any]) -> None:
    roles = {name: referenced(function["Properties"]["Role"]) for name, function in functions(template).items()}

    assert roles, "the template has no functions"
    assert len(set(roles.values())) == len(roles), roles
    for role in roles.values():
        assert template["Resources"][role]["Type"] == "AWS::IAM::Role"


def test_each_role_is_its_functions_own_narrow_policy(template: dict[str, Any]) -> None:
    """Chalice's roles carry the stage's whole policy file, written with "*" for region and account;
    each must have been replaced by its function's own (infra/functions.yaml)."""
    assert functions(template), "the template has no functions"
    for name, function in functions(template).items():
        role = template["Resources"][referenced(function["Properties"]["Role"])]
        assert statements(role), name
        for statement in statements(role):
            for resource in as_list(statement.get("Resource", [])):  # NotResource: test_real_deployment.py
                assert not (isinstance(resource, str) and ":*:*:" in resource), (name, statement["Sid"])
                if resource == "*":
                    assert set(as_list(statement["Action"])) <= NO_NARROWER_RESOURCE[statement["Sid"]], (
                        name,
                        statement,
                    )


def test_every_permission_the_stage_declares_is_granted_to_some_function(template: dict[str, Any], stage: str) -> None:
    """A permission added to .chalice/policy-<stage>.json (as engineers are asked to) and not yet
    given to the function that needs it fails here, rather than in production."""
    declared = json.loads((PROJECT / ".chalice" / f"policy-{stage}.json").read_text(encoding="utf-8"))
    granted = {action for function in functions(template).values()
               for statement in statements(template["Resources"][referenced(function["Properties"]["Role"])])
               for action in as_list(statement["Action"])}  # fmt: skip
    for statement in declared["Statement"]:
        if statement["Sid"] == "Logs":  # each function writes its own log group instead
            continue
        assert set(as_list(statement["Action"])) <= granted, statement["Sid"]


def test_every_function_is_traced_and_logs_to_a_kept_encrypted_group(template: dict[str, Any]) -> None:
    groups = {
        group["Properties"]["LogGroupName"]["Fn::Sub"]: group
        for group in of_type(template, "AWS::Logs::LogGroup").values()
    }
    assert functions(template), "the template has no functions"
    for name, function in functions(template).items():
        properties = function["Properties"]
        assert properties["Tracing"] == "Active", name
        group = groups[f"/aws/lambda/{properties['FunctionName']['Fn::Sub']}"]
        assert group["Properties"]["RetentionInDays"] <= 365
        assert referenced(group["Properties"]["KmsKeyId"]) == "OperationsKey"


def test_reserved_concurrency_keeps_room_for_the_offices_and_the_gateways(template: dict[str, Any], stage: str) -> None:
    concurrency = template["Mappings"]["Concurrency"][stage]
    reserved = {}
    for name, function in functions(template).items():
        found = function["Properties"]["ReservedConcurrentExecutions"]["Fn::FindInMap"]
        reserved[name] = concurrency[found[2]]

    assert sum(reserved.values()) <= LAMBDA_QUOTA - MUST_STAY_UNRESERVED
    assert reserved["OfficeAPIHandler"] > 0
    assert reserved["PaymentCallbacksHandler"] > 0


def test_the_api_routes_are_split_between_citizens_offices_and_gateways(template: dict[str, Any]) -> None:
    paths = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    answered_by = {}
    for path, methods in paths.items():
        for method, definition in methods.items():
            uri = definition.get("x-amazon-apigateway-integration", {}).get("uri")
            if uri:
                answered_by[(path, method)] = re.search(r"\$\{(\w+)\.Arn\}", uri["Fn::Sub"])[1]

    for (path, _method), function in answered_by.items():
        if path.startswith(("/v1/office/", "/v1/console")):  # the console is the offices' (issue 21)
            assert function == "OfficeAPIHandler", path
        elif path.startswith("/v1/payments/"):
            assert function == "PaymentCallbacksHandler", path
        else:
            assert function == "APIHandler", path
    for function in ("APIHandler", "OfficeAPIHandler", "PaymentCallbacksHandler"):
        permission = template["Resources"][f"{function}InvokePermission"]["Properties"]
        assert permission["FunctionName"] == {"Ref": function}
        assert template["Resources"][function]["Properties"]["Handler"] == "app.app"


def test_the_api_stage_is_throttled_traced_and_logs_no_personal_data(template: dict[str, Any]) -> None:
    api = template["Resources"]["RestAPI"]["Properties"]
    stage_wide = next(setting for setting in api["MethodSettings"] if setting["ResourcePath"] == "/*")
    access_format = api["AccessLogSetting"]["Format"]

    assert stage_wide["ThrottlingRateLimit"] > 0
    assert stage_wide["ThrottlingBurstLimit"] > 0
    assert api["TracingEnabled"] is True
    for personal in ("$context.identity", "$context.path", "sourceIp", "userAgent", "querystring", "requestOverride"):
        assert personal not in access_format
    json.loads(access_format)  # one JSON object a line, for Logs Insights


def test_what_api_gateway_answers_itself_is_the_bilingual_error_shape_with_the_apis_json_headers(
    template: dict[str, Any],
) -> None:
    """A refused staff token, an authorizer's deny, an unknown path and any other refusal or failure of
    API Gateway's own: docs/interfaces.md#error-shape, not its English {"message": ...}."""
    answers = {
        resource["Properties"]["ResponseType"]: resource["Properties"]
        for resource in of_type(template, "AWS::ApiGateway::GatewayResponse").values()
    }
    expected_headers = {f"gatewayresponse.header.{name}": f"'{value}'" for name, value in JSON_HEADERS.items()}

    assert set(answers) == set(GATEWAY_ANSWERS) | {"DEFAULT_4XX", "DEFAULT_5XX"}
    for response_type, answer in answers.items():
        assert answer["RestApiId"] == {"Ref": "RestAPI"}
        assert answer.get("StatusCode") == GATEWAY_ANSWERS.get(response_type)
        assert answer["ResponseParameters"] == expected_headers
        assert set(answer["ResponseTemplates"]) == {"application/json"}
        body = json.loads(answer["ResponseTemplates"]["application/json"])
        assert set(body) == {"error"}
        assert set(body["error"]) == {"code", "message_ar", "message_en", "fields"}
        assert re.search("[\u0600-\u06ff]", body["error"]["message_ar"]), response_type
        assert body["error"]["message_en"], response_type
        assert body["error"]["message_en"].isascii(), response_type
        assert "$" not in answer["ResponseTemplates"]["application/json"]  # no template variable to expand


def test_every_topic_has_an_access_policy_and_a_customer_key(template: dict[str, Any]) -> None:
    topics = of_type(template, "AWS::SNS::Topic")
    covered = {referenced(topic) for policy in of_type(template, "AWS::SNS::TopicPolicy").values()
               for topic in policy["Properties"]["Topics"]}  # fmt: skip

    assert topics, "the template has no topics"
    assert set(topics) <= covered
    for topic in topics.values():
        assert template["Resources"][referenced(topic["Properties"]["KmsMasterKeyId"])]["Type"] == "AWS::KMS::Key"


def test_alarms_publish_to_a_topic_whose_key_cloudwatch_may_use(template: dict[str, Any]) -> None:
    alarms = of_type(template, "AWS::CloudWatch::Alarm")
    assert alarms
    for name, alarm in alarms.items():
        for action in alarm["Properties"]["AlarmActions"]:
            topic = template["Resources"][referenced(action)]
            key = template["Resources"][referenced(topic["Properties"]["KmsMasterKeyId"])]
            allowed = [statement for statement in key["Properties"]["KeyPolicy"]["Statement"]
                       if statement.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]  # fmt: skip
            assert allowed, name
            assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= set(allowed[0]["Action"])
    assert of_type(template, "AWS::SNS::Subscription")["OnCallEmail"]["Properties"]["Endpoint"] == {"Ref": "AlertEmail"}


def test_every_table_has_recovery_deletion_protection_and_encryption(template: dict[str, Any]) -> None:
    tables = of_type(template, "AWS::DynamoDB::Table")
    assert len(tables) >= 5
    for name, table in tables.items():
        properties = table["Properties"]
        assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}, name
        assert properties["DeletionProtectionEnabled"] is True, name
        assert properties["SSESpecification"]["SSEEnabled"] is True, name
        assert table.get("DeletionPolicy") == "RetainExceptOnCreate", name  # kept, unless its first create fails


def test_only_request_items_wake_the_performance_figures_and_only_guesses_at_unissued_numbers_expire(
    template: dict[str, Any],
) -> None:
    events = functions(template)["KeepPerformanceFigures"]["Properties"]["Events"]
    [source] = [event["Properties"] for event in events.values() if event["Type"] == "DynamoDB"]
    [pattern] = [json.loads(rule["Pattern"]) for rule in source["FilterCriteria"]["Filters"]]
    # Lambda's filter matches a stream record's fields against the lists of allowed values.
    assert pattern == {"dynamodb": {"Keys": {"item": {"S": ["request"]}}}}
    requests = template["Resources"]["RequestsTable"]["Properties"]
    assert requests["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_the_portal_bucket_is_private_encrypted_versioned_and_read_only_by_its_distribution(
    template: dict[str, Any],
) -> None:
    bucket = template["Resources"]["PortalBucket"]["Properties"]
    policy = template["Resources"]["PortalBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    origins = template["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]["Origins"]
    portal_origin = next(origin for origin in origins if origin["Id"] == "portal")

    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    readers = [statement for statement in policy if statement["Effect"] == "Allow"]
    assert [reader["Principal"] for reader in readers] == [{"Service": "cloudfront.amazonaws.com"}]
    assert "PortalDistribution" in readers[0]["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert referenced(portal_origin["OriginAccessControlId"]) == "PortalOriginAccess"


def test_the_distribution_serves_the_api_uncached_behind_the_waf_with_security_headers(
    template: dict[str, Any],
) -> None:
    config = template["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]
    behaviours = {behaviour["PathPattern"]: behaviour for behaviour in config["CacheBehaviors"]}
    api = behaviours["/v1/*"]
    headers_policy = template["Resources"]["PortalSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    security = headers_policy["SecurityHeadersConfig"]
    assets = template["Resources"][referenced(behaviours["/assets/*"]["CachePolicyId"])]["Properties"]
    pages = template["Resources"][referenced(config["DefaultCacheBehavior"]["CachePolicyId"])]["Properties"]

    assert config["WebACLId"] == {"Ref": "WebAclArn"}
    assert api["TargetOriginId"] == "api"
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert "POST" in api["AllowedMethods"]
    for behaviour in [config["DefaultCacheBehavior"], *behaviours.values()]:
        assert referenced(behaviour["ResponseHeadersPolicyId"]) == "PortalSecurityHeaders"
    csp = security["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert security["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert {"ContentTypeOptions", "FrameOptions", "ReferrerPolicy"} <= set(security)
    assert assets["CachePolicyConfig"]["DefaultTTL"] == 31536000
    assert pages["CachePolicyConfig"]["DefaultTTL"] <= 300


def test_the_api_answers_only_requests_that_came_through_the_distribution(template: dict[str, Any]) -> None:
    config = template["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]
    api_origin = next(origin for origin in config["Origins"] if origin["Id"] == "api")
    (sent,) = api_origin["OriginCustomHeaders"]
    (association,) = of_type(template, "AWS::WAFv2::WebACLAssociation").values()
    lock = template["Resources"][referenced(association["Properties"]["WebACLArn"])]["Properties"]
    (rule,) = lock["Rules"]
    match = rule["Statement"]["ByteMatchStatement"]

    assert template["Parameters"]["OriginVerifySecret"]["NoEcho"] is True
    assert sent["HeaderValue"] == {"Ref": "OriginVerifySecret"}
    assert lock["Scope"] == "REGIONAL"
    assert lock["DefaultAction"] == {"Block": {}}
    assert rule["Action"] == {"Allow": {}}
    assert match["FieldToMatch"] == {"SingleHeader": {"Name": sent["HeaderName"].lower()}}
    assert (match["PositionalConstraint"], match["SearchString"]) == ("EXACTLY", {"Ref": "OriginVerifySecret"})
    assert not lock["VisibilityConfig"]["SampledRequestsEnabled"]  # a sample would show the secret
    assert "RestAPI" in json.dumps(association["Properties"]["ResourceArn"])


def test_the_web_acl_has_the_managed_rules_and_a_rate_limit_per_abusable_route(waf_template: dict[str, Any]) -> None:
    acl = waf_template["Resources"]["WebAcl"]["Properties"]
    rules = {rule["Name"]: rule for rule in acl["Rules"]}
    managed = {rule["Statement"]["ManagedRuleGroupStatement"]["Name"] for rule in rules.values()
               if "ManagedRuleGroupStatement" in rule["Statement"]}  # fmt: skip
    limited = json.dumps([rule["Statement"]["RateBasedStatement"] for rule in rules.values()
                          if "RateBasedStatement" in rule["Statement"]])  # fmt: skip

    assert acl["Scope"] == "CLOUDFRONT"
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= managed
    for route in ("/v1/inquiries", "/card-payments", "/notifications", "/v1/requests", "/v1/portal/applications"):
        assert f'"SearchString": "{route}"' in limited, route


def test_no_value_is_left_to_edit_by_hand(template: dict[str, Any], stage: str) -> None:
    """Every setting a deployed function needs reaches it, from a parameter, an import or the
    stage's configuration; none is a placeholder; nothing names another stage."""
    text = packaged(stage).read_text(encoding="utf-8")
    assert "SET-" not in text
    shared = template["Globals"]["Function"]["Environment"]["Variables"]
    assert functions(template), "the template has no functions"
    for name, function in functions(template).items():
        variables = {**shared, **function["Properties"]["Environment"]["Variables"]}
        # A Ref or an import stands for a value the deploy must give (parameters are pattern-checked).
        given = {key: value if isinstance(value, str) else "1" for key, value in variables.items()}
        assert missing_deployment_settings(given) == [], name
        assert given["SHOBBAK_STAGE"] == stage
    assert template["Parameters"]["Stage"]["AllowedValues"] == [stage]
    assert "Fn::ImportValue" in json.dumps(shared["STAFF_TOKEN_ISSUER"])


@pytest.mark.parametrize("stage_name", ["prod"])
def test_the_zip_holds_exactly_the_locked_versions(stage_name: str) -> None:
    packaged(stage_name)
    locked = pins(PROJECT / "requirements.lock")
    with zipfile.ZipFile(PROJECT / "build" / stage_name / "deployment.zip") as archive:
        shipped = {}
        for name in archive.namelist():
            if match := re.fullmatch(r"([^/]+)-([^-/]+)\.dist-info/METADATA", name):
                shipped[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]

    for package in ("aws-lambda-powertools", "aws-xray-sdk", "botocore", "pynamodb", "pyjwt", "jinja2", "cryptography"):
        assert shipped[package] == locked[package], package
    for package, version in shipped.items():
        if package in locked:
            assert version == locked[package], package


@pytest.mark.parametrize("stage_name", ["prod"])
def test_every_module_in_the_zip_is_shipped_byte_compiled(stage_name: str) -> None:
    """/var/task is read-only: a module without its byte-compiled file would be compiled again on
    every cold start (tools/build/byte_compile.py)."""
    packaged(stage_name)
    with zipfile.ZipFile(PROJECT / "build" / stage_name / "deployment.zip") as archive:
        names = set(archive.namelist())
    modules = {name for name in names if name.endswith(".py")}
    for imported_first in ("app.py", "chalicelib/api/routes/citizen.py", "chalice/app.py", "botocore/client.py",
                           "pynamodb/models.py"):  # fmt: skip
        assert imported_first in modules
    assert {name for name in modules if importlib.util.cache_from_source(name) not in names} == set()
