"""What a real deployment needs and moto does not enforce (issue 22), read from the packaged
template and infra/edge-waf.yaml: Open311 routed to the API, stateful resources that a failed
first create does not strand, a WAF that fits the traffic, alarms on every function, and
messaging roles that cannot post to a topic."""

from __future__ import annotations

import fnmatch
from typing import Any

import pytest

from tests.integration.infra.test_packaged_template import (
    ALL_VIEWER_EXCEPT_HOST_HEADER,
    CACHING_DISABLED,
    as_list,
    functions,
    of_type,
    referenced,
    statements,
)
from tests.integration.infra.test_roles_grant_what_the_code_calls import allows


def test_open311_reaches_the_api_uncached_with_its_query_string(template: dict[str, Any]) -> None:
    config = template["Resources"]["PortalDistribution"]["Properties"]["DistributionConfig"]
    behaviours = {behaviour["PathPattern"]: behaviour for behaviour in config["CacheBehaviors"]}
    open311 = behaviours["/open311/*"]

    assert open311["TargetOriginId"] == "api"
    assert open311["CachePolicyId"] == CACHING_DISABLED
    assert open311["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST_HEADER
    assert "POST" in open311["AllowedMethods"]
    assert referenced(open311["ResponseHeadersPolicyId"]) == "PortalSecurityHeaders"


def test_a_failed_first_create_leaves_no_fixed_name_resource_behind(template: dict[str, Any]) -> None:
    """Retain would keep them when the stack's own creation rolls back, and the retry would then
    fail with "already exists"; RetainExceptOnCreate still keeps them on any later delete."""
    named = {"TableName", "BucketName"}
    kept = [name for name, resource in template["Resources"].items()
            if named & set(resource.get("Properties", {})) or resource["Type"] == "AWS::KMS::Key"]  # fmt: skip

    assert {"RequestsTable", "DocumentsBucket", "OperationsKey"} <= set(kept)
    for name in kept:
        assert template["Resources"][name].get("DeletionPolicy") == "RetainExceptOnCreate", name
        assert template["Resources"][name].get("UpdateReplacePolicy") == "Retain", name


# ---- The edge WAF, evaluated on requests: what each rule's statement matches ----------------
def _transformed(value: str, transformations: list[dict[str, Any]]) -> str:
    for transformation in sorted(transformations, key=lambda t: t["Priority"]):
        if transformation["Type"] == "LOWERCASE":
            value = value.lower()
        else:
            assert transformation["Type"] == "NONE", transformation
    return value


def matches(statement: dict[str, Any], method: str, path: str, labels: frozenset[str] = frozenset()) -> bool:
    """Whether a WAF statement matches a request, for the statement kinds the web ACL uses."""
    if "AndStatement" in statement:
        return all(matches(s, method, path, labels) for s in statement["AndStatement"]["Statements"])
    if "OrStatement" in statement:
        return any(matches(s, method, path, labels) for s in statement["OrStatement"]["Statements"])
    if "NotStatement" in statement:
        return not matches(statement["NotStatement"]["Statement"], method, path, labels)
    if "LabelMatchStatement" in statement:
        return statement["LabelMatchStatement"]["Key"] in labels
    if "RateBasedStatement" in statement:
        return matches(statement["RateBasedStatement"]["ScopeDownStatement"], method, path, labels)
    match = statement["ByteMatchStatement"]
    field = method if "Method" in match["FieldToMatch"] else path
    value, wanted = _transformed(field, match["TextTransformations"]), match["SearchString"]
    return {
        "EXACTLY": value == wanted,
        "STARTS_WITH": value.startswith(wanted),
        "ENDS_WITH": value.endswith(wanted),
        "CONTAINS": wanted in value,
    }[match["PositionalConstraint"]]


def rules(waf_template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {rule["Name"]: rule for rule in waf_template["Resources"]["WebAcl"]["Properties"]["Rules"]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/requests"),
        ("POST", "/v1/requests/"),
        ("POST", "/v1/portal/applications/"),
        ("POST", "/v1/inquiries/"),
        ("POST", "/v1/requests/GZ-2025-000001/card-payments/"),
        ("POST", "/v1/requests/GZ-2025-000001/notifications/"),
        ("POST", "/v1/requests/GZ-2025-000001/documents"),
        ("POST", "/v1/requests/GZ-2025-000001/documents/"),
        ("GET", "/open311/v2/requests/GZ-2025-000001.json"),
        ("GET", "/open311/v2/requests.json"),
    ],
)
def test_every_abusable_route_is_counted_by_a_rate_rule_with_or_without_a_trailing_slash(
    waf_template: dict[str, Any], method: str, path: str
) -> None:
    limited = [rule for rule in rules(waf_template).values() if "RateBasedStatement" in rule["Statement"]]

    assert any(matches(rule["Statement"], method, path) for rule in limited), (method, path)


CORE = "awswaf:managed:aws:core-rule-set:"


@pytest.mark.parametrize("label", ["NoUserAgent_Header", "SizeRestrictions_QueryString"])
def test_the_common_rules_do_not_drop_the_gateways_callbacks_but_still_block_elsewhere(
    waf_template: dict[str, Any], label: str
) -> None:
    found = rules(waf_template)
    counted = {o["Name"] for o in found["aws-common"]["Statement"]["ManagedRuleGroupStatement"]["RuleActionOverrides"]
               if o["ActionToUse"] == {"Count": {}}}  # fmt: skip
    blockers = [rule for rule in found.values() if "Block" in rule.get("Action", {})
                and "RateBasedStatement" not in rule["Statement"]]  # fmt: skip

    assert {"NoUserAgent_HEADER", "SizeRestrictions_QUERYSTRING", "SizeRestrictions_BODY"} <= counted
    for callback in ("/v1/payments/fawry/callback", "/v1/payments/paymob/callback"):
        assert not any(matches(rule["Statement"], "POST", callback, frozenset({CORE + label})) for rule in blockers)
    assert any(matches(rule["Statement"], "POST", "/v1/requests", frozenset({CORE + label})) for rule in blockers)


# ---- Alarms and the messaging roles ----------------------------------------------------------
@pytest.mark.parametrize("metric", ["Errors", "Throttles"])
def test_every_function_has_an_error_and_a_throttle_alarm(template: dict[str, Any], metric: str) -> None:
    watched = {
        referenced(query["MetricStat"]["Metric"]["Dimensions"][0]["Value"])
        for alarm in of_type(template, "AWS::CloudWatch::Alarm").values()
        for query in alarm["Properties"].get("Metrics", [])
        if query.get("MetricStat", {}).get("Metric", {}).get("MetricName") == metric
        and query["MetricStat"]["Metric"]["Namespace"] == "AWS/Lambda"
    }
    every_function = set(functions(template)) | set(of_type(template, "AWS::Lambda::Function"))

    assert every_function - watched == set()
    for alarm in of_type(template, "AWS::CloudWatch::Alarm").values():
        assert len(alarm["Properties"].get("Metrics", [])) <= 10  # CloudWatch's limit for metric math


@pytest.mark.parametrize("function", ["DeliverMessages", "SweepMessages"])
def test_the_messaging_roles_send_sms_and_voice_but_cannot_publish_to_any_other_topic(
    template: dict[str, Any], function: str
) -> None:
    role = template["Resources"][referenced(functions(template)[function]["Properties"]["Role"])]
    on_call_topic = "arn:aws:sns:eu-central-1:123456789012:shobbak-prod-operations-alerts"

    assert allows(role, "sns:Publish", "*")  # an SMS: published to a phone number, which has no ARN
    assert allows(role, "sns:Publish", "VoiceCallsTopic")
    assert not allows(role, "sns:Publish", on_call_topic)
    for statement in statements(role):
        if "sns:Publish" in as_list(statement["Action"]) and statement["Effect"] == "Allow":
            assert statement.get("Resource") != "*", statement["Sid"]
        if "kms:GenerateDataKey*" in as_list(statement["Action"]):  # the voice topic's key serves the on-call topic too
            condition = statement["Condition"]["StringEquals"]["kms:EncryptionContext:aws:sns:topicArn"]
            assert condition == {"Ref": "VoiceCallsTopic"}


def test_a_not_resource_statement_leaves_out_every_sns_arn(template: dict[str, Any]) -> None:
    for function in functions(template).values():
        role = template["Resources"][referenced(function["Properties"]["Role"])]
        for statement in statements(role):
            if "NotResource" in statement:
                assert as_list(statement["Action"]) == ["sns:Publish"]
                (left_out,) = as_list(statement["NotResource"])
                assert fnmatch.fnmatchcase(
                    "arn:aws:sns:eu-central-1:1:any-topic", left_out["Fn::Sub"].replace("${AWS::Partition}", "aws")
                )
