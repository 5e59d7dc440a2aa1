"""The deployable template, in the two steps around `chalice package` (the Makefile's `package`).

`merge --stage S OUT`: the template `chalice package --merge-template` takes: infra/resources.yaml
with the deployment's files merged over it (MERGED, in order), intrinsic functions kept, written as
JSON, its Stage parameter fixed to S so that the template cannot be deployed as another stage, and
the portal's not-found function given its code for S (tools/build/portal_not_found.py).

`finish SAM`: what Chalice cannot express, done on its output in place: each function declaring
`Metadata: {SameCodeAs: X, ApiRoutesUnder: /prefix/}` (or a list of prefixes; infra/functions.yaml)
becomes a copy of function X (same code, same handler) and answers the API routes under them, so that the
API's routes are split between functions of their own concurrency and role.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from tools import PROJECT
from tools.build import portal_not_found

INFRA = PROJECT / "infra"
# Merged over infra/resources.yaml in this order; each file's header says what it adds.
MERGED = (
    "parameters.yaml", "functions.yaml", "api.yaml", "portal.yaml", "operations.yaml", "personal-data.yaml",
    "wiring.yaml", "dashboards.yaml", "alarms.yaml",
)  # fmt: skip
INTEGRATION = "x-amazon-apigateway-integration"


def merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`: mappings merge key by key, anything else (lists too) is replaced."""
    result = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def merge_template(stage: str) -> dict[str, Any]:
    template = _load(INFRA / "resources.yaml")
    for name in MERGED:
        template = merged(template, _load(INFRA / name))
    for resource in template["Resources"].values():
        body = resource.get("Properties", {}).get("DashboardBody")
        if isinstance(body, dict):  # written as YAML in infra/dashboards.yaml; CloudFormation wants a JSON string
            resource["Properties"]["DashboardBody"] = {"Fn::Sub": json.dumps(body, ensure_ascii=False)}
    not_found = template["Resources"]["PortalNotFoundFunction"]["Properties"]
    security_headers = template["Resources"]["PortalSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    not_found["FunctionCode"] = portal_not_found.function_code(stage, security_headers["SecurityHeadersConfig"])
    template["Parameters"]["Stage"] = {
        "Type": "String",
        "AllowedValues": [stage],
        "Default": stage,
        "Description": f"Names every table and function; this template was packaged for {stage}.",
    }
    return template


def split_api_functions(template: dict[str, Any]) -> list[str]:
    """Completes each `SameCodeAs` function from its source and routes its prefix to it; returns their names."""
    resources = template["Resources"]
    paths = resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    split = []
    for name, resource in list(resources.items()):
        metadata = resource.get("Metadata") or {}
        source_name, prefixes = metadata.get("SameCodeAs"), metadata.get("ApiRoutesUnder")
        if not source_name:
            continue
        source = resources[source_name]
        resource["Properties"] = {**copy.deepcopy(source["Properties"]), **resource.get("Properties", {})}
        resource["Properties"].pop("Events", None)
        routed = 0
        for path, methods in paths.items():
            if not path.startswith(tuple(prefixes if isinstance(prefixes, list) else [prefixes])):
                continue
            for method in methods.values():
                integration = method.get(INTEGRATION, {})
                uri = integration.get("uri")
                if isinstance(uri, dict) and "Fn::Sub" in uri:
                    integration["uri"] = {
                        "Fn::Sub": uri["Fn::Sub"].replace(f"${{{source_name}.Arn}}", f"${{{name}.Arn}}")
                    }
                    routed += 1
        if not routed:
            raise SystemExit(f"{name}: no API route under {prefixes} to answer")
        permission = copy.deepcopy(resources[f"{source_name}InvokePermission"])
        permission["Properties"]["FunctionName"] = {"Ref": name}
        resources[f"{name}InvokePermission"] = permission
        split.append(name)
    return split


def _load(path: Path) -> Any:
    """A CloudFormation YAML file (short-form intrinsic functions and all) as plain dicts, lists and
    strings. cfn-lint costs a second to import (sympy, networkx): loaded here, on first use, so that
    importing this module (the unit tests' collection, in every pytest-xdist worker) does not pay it."""
    from cfnlint.decode import cfn_yaml

    return json.loads(json.dumps(cfn_yaml.load(str(path)), default=str))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    steps = parser.add_subparsers(dest="step", required=True)
    merge = steps.add_parser("merge")
    merge.add_argument("--stage", required=True, choices=["dev", "prod"])
    merge.add_argument("output", type=Path)
    finish = steps.add_parser("finish")
    finish.add_argument("sam", type=Path)
    arguments = parser.parse_args()
    if arguments.step == "merge":
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        template = merge_template(arguments.stage)
        arguments.output.write_text(json.dumps(template, indent=2), encoding="utf-8")
    else:
        template = _load(arguments.sam)
        split_api_functions(template)
        arguments.sam.write_text(yaml.safe_dump(template, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
