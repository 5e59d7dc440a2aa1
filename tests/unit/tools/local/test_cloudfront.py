"""The portal's CloudFront distribution as infra/portal.yaml declares it, read for the local portal
server: its behaviours in order, their origins, and the response headers policy worked out
(tools/local/cloudfront.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tools.local.cloudfront import (
    PORTAL_TEMPLATE,
    Behaviour,
    HeaderRule,
    Origin,
    local_names,
    read_distribution,
    resolve,
)
from tools.local.stack import REGION, STAGE

NAMES = {"Stage": "local", "AWS::Region": "eu-south-1", "ApiDomain": "api.example"}


def template_policy() -> str:
    security = read_distribution(local_names(STAGE, REGION)).behaviour_for("/").headers
    return next(rule.value for rule in security if rule.name == "Content-Security-Policy")


def test_the_policy_is_the_templates_own() -> None:
    policy = template_policy()
    assert policy.startswith("default-src 'none'; ")
    assert "form-action 'self' https://accept.paymob.com;" in policy
    assert "\n" not in policy
    assert "ResponseHeadersPolicy" in PORTAL_TEMPLATE.read_text(encoding="utf-8")


def test_the_templates_api_paths_go_to_the_api_and_the_rest_to_the_bucket() -> None:
    distribution = read_distribution(local_names(STAGE, REGION))

    assert distribution.behaviours[-1].path_pattern == "*"
    assert distribution.behaviour_for("/index.html").origin is Origin.BUCKET
    assert distribution.behaviour_for("/v1/inquiries").origin is Origin.API
    assert "POST" in distribution.behaviour_for("/v1/inquiries").methods


def test_a_pattern_matches_as_cloudfronts_do_from_the_start_and_case_sensitive() -> None:
    behaviour = Behaviour("/v1/*", Origin.API, frozenset({"GET"}), ())
    assert behaviour.matches("/v1/requests/123")
    assert not behaviour.matches("/V1/requests")
    assert not behaviour.matches("/portal/v1/requests")
    assert Behaviour("/a?c", Origin.API, frozenset(), ()).matches("/abc")
    assert not Behaviour("/a?c", Origin.API, frozenset(), ()).matches("/abbc")


def test_refs_subs_and_joins_are_worked_out_from_the_local_names() -> None:
    assert resolve("plain", NAMES) == "plain"
    assert resolve({"Ref": "Stage"}, NAMES) == "local"
    assert resolve({"Fn::Sub": "https://${ApiDomain}/${Stage}"}, NAMES) == "https://api.example/local"
    assert resolve({"Fn::Sub": ["${Host}:${!Literal}", {"Host": {"Ref": "ApiDomain"}}]}, NAMES) == (
        "api.example:${Literal}"
    )
    assert resolve({"Fn::Join": ["; ", ["a", {"Ref": "Stage"}]]}, NAMES) == "a; local"
    with pytest.raises(ValueError, match="no local value"):
        resolve({"Ref": "Unknown"}, NAMES)
    with pytest.raises(ValueError, match="cannot work this out"):
        resolve({"Fn::GetAtt": ["Bucket", "Arn"]}, NAMES)


def template(**policy: Any) -> dict[str, Any]:
    return {
        "Resources": {
            "Headers": {"Type": "AWS::CloudFront::ResponseHeadersPolicy", "Properties": {
                "ResponseHeadersPolicyConfig": {"Name": "p", **policy}}},
            "Portal": {"Type": "AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {
                "DefaultRootObject": "index.html",
                "Origins": [{"Id": "site", "S3OriginConfig": {}}, {"Id": "api", "CustomOriginConfig": {}}],
                "CacheBehaviors": [{"PathPattern": "/v1/*", "TargetOriginId": "api",
                                    "AllowedMethods": ["GET", "HEAD", "POST"]}],
                "DefaultCacheBehavior": {"TargetOriginId": "site", "ResponseHeadersPolicyId": {"Ref": "Headers"}},
            }}},
        }
    }  # fmt: skip


def test_a_headers_policy_is_written_as_cloudfront_writes_each_header() -> None:
    distribution = read_distribution(NAMES, template(
        SecurityHeadersConfig={
            "ContentSecurityPolicy": {"ContentSecurityPolicy": {"Fn::Sub": "default-src 'none';\n  connect-src https://${ApiDomain}"},
                                      "Override": True},
            "StrictTransportSecurity": {"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": True,
                                        "Preload": True, "Override": True},
            "ContentTypeOptions": {"Override": True},
            "FrameOptions": {"FrameOption": "DENY", "Override": False},
        },
        CustomHeadersConfig={"Items": [{"Header": "Permissions-Policy", "Value": "camera=()", "Override": True}]},
        RemoveHeadersConfig={"Items": [{"Header": "Server"}]},
    ))  # fmt: skip

    site = distribution.behaviour_for("/index.html")
    assert (site.origin, site.methods, distribution.default_root_object) == (
        Origin.BUCKET, frozenset({"GET", "HEAD"}), "index.html",
    )  # fmt: skip
    assert site.headers == (
        HeaderRule("Content-Security-Policy", "default-src 'none'; connect-src https://api.example", True),
        HeaderRule("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload", True),
        HeaderRule("X-Content-Type-Options", "nosniff", True),
        HeaderRule("X-Frame-Options", "DENY", False),
        HeaderRule("Permissions-Policy", "camera=()", True),
    )
    assert site.removed_headers == frozenset({"server"})
    api = distribution.behaviour_for("/v1/requests")
    assert (api.origin, api.headers) == (Origin.API, ())


def test_what_the_local_server_cannot_apply_is_refused_not_ignored() -> None:
    with pytest.raises(ValueError, match="does not apply"):
        read_distribution(NAMES, template(CorsConfig={}))
    with pytest.raises(ValueError, match="security header setting"):
        read_distribution(NAMES, template(SecurityHeadersConfig={"NewHeader": {"Override": True}}))
    two = template()
    two["Resources"]["Second"] = two["Resources"]["Portal"]
    with pytest.raises(ValueError, match="2 distributions"):
        read_distribution(NAMES, two)
