"""pytest plugin: IAM enforced over the whole run (issue 22, "close the class"). moto enforces no
IAM, so every AWS call a function makes while a test drives it (tools/testing/aws_call_recorder.py)
is checked, at the end of the session, against that function's own role in the packaged template
build/dev/sam.yaml (tools/testing/iam_policy.py), resources named as the tests' stage names them.
A call the role does not grant fails the session. A statement of a role that no call used is a
gap, listed in test-artifacts/iam-unexercised.txt: granted, but no test shows the code needs it,
or that what the code does is granted.

A test that makes a refused call on purpose (a parameter named outside the role's grant, to see
the 503 it answers) says so with `@pytest.mark.iam_refusal_expected(action, resource pattern)`:
only its calls of that action on a matching resource are accepted, and the declaration must be
true (the call is made, and refused). Under pytest-xdist each worker hands its calls to the
controller, which judges them all. A missing template is a loud warning, and with
`--iam-required` (make test, which builds it first) a failed run.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from fnmatch import fnmatchcase
from typing import Any

import pytest
import yaml

from tools import PROJECT
from tools.testing import aws_call_recorder
from tools.testing.aws_call_recorder import ACCOUNT, stage_of
from tools.testing.iam_policy import applies, as_list, evaluate

TEMPLATE = PROJECT / "build" / "dev" / "sam.yaml"
REGION, STAGE = "eu-central-1", "local"  # the tests' moto (tests/conftest.py)
STAFF_POOL_TEMPLATE = PROJECT / "infra" / "staff-pool.yaml"  # the stack the roles import the pool from
GAPS = PROJECT / "test-artifacts" / "iam-unexercised.txt"
RECORDED = PROJECT / "test-artifacts" / "iam-calls.txt"  # every call checked, by function
_ARN_TEMPLATES = {
    "AWS::DynamoDB::Table": ("TableName", "arn:aws:dynamodb:{region}:{account}:table/{name}"),
    "AWS::S3::Bucket": ("BucketName", "arn:aws:s3:::{name}"),
    "AWS::SNS::Topic": ("TopicName", "arn:aws:sns:{region}:{account}:{name}"),
    "AWS::SQS::Queue": ("QueueName", "arn:aws:sqs:{region}:{account}:{name}"),
}


class Template:
    """The packaged template's roles and routing, with values as the tests' stage would have them."""

    def __init__(self, template: dict[str, Any], stage: str = STAGE) -> None:
        self.raw, self.stage = template, stage
        self._stages: dict[str, Template] = {stage: self}
        self.resources = template["Resources"]
        self.parameters = template.get("Parameters", {})
        functions = {n: r for n, r in self.resources.items() if r["Type"] == "AWS::Serverless::Function"}
        self.roles = {name: self.statements(function) for name, function in functions.items()}
        self.by_handler = {
            f["Properties"]["Handler"]: n for n, f in functions.items() if f["Properties"]["Handler"] != "app.app"
        }
        self.by_route: dict[str, str] = {}
        paths = self.resources["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
        for path, methods in paths.items():
            for method, operation in methods.items():
                uri = json.dumps(operation.get("x-amazon-apigateway-integration", {}).get("uri", ""))
                if named := re.search(r"\$\{(\w+)\.Arn\}", uri):
                    self.by_route[f"route {method.upper()} {path}"] = named[1]

    def at(self, stage: str) -> Template:
        """The same template, its values as stage `stage` has them."""
        if stage not in self._stages:
            self._stages[stage] = Template(self.raw, stage)
        return self._stages[stage]

    def roles_serving(self, serving: str) -> list[dict[str, Any]] | None:
        """The statements of the role of the function that served, in the stage it served in."""
        stage, _ = stage_of(serving)
        function = self.function(serving)
        return None if function is None else self.at(stage).roles[function]

    def statements(self, function: dict[str, Any]) -> list[dict[str, Any]]:
        role = self.resources[function["Properties"]["Role"]["Fn::GetAtt"][0]]
        found = []
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                resolved = dict(statement)
                for element in ("Resource", "NotResource"):
                    if element in statement:
                        resolved[element] = [self.value(v) for v in as_list(statement[element])]
                found.append(resolved)
        return found

    def deployed(self, logical: str) -> str | None:
        """The physical id of a resource the tests made in moto for this stage, when not the local one."""
        return None if self.stage == STAGE else aws_call_recorder.deployed_values.get(self.stage, {}).get(logical)

    def arn(self, logical: str) -> str:
        resource = self.resources[logical]
        if resource["Type"] in _ARN_TEMPLATES:
            prop, pattern = _ARN_TEMPLATES[resource["Type"]]
            name = self.deployed(logical) or self.value(resource.get("Properties", {}).get(prop, logical))
            return pattern.format(region=REGION, account=ACCOUNT, name=name)
        return f"arn:unresolved:{logical}"

    def ref(self, logical: str) -> str:
        if logical in self.parameters:
            return str(self.parameters[logical].get("Default", f"given-{logical}"))
        resource = self.resources.get(logical, {})
        if resource.get("Type") in ("AWS::SNS::Topic",):
            return self.arn(logical)
        if resource.get("Type") == "AWS::S3::Bucket":
            return self.arn(logical).removeprefix("arn:aws:s3:::")
        return f"ref-{logical}"

    def value(self, node: Any) -> str:
        if isinstance(node, str):
            return node
        if "Ref" in node:
            return self.ref(node["Ref"])
        if "Fn::GetAtt" in node:
            logical, attribute = (
                node["Fn::GetAtt"] if isinstance(node["Fn::GetAtt"], list) else node["Fn::GetAtt"].split(".")
            )
            return self.arn(logical) + ("/stream/*" if attribute == "StreamArn" else "")
        if "Fn::Sub" in node:
            text, given = (node["Fn::Sub"], {}) if isinstance(node["Fn::Sub"], str) else node["Fn::Sub"]
            fixed = {"AWS::Partition": "aws", "AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "Stage": self.stage}

            def substituted(match: re.Match[str]) -> str:
                name = match[1]
                if name in given:
                    return self.value(given[name])
                if name in fixed:
                    return fixed[name]
                if name.endswith(".Arn"):
                    return self.arn(name.removesuffix(".Arn"))
                return self.ref(name)

            return re.sub(r"\$\{([\w:.]+)\}", substituted, text)
        if "Fn::ImportValue" in node:
            return imported(self.value(node["Fn::ImportValue"]), self.stage)
        if "Fn::Join" in node:
            separator, parts = node["Fn::Join"]
            return separator.join(self.value(part) for part in parts)
        return "unresolved-" + json.dumps(node)

    def function(self, serving: str) -> str | None:
        _, serving = stage_of(serving)
        if serving.startswith("route "):
            return self.by_route.get(serving)
        return self.by_handler.get(serving.removeprefix("handler "))


def local_staff_pool_id() -> str:
    """The local stack's staff pool (tools/local/staff_pool.py makes it in moto, its id fixed):
    the one whose issuer the local stage is configured to trust."""
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return str(config["stages"][STAGE]["environment_variables"]["STAFF_TOKEN_ISSUER"]).rsplit("/", 1)[1]


def imported(name: str, stage: str = STAGE) -> str:
    """The value the staff pool's stack (infra/staff-pool.yaml) exports as `name`: in the local
    stage, its pool being the local stack's; in another, as the tests made that stage's pool in
    moto (aws_call_recorder.deployed_values). What a role's `Fn::ImportValue` resolves to."""
    from cfnlint.decode import cfn_yaml

    if stage != STAGE:
        return aws_call_recorder.deployed_values.get(stage, {}).get(name, f"unexported-{name}")
    staff_pool = cfn_yaml.load(str(STAFF_POOL_TEMPLATE))
    pools = {logical for logical, r in staff_pool["Resources"].items() if r["Type"] == "AWS::Cognito::UserPool"}
    for output in staff_pool["Outputs"].values():
        export = output.get("Export", {}).get("Name", {})
        if export.get("Fn::Sub", "").replace("${Stage}", STAGE) != name:
            continue
        value = output["Value"]
        if isinstance(value, dict) and "Fn::GetAtt" in value and value["Fn::GetAtt"][0] in pools:
            return f"arn:aws:cognito-idp:{REGION}:{ACCOUNT}:userpool/{local_staff_pool_id()}"
        if isinstance(value, dict) and value.get("Ref") in pools:
            return local_staff_pool_id()
        return f"unresolved-import-{name}"
    return f"unexported-{name}"


