"""The deployable template around `chalice package`: infra's files merged over resources.yaml for
one stage, and the API's routes split between functions of their own
(tools/build/package_template.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tools.build.package_template import INTEGRATION, MERGED, merge_template, merged, split_api_functions


def test_mappings_merge_key_by_key_and_anything_else_is_replaced() -> None:
    base = {"Resources": {"A": {"Type": "T", "Properties": {"X": 1, "L": [1, 2]}}}, "Outputs": {"O": 1}}
    over = {"Resources": {"A": {"Properties": {"L": [3]}}, "B": {"Type": "U"}}}

    assert merged(base, over) == {
        "Resources": {"A": {"Type": "T", "Properties": {"X": 1, "L": [3]}}, "B": {"Type": "U"}},
        "Outputs": {"O": 1},
    }
    assert base["Resources"]["A"]["Properties"]["L"] == [1, 2]  # the base is left as it was


@pytest.fixture(scope="module")
def dev() -> dict[str, Any]:
    return merge_template("dev")


def test_the_merged_template_can_be_deployed_as_its_own_stage_only(dev: dict[str, Any]) -> None:
    assert dev["Parameters"]["Stage"]["AllowedValues"] == ["dev"]
    assert dev["Parameters"]["Stage"]["Default"] == "dev"
    assert merge_template("prod")["Parameters"]["Stage"]["AllowedValues"] == ["prod"]


def test_every_merged_file_adds_to_the_template(dev: dict[str, Any]) -> None:
    assert len(MERGED) == 9
    assert {"RestAPI", "PortalNotFoundFunction", "PortalSecurityHeaders"} <= set(dev["Resources"])
    assert dev["Resources"]["PortalNotFoundFunction"]["Properties"]["FunctionCode"]


def test_dashboards_are_given_to_cloudformation_as_json_strings(dev: dict[str, Any]) -> None:
    bodies = [
        resource["Properties"]["DashboardBody"]
        for resource in dev["Resources"].values()
        if resource.get("Type") == "AWS::CloudWatch::Dashboard"
    ]
    assert bodies, "the template declares dashboards"
    for body in bodies:
        assert isinstance(json.loads(body["Fn::Sub"]), dict)


def sam(**functions: dict[str, Any]) -> dict[str, Any]:
    def route(function: str) -> dict[str, Any]:
        return {"post": {INTEGRATION: {"uri": {"Fn::Sub": f"arn:...:${{{function}.Arn}}/invocations"}}}}

    return {
        "Resources": {
            "APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {
                "Handler": "app.app", "CodeUri": "./deployment.zip", "Events": {"x": {}}}},
            "APIHandlerInvokePermission": {"Type": "AWS::Lambda::Permission",
                                           "Properties": {"FunctionName": {"Ref": "APIHandler"}}},
            "RestAPI": {"Properties": {"DefinitionBody": {"paths": {
                "/v1/office/requests": route("APIHandler"),
                "/v1/office/queue": route("APIHandler"),
                "/v1/inquiries": route("APIHandler"),
            }}}},
            **functions,
        }
    }  # fmt: skip


def test_a_function_with_the_same_code_answers_the_routes_under_its_prefix() -> None:
    template = sam(OfficeFunction={
        "Type": "AWS::Serverless::Function",
        "Metadata": {"SameCodeAs": "APIHandler", "ApiRoutesUnder": "/v1/office/"},
        "Properties": {"ReservedConcurrentExecutions": 5},
    })  # fmt: skip

    assert split_api_functions(template) == ["OfficeFunction"]

    resources = template["Resources"]
    office = resources["OfficeFunction"]["Properties"]
    assert (office["Handler"], office["CodeUri"], office["ReservedConcurrentExecutions"]) == (
        "app.app", "./deployment.zip", 5,
    )  # fmt: skip
    assert "Events" not in office
    paths = resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    uris = {path: methods["post"][INTEGRATION]["uri"]["Fn::Sub"] for path, methods in paths.items()}
    assert "${OfficeFunction.Arn}" in uris["/v1/office/requests"]
    assert "${OfficeFunction.Arn}" in uris["/v1/office/queue"]
    assert "${APIHandler.Arn}" in uris["/v1/inquiries"]
    assert resources["OfficeFunctionInvokePermission"]["Properties"]["FunctionName"] == {"Ref": "OfficeFunction"}


def test_a_split_function_with_no_route_to_answer_stops_the_build() -> None:
    template = sam(Orphan={"Metadata": {"SameCodeAs": "APIHandler", "ApiRoutesUnder": ["/v9/"]}})

    with pytest.raises(SystemExit, match="no API route under"):
        split_api_functions(template)
