"""Tracing: off (and the X-Ray SDK never imported) outside Lambda; in Lambda with active tracing,
every invocation is a subsegment annotated with its route and district, every AWS call a subsegment
of its own, and nothing a person could be identified by is sent to X-Ray."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap

from tests.conftest import PROJECT, TEST_REGION
from tests.factories import national_id
from tests.unit.test_config_deployment import COMPLETE

TRACE_ID = "Root=1-67a1b2c3-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1"
# One submission and one inquiry through the real handler, then the scheduled sweeper that sends
# the submission's SMS through SNS, in a Lambda-like process: moto in process, the real tables of
# the stage it is told (in Lambda a deployed one: the local stage refuses to start there).
JOURNEY = textwrap.dedent(
    """
    import json, os, sys
    import boto3
    from chalice.test import Client
    from moto import mock_aws
    from tools.local.resources import deploy_resources
    from tests.factories import free_service_code, submission

    with mock_aws():
        stage = os.environ.get("SHOBBAK_STAGE", "local")
        deploy_resources(boto3.client("cloudformation"), stage)
        from app import app
        json_body = {"Content-Type": "application/json"}
        with Client(app, stage_name=stage) as client:
            body = submission(free_service_code(), district_code="warraq")
            answer = client.http.post("/v1/requests", body=json.dumps(body), headers=json_body)
            assert answer.status_code == 201, answer.body
            tracking = answer.json_body["tracking_number"]
            asked = {"tracking_number": tracking, "national_id_last4": body["applicant"]["national_id"][-4:]}
            found = client.http.post("/v1/inquiries", body=json.dumps(asked), headers=json_body)
            assert found.status_code == 200, found.body
            tick = client.events.generate_cw_event("aws.events", "Scheduled Event", {}, [])
            swept = client.lambda_.invoke("sweep_messages", tick)
            assert swept.payload.get("sent"), swept.payload
    print("modules:", " ".join(sorted(name for name in sys.modules if name.startswith("aws_xray_sdk")))[:200])
    """
)


def _run(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    kept = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "_X_AMZN"))}
    base = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": TEST_REGION}
    return subprocess.run(
        [sys.executable, "-c", JOURNEY], cwd=PROJECT, env={**kept, **base, **environment},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _documents(datagrams: list[bytes]) -> list[dict]:
    """Each UDP datagram the X-Ray SDK sends is a header line and one segment document."""
    return [json.loads(datagram.decode().split("\n", 1)[1]) for datagram in datagrams]


def _walk(document: dict) -> list[dict]:
    return [document, *(found for child in document.get("subsegments", []) for found in _walk(child))]


def test_off_lambda_nothing_is_traced_and_the_sdk_is_never_imported() -> None:
    journey = _run({})

    assert journey.returncode == 0, journey.stderr
    assert "aws_xray_sdk" not in journey.stdout


def test_in_lambda_each_invocation_is_annotated_and_its_aws_calls_captured_without_personal_data() -> None:
    daemon = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    daemon.bind(("127.0.0.1", 0))
    daemon.settimeout(0.5)
    in_lambda = {
        **COMPLETE,
        "SHOBBAK_STAGE": "dev",
        "LOOKUP_HMAC_KEY": "tracing-test-lookup-key",  # given itself: no SSM in this process
        "AWS_LAMBDA_FUNCTION_NAME": "shobbak-dev-citizen-api",
        "LAMBDA_TASK_ROOT": str(PROJECT),
        "AWS_XRAY_DAEMON_ADDRESS": f"127.0.0.1:{daemon.getsockname()[1]}",
        "_X_AMZN_TRACE_ID": TRACE_ID,
    }

    journey = _run(in_lambda)
    datagrams = []
    try:
        while True:
            datagrams.append(daemon.recv(65536))
    except TimeoutError:
        daemon.close()

    assert journey.returncode == 0, journey.stderr
    units = [entity for document in _documents(datagrams) for entity in _walk(document)]
    routes = {unit["annotations"]["route"] for unit in units if "route" in unit.get("annotations", {})}
    assert routes == {"/v1/requests", "/v1/inquiries", "sweep_messages"}
    assert any(unit.get("annotations", {}).get("district") == "warraq" for unit in units)
    dynamodb = [unit for unit in units if unit.get("namespace") == "aws" and unit.get("name") == "dynamodb"]
    assert {unit["aws"]["operation"] for unit in dynamodb} >= {"TransactWriteItems", "Query"}
    sns = [unit for unit in units if unit.get("namespace") == "aws" and unit.get("name") == "sns"]
    assert {unit["aws"]["operation"] for unit in sns} == {"Publish"}
    sent = b"".join(datagrams).decode()
    for personal in (national_id(), national_id()[-4:], "1012345678", "منى"):
        # As a value of its own: four digits also turn up inside a segment's timestamps.
        assert not re.search(rf"(?<![0-9.]){personal}(?![0-9])", sent), personal