def refusals(template: Template, calls: set[tuple[str, str, str]]) -> list[str]:
    found = []
    for serving, action, resource in sorted(calls):
        function, statements = template.function(serving), template.roles_serving(serving)
        if function is None or statements is None:
            found.append(f"{serving}: no function of the template serves it ({action} {resource})")
            continue
        decision = evaluate(statements, action, resource)
        if not decision.allowed:
            denial = f" (denied by {', '.join(decision.denied_by)})" if decision.denied_by else ""
            found.append(f"{function} [{serving}]: {action} on {resource}{denial}")
    return found


def _one_grant(template: Template, function: str, index: int, action: str, place: int) -> dict[str, Any]:
    """Statement `index` of the function's role, narrowed to one action and its `place`-th resource."""
    statement = template.roles[function][index]
    only = {"Resource": statement["Resource"][place]} if "Resource" in statement else {}
    return {**statement, "Action": action, **only}


def unexercised(template: Template, calls: set[tuple[str, str, str]]) -> list[str]:
    """Each function's granted (action, resource) pair that no recorded call of that function used,
    in whichever stage it was served (each call against the statement as its stage resolves it)."""
    used: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for serving, action, resource in calls:
        if function := template.function(serving):
            used[function].append((stage_of(serving)[0], action, resource))
    lines = []
    for function, statements in sorted(template.roles.items()):
        for index, statement in enumerate(statements):
            if statement["Effect"] != "Allow" or "Action" not in statement:
                continue
            for action in as_list(statement["Action"]):
                for place, resource in enumerate(statement.get("Resource", [None])):
                    grant = (function, index, action, place)
                    if not any(applies(_one_grant(template.at(stage), *grant), a, r) for stage, a, r in used[function]):
                        shown = resource or "NotResource " + " ".join(statement["NotResource"])
                        lines.append(f"{function}\t{action}\t{shown}")
    return lines


