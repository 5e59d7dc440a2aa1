"""The portal's CloudFront distribution as infra/portal.yaml declares it, read for the local portal server.

What the server needs to serve the portal as CloudFront does: which origin each path goes to (the cache
behaviours, in their order, the default last), which methods each behaviour lets through, and the
response headers policy each applies (CSP, HSTS and the rest). Everything is read from the template,
never copied: a change to the template changes the local stack with it. A setting this module does not
know how to apply raises an error rather than being left out without a word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from tools import PROJECT

PORTAL_TEMPLATE = PROJECT / "infra" / "portal.yaml"
DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"
HEADERS_POLICY_TYPE = "AWS::CloudFront::ResponseHeadersPolicy"
_SUBSTITUTION = re.compile(r"\$\{([^}!][^}]*)\}")


class Origin(Enum):
    BUCKET = "bucket"  # the portal's pages and assets (an S3 origin)
    API = "api"  # the API (a custom origin: API Gateway)


@dataclass(frozen=True)
class HeaderRule:
    """One header of a response headers policy. Without `override`, an origin's own header wins."""

    name: str
    value: str
    override: bool


@dataclass(frozen=True)
class Behaviour:
    path_pattern: str
    origin: Origin
    methods: frozenset[str]
    headers: tuple[HeaderRule, ...]
    removed_headers: frozenset[str] = frozenset()

    def matches(self, path: str) -> bool:
        # CloudFront's patterns: `*` any run of characters, `?` one, case-sensitive, matched from the start.
        pattern = re.escape(self.path_pattern).replace(r"\*", ".*").replace(r"\?", ".")
        return re.fullmatch(pattern, path) is not None


@dataclass(frozen=True)
class Distribution:
    behaviours: tuple[Behaviour, ...]  # in CloudFront's order of precedence, the default behaviour last
    default_root_object: str | None

    def behaviour_for(self, path: str) -> Behaviour:
        """The first behaviour whose pattern matches the path (the query string is not part of it)."""
        return next(behaviour for behaviour in self.behaviours if behaviour.matches(path))


def local_names(stage: str, region: str) -> dict[str, str]:
    """What the template's !Ref and !Sub may name, on this machine."""
    return {
        "Stage": stage,
        "AWS::Region": region,
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::Partition": "aws",
        "AWS::AccountId": "123456789012",  # moto's account
    }


def read_distribution(names: Mapping[str, str], template: Mapping[str, Any] | None = None) -> Distribution:
    """The template's one distribution; `names` resolves the !Ref and !Sub its headers policy uses."""
    if template is None:
        from tools.local.template_yaml import load_template

        template = load_template(PORTAL_TEMPLATE)
    resources = template["Resources"]
    distributions = [resource for resource in resources.values() if resource["Type"] == DISTRIBUTION_TYPE]
    if len(distributions) != 1:
        raise ValueError(f"{PORTAL_TEMPLATE.name} declares {len(distributions)} distributions, not one")
    config = distributions[0]["Properties"]["DistributionConfig"]
    origins = {origin["Id"]: _origin_kind(origin) for origin in config["Origins"]}

    def behaviour(declared: Mapping[str, Any], path_pattern: str) -> Behaviour:
        headers, removed = _headers_policy(resources, declared.get("ResponseHeadersPolicyId"), names)
        return Behaviour(
            path_pattern=path_pattern,
            origin=origins[declared["TargetOriginId"]],
            methods=frozenset(declared.get("AllowedMethods", ["GET", "HEAD"])),
            headers=headers,
            removed_headers=removed,
        )

    behaviours = [behaviour(declared, declared["PathPattern"]) for declared in config.get("CacheBehaviors", [])]
    behaviours.append(behaviour(config["DefaultCacheBehavior"], "*"))
    return Distribution(tuple(behaviours), config.get("DefaultRootObject"))


