"""Schemathesis runs the OpenAPI document against the real local stack (chalice local on the moto
server): every documented operation, a bounded number of examples each, a fixed seed. The checks:
no server error, only documented status codes and content types, answers matching their schemas."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from chalicelib.api.openapi.schemas import EXAMPLE_APPLICATION
from chalicelib.domain.staff import Role
from tests.e2e.stack import LocalStack
from tools.local.staff_token import local_signing_key, mint_token

pytestmark = pytest.mark.e2e

PROJECT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("schemathesis.toml")
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
REPORT = PROJECT / "test-artifacts" / "schemathesis"


def file_a_request(api_url: str) -> str:
    """A request in Dokki, so that the routes of one request reach their answers, not only 404s."""
    posted = urllib.request.Request(
        f"{api_url}/v1/requests",
        data=json.dumps(EXAMPLE_APPLICATION).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(posted, timeout=30) as answer:
        return str(json.load(answer)["tracking_number"])


def test_every_operation_conforms_to_the_document(local_stack: LocalStack) -> None:
    environment = {
        **os.environ,
        "SHOBBAK_STAFF_TOKEN": mint_token(local_signing_key(), Role.MANAGER, "dokki"),
        "OPEN311_API_KEY": "local-open311-api-key",
        "SHOBBAK_TRACKING_NUMBER": file_a_request(local_stack.api_url),
    }
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--config-file",
            str(CONFIG),
            "run",
            f"{local_stack.api_url}/v1/openapi.json",
            "--url",
            local_stack.api_url,
            "--checks",
            CHECKS,
            "--report",
            "junit",
            "--report-dir",
            str(REPORT),
        ],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = run.stdout + run.stderr
    REPORT.mkdir(parents=True, exist_ok=True)
    (REPORT / "output.txt").write_text(output, encoding="utf-8")
    assert run.returncode == 0, output[-12000:]
    assert " 0 passed" not in output