def expected_refusal_verdicts(
    template: Template, expected: set[tuple[str, str, str, str]], declared: set[tuple[str, str, str]]
) -> tuple[list[str], list[str]]:
    """(the declared refusals met, the declarations that are wrong): a call a test declares refused
    that the role grants, or a declaration no call of its test met, is wrong (a stale allowance)."""
    met, wrong = [], []
    used: set[tuple[str, str, str]] = set()
    for test, serving, action, resource in sorted(expected):
        function = template.function(serving)
        for declared_test, declared_action, pattern in declared:
            if (declared_test, declared_action) == (test, action) and fnmatchcase(
                aws_call_recorder.resource_part(resource), pattern
            ):
                used.add((declared_test, declared_action, pattern))
        statements = template.roles_serving(serving)
        if statements is not None and evaluate(statements, action, resource).allowed:
            wrong.append(f"{test}: {function} [{serving}] is granted {action} on {resource}, which it declares refused")
        else:
            met.append(f"{test}: {function} [{serving}]: {action} on {resource}")
    wrong += [
        f"{test}: declares {action} on {pattern} refused, and makes no such call"
        for test, action, pattern in sorted(declared - used)
    ]
    return met, wrong


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--iam-required",
        action="store_true",
        help=f"fail the run when {TEMPLATE.relative_to(PROJECT)} is missing, rather than only warn (make test)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "iam_refusal_expected(action, resource): this test makes, on purpose, a call of `action` on a resource"
        " matching the pattern (over the ARN's resource part) that the serving function's role refuses",
    )
    aws_call_recorder.install()
    config.pluginmanager.register(_Enforcement(config), "iam-enforcement")