def _origin_kind(origin: Mapping[str, Any]) -> Origin:
    if "S3OriginConfig" in origin:
        return Origin.BUCKET
    if "CustomOriginConfig" in origin:
        return Origin.API
    raise ValueError(f"origin {origin['Id']}: neither an S3 nor a custom origin")


def _headers_policy(
    resources: Mapping[str, Any], reference: Any, names: Mapping[str, str]
) -> tuple[tuple[HeaderRule, ...], frozenset[str]]:
    if reference is None:
        return (), frozenset()
    if not (isinstance(reference, Mapping) and "Ref" in reference):
        raise ValueError(f"response headers policy {reference!r}: only a policy of the template itself is known here")
    resource = resources[reference["Ref"]]
    if resource["Type"] != HEADERS_POLICY_TYPE:
        raise ValueError(f"{reference['Ref']} is not a response headers policy")
    config = resource["Properties"]["ResponseHeadersPolicyConfig"]
    unknown = set(config) - {"Name", "Comment", "SecurityHeadersConfig", "CustomHeadersConfig", "RemoveHeadersConfig"}
    if unknown:
        raise ValueError(f"{reference['Ref']}: the local portal server does not apply {sorted(unknown)}")
    rules = [*_security_headers(config.get("SecurityHeadersConfig", {}), names)]
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        rules.append(HeaderRule(item["Header"], resolve(item["Value"], names), bool(item["Override"])))
    removed = frozenset(item["Header"].lower() for item in config.get("RemoveHeadersConfig", {}).get("Items", []))
    return tuple(rules), removed


def _security_headers(config: Mapping[str, Any], names: Mapping[str, str]) -> list[HeaderRule]:
    """CloudFront's security headers, each written as CloudFront writes it."""
    rules = []
    for setting, declared in config.items():
        override = bool(declared["Override"])
        if setting == "ContentSecurityPolicy":
            policy = " ".join(resolve(declared["ContentSecurityPolicy"], names).split())
            rules.append(HeaderRule("Content-Security-Policy", policy, override))
        elif setting == "StrictTransportSecurity":
            value = f"max-age={declared['AccessControlMaxAgeSec']}"
            value += "; includeSubDomains" if declared.get("IncludeSubdomains") else ""
            value += "; preload" if declared.get("Preload") else ""
            rules.append(HeaderRule("Strict-Transport-Security", value, override))
        elif setting == "ContentTypeOptions":
            rules.append(HeaderRule("X-Content-Type-Options", "nosniff", override))
        elif setting == "FrameOptions":
            rules.append(HeaderRule("X-Frame-Options", declared["FrameOption"], override))
        elif setting == "ReferrerPolicy":
            rules.append(HeaderRule("Referrer-Policy", declared["ReferrerPolicy"], override))
        elif setting == "XSSProtection":
            value = "1" if declared["Protection"] else "0"
            value += "; mode=block" if declared.get("ModeBlock") else ""
            value += f"; report={declared['ReportUri']}" if declared.get("ReportUri") else ""
            rules.append(HeaderRule("X-XSS-Protection", value, override))
        else:
            raise ValueError(f"the local portal server does not apply the security header setting {setting}")
    return rules


def resolve(value: Any, names: Mapping[str, str]) -> str:
    """A string of the template with its !Ref, !Sub and !Join worked out from `names`."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Ref":
            return _named(argument, names)
        if function == "Fn::Sub":
            text, own = (argument, {}) if isinstance(argument, str) else argument
            scope = {**names, **{name: resolve(given, names) for name, given in own.items()}}
            substituted = _SUBSTITUTION.sub(lambda found: _named(found.group(1), scope), text)
            return substituted.replace("${!", "${")
        if function == "Fn::Join":
            separator, parts = argument
            return separator.join(resolve(part, names) for part in parts)
    raise ValueError(f"{value!r}: the local portal server cannot work this out")


def _named(name: str, names: Mapping[str, str]) -> str:
    if name not in names:
        raise ValueError(f"the template names {name}, which has no local value (tools/local/cloudfront.py)")
    return names[name]
