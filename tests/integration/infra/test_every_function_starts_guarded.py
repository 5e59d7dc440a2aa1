"""Every function of the packaged template runs the startup guard and traces each invocation,
the event functions too (issue 22, defect 6): Chalice points an event function's handler straight
at its blueprint's module (`chalicelib.api.routes.<module>.<function>`), so app.py, where the
API functions get their guard, never runs there.

Tested through the Handler strings of build/<stage>/sam.yaml, on the unpacked deployment.zip, each
in a fresh interpreter with no site-packages (tests/integration/infra/lambda_runtime.py), under the function's
own environment from the template: without one required setting its init must fail; with all of
them its invocation must reach the X-Ray daemon address as a subsegment annotated with its route.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT
from tests.integration.infra.conftest import packaged
from tests.integration.infra.test_packaged_template import functions
from tests.packaged_environment import ACCOUNT, REGION, function_name, template_variables

RUNTIME = Path(__file__).with_name("lambda_runtime.py")
# A setting every function needs (chalicelib/config.py DEPLOYMENT_SETTINGS), left out to see the guard fire.
LEFT_OUT = "VOICE_ORIGINATION_IDENTITY"
SAMPLED_TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


@pytest.fixture(scope="session")
def task_root(stage: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stage's deployment.zip unpacked, as Lambda unpacks it into /var/task."""
    packaged(stage)
    root = tmp_path_factory.mktemp(f"task-{stage}")
    with zipfile.ZipFile(PROJECT / "build" / stage / "deployment.zip") as archive:
        archive.extractall(root)
    return root


def environment(template: dict[str, Any], stage: str, function: dict[str, Any], daemon: str) -> dict[str, str]:
    """The function's environment in Lambda: the template's variables, then what Lambda sets."""
    return {
        **template_variables(template, stage, function),
        "AWS_LAMBDA_FUNCTION_NAME": function_name(template, stage, function),
        "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION, "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_ACCESS_KEY_ID": "stand-in", "AWS_SECRET_ACCESS_KEY": "stand-in", "AWS_SESSION_TOKEN": "stand-in",
        # Whatever AWS call the handler makes is refused at once: only the guard and the tracing are tested.
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1",
        "AWS_XRAY_DAEMON_ADDRESS": daemon, "_X_AMZN_TRACE_ID": SAMPLED_TRACE,
        "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
    }  # fmt: skip


def api_route(template: dict[str, Any], name: str) -> tuple[str, str]:
    """A method and path (no path parameter) that the API definition sends to function `name`."""
    paths = template["Resources"]["RestAPI"]["Properties"]["DefinitionBody"]["paths"]
    for path, methods in paths.items():
        for method, operation in methods.items():
            uri = json.dumps(operation.get("x-amazon-apigateway-integration", {}).get("uri", ""))
            if f"${{{name}.Arn}}" in uri and "{" not in path:
                return method.upper(), path
    raise AssertionError(f"{name} answers no route without path parameters")