class _Enforcement:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.from_workers: set[tuple[str, str, str]] = set()
        self.declared: set[tuple[str, str, str]] = set()  # (test id, action, resource pattern) of tests run
        self.expected_from_workers: set[tuple[str, str, str, str]] = set()

    def pytest_testnodedown(self, node: Any, error: Any) -> None:  # pytest-xdist: a worker's calls
        output = getattr(node, "workeroutput", {})
        self.from_workers.update(tuple(call) for call in output.get("iam_calls", []))
        self.expected_from_workers.update(tuple(call) for call in output.get("iam_expected_refusals", []))
        self.declared.update(tuple(declared) for declared in output.get("iam_declared_refusals", []))
        for stage, exports in output.get("iam_deployed_values", {}).items():
            aws_call_recorder.deployed_values.setdefault(stage, {}).update(exports)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Any:
        allowances = []
        for marker in item.iter_markers("iam_refusal_expected"):
            if len(marker.args) != 2 or not all(isinstance(arg, str) and arg.strip("*") for arg in marker.args):
                raise pytest.UsageError(f"{item.nodeid}: iam_refusal_expected takes an action and a resource pattern")
            allowances.append((marker.args[0], marker.args[1]))
        if not allowances:
            yield
            return
        self.declared.update((item.nodeid, action, pattern) for action, pattern in allowances)
        with aws_call_recorder.expecting_refusals(item.nodeid, allowances):
            yield

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        calls = aws_call_recorder.recorded | self.from_workers
        expected = aws_call_recorder.expected_refusals | self.expected_from_workers
        if hasattr(self.config, "workeroutput"):  # an xdist worker: the controller judges
            self.config.workeroutput["iam_calls"] = sorted(calls)
            self.config.workeroutput["iam_expected_refusals"] = sorted(expected)
            self.config.workeroutput["iam_declared_refusals"] = sorted(self.declared)
            self.config.workeroutput["iam_deployed_values"] = aws_call_recorder.deployed_values
            return
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if not calls and not expected:
            return
        if not TEMPLATE.exists():
            reporter.write_line(f"IAM NOT ENFORCED: {TEMPLATE} is missing (make package STAGE=dev)", red=True)
            if self.config.getoption("iam_required"):
                session.exitstatus = pytest.ExitCode.TESTS_FAILED
            return
        # libyaml's safe loader, when PyYAML has it: the pure-Python one takes seconds over the
        # packaged template, at the end of every run. Both build the same plain values.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        template = Template(yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=loader))  # noqa: S506 - a safe loader
        denied = refusals(template, calls)
        met, wrong = expected_refusal_verdicts(template, expected, self.declared)
        GAPS.parent.mkdir(exist_ok=True)
        GAPS.write_text("\n".join(unexercised(template, calls)) + "\n", encoding="utf-8")
        by_function = sorted(f"{template.function(s)}\t{a}\t{r}\t{s}" for s, a, r in calls)
        RECORDED.write_text("\n".join(by_function) + "\n", encoding="utf-8")
        reporter.write_line(f"IAM: {len(calls)} distinct calls checked against {TEMPLATE.relative_to(PROJECT)}")
        if met:
            reporter.write_line(f"IAM: refused, as the test making each call declares ({len(met)}):")
            for line in met:
                reporter.write_line(f"  {line}")
        if denied:
            reporter.write_line("IAM: calls the function's role does not grant:", red=True)
            for line in denied:
                reporter.write_line(f"  {line}", red=True)
        if wrong:
            reporter.write_line("IAM: iam_refusal_expected declarations that are not true:", red=True)
            for line in wrong:
                reporter.write_line(f"  {line}", red=True)
        if denied or wrong:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
