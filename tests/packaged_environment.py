"""A function's environment as the packaged template (build/<stage>/sam.yaml) gives it: the
template's variables, Globals' then the function's own, each resolved as CloudFormation would.

Two readers: the startup-guard test (tests/integration/infra/test_every_function_starts_guarded.py),
which gives every reference a stand-in, and the packaged stage of the API tests
(tests/integration/api/packaged_stage.py), which gives each the value it has in moto.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

ACCOUNT, REGION = "123456789012", "eu-central-1"  # moto's account, the tests' region
NUMERIC = {"PaymobIntegrationId", "PaymobIframeId", "PaymobMerchantId"}


def resolved(value: Any, template: dict[str, Any], stage: str, given: Mapping[str, str] | None = None) -> str:
    """A value as CloudFormation would give it: a parameter its default, a resource (Ref) or an
    export (Fn::ImportValue) its value in `given`, and what `given` lacks a plausible stand-in."""
    given = given or {}
    if isinstance(value, str):
        return value
    if "Ref" in value:
        name = value["Ref"]
        if name in given:
            return given[name]
        default = template.get("Parameters", {}).get(name, {}).get("Default")
        return str(default) if default else ("1" if name in NUMERIC else f"given-{name}")
    if "Fn::Sub" in value:
        text = value["Fn::Sub"] if isinstance(value["Fn::Sub"], str) else value["Fn::Sub"][0]
        for name, known in (("Stage", stage), ("AWS::AccountId", ACCOUNT), ("AWS::Region", REGION)):
            text = text.replace(f"${{{name}}}", known)
        return text
    if "Fn::ImportValue" in value:
        export = resolved(value["Fn::ImportValue"], template, stage, given)
        return given.get(export, f"https://imported.example/{export}")
    return "given-" + json.dumps(value)


def template_variables(
    template: dict[str, Any], stage: str, function: dict[str, Any], given: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The function's environment variables, as the template sets them, resolved."""
    variables = {
        **template["Globals"]["Function"]["Environment"]["Variables"],
        **function["Properties"]["Environment"]["Variables"],
    }
    return {name: resolved(value, template, stage, given) for name, value in variables.items()}


def function_name(template: dict[str, Any], stage: str, function: dict[str, Any]) -> str:
    return resolved(function["Properties"]["FunctionName"], template, stage)