def event_for(template: dict[str, Any], stage: str, name: str, function: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """An event built like the one AWS sends this function, and the route its trace must name."""
    properties = function["Properties"]
    name_in_lambda = function_name(template, stage, function)
    if properties["Handler"] == "app.app":
        method, path = api_route(template, name)
        context = {"resourcePath": path, "httpMethod": method, "path": path, "stage": "v1", "requestId": "r"}
        event = {"resource": path, "path": path, "httpMethod": method, "headers": {"Accept": "application/json"},
                 "multiValueHeaders": {"Accept": ["application/json"]}, "queryStringParameters": None,
                 "multiValueQueryStringParameters": None, "pathParameters": None, "stageVariables": None,
                 "requestContext": context, "body": None, "isBase64Encoded": False}  # fmt: skip
        return event, path
    sources = [source for source in (properties.get("Events") or {}).values()]
    if not sources:  # the staff token authorizer
        arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:abc/v1/GET/v1/office/requests"
        return {"type": "TOKEN", "authorizationToken": "Bearer not-a-token", "methodArn": arn}, "staff_token"
    kind = sources[0]["Type"]
    if kind == "DynamoDB":
        record = {"eventID": "1", "eventName": "MODIFY", "eventSource": "aws:dynamodb", "awsRegion": REGION,
                  "eventSourceARN": "arn:aws:dynamodb:eu-central-1:123456789012:table/t/stream/s",
                  "dynamodb": {"ApproximateCreationDateTime": 1735689600, "Keys": {"key": {"S": "none"}},
                               "SequenceNumber": "1", "SizeBytes": 1,
                               "StreamViewType": "NEW_AND_OLD_IMAGES"}}  # fmt: skip
        event: dict[str, Any] = {"Records": [record]}
    elif kind == "SNS":
        sns = {"Message": "{}", "MessageAttributes": {}, "MessageId": "1", "Subject": None,
               "Timestamp": "2025-01-01T00:00:00.000Z", "TopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:t"}  # fmt: skip
        event = {"Records": [{"EventSource": "aws:sns", "EventSubscriptionArn": "s", "Sns": sns}]}
    else:  # Schedule or CloudWatchEvent: an EventBridge event, of the pattern's source when it names one
        pattern = sources[0]["Properties"].get("Pattern", {})
        detail = {"bucket": {"name": "another-bucket"}, "object": {"key": "k"},
                  "s3ObjectDetails": {"bucketName": "another-bucket", "objectKey": "k"},
                  "scanResultDetails": {"scanResultStatus": "NO_THREATS_FOUND"}}  # fmt: skip
        event = {"version": "0", "id": "1", "account": ACCOUNT, "region": REGION, "resources": [],
                 "time": "2025-01-01T00:00:00Z", "source": pattern.get("source", ["aws.events"])[0],
                 "detail-type": pattern.get("detail-type", ["Scheduled Event"])[0], "detail": detail}  # fmt: skip
    return event, name_in_lambda


@pytest.fixture
def daemon() -> Iterator[socket.socket]:
    """A stand-in X-Ray daemon: the UDP socket the SDK sends its segment documents to."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    yield listener
    listener.close()


def received(listener: socket.socket) -> list[dict[str, Any]]:
    documents = []
    while True:
        try:
            datagram = listener.recv(65536).decode()
        except TimeoutError:
            return documents
        documents.append(json.loads(datagram.split("\n", 1)[1]))  # after the {"format": "json"} header


def run(task_root: Path, handler: str, event: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-S", str(RUNTIME), str(task_root), handler, json.dumps(event)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_without_a_required_setting_no_function_starts(
    template: dict[str, Any], stage: str, task_root: Path, daemon: socket.socket
) -> None:
    address = f"127.0.0.1:{daemon.getsockname()[1]}"
    started = {}
    for name, function in functions(template).items():
        env = environment(template, stage, function, address)
        del env[LEFT_OUT]
        event, _ = event_for(template, stage, name, function)
        outcome = run(task_root, function["Properties"]["Handler"], event, env)
        if outcome.get("init_error") != "IncompleteDeployment" or LEFT_OUT not in outcome["message"]:
            started[name] = outcome
    assert started == {}
    assert received(daemon) == []  # no invocation ran


def test_with_its_settings_each_function_traces_its_invocation_by_route(
    template: dict[str, Any], stage: str, task_root: Path, daemon: socket.socket
) -> None:
    address = f"127.0.0.1:{daemon.getsockname()[1]}"
    untraced = {}
    for name, function in functions(template).items():
        event, route = event_for(template, stage, name, function)
        env = environment(template, stage, function, address)
        outcome = run(task_root, function["Properties"]["Handler"], event, env)
        annotated = [document.get("annotations", {}).get("route") for document in received(daemon)]
        if "init_error" in outcome or route not in annotated:
            untraced[name] = {"outcome": outcome, "annotated": annotated}
    assert untraced == {}
