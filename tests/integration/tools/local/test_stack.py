"""`make run`'s pieces (tools/local/stack.py): the environment every process of the stack shares,
each process started in a group of its own and stopped with what it spawned, and the AWS
emulation started with the stack's resources and staff pool deployed into it. The whole stack
is run by the end-to-end tests (tests/e2e/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import boto3
import pytest

from tools.local.stack import (
    REGION,
    STAGE,
    local_aws_environment,
    local_stage_variables,
    start,
    start_aws,
    stop,
    wait_until_answering,
)
from tools.testing.ports import free_port


def test_the_stack_talks_to_the_emulation_and_to_no_aws_of_the_developers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "someone-real")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "a-real-token")

    environment = local_aws_environment(5123)

    assert environment["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5123"
    assert (environment["AWS_DEFAULT_REGION"], environment["SHOBBAK_STAGE"]) == (REGION, STAGE)
    assert "AWS_PROFILE" not in environment
    assert "AWS_SESSION_TOKEN" not in environment


def test_the_local_stages_variables_are_chalices_config_for_it() -> None:
    variables = local_stage_variables()
    assert variables["STAFF_TOKEN_JWKS_FILE"] == ".local/staff-jwks.json"
    assert all(isinstance(value, str) for value in variables.values())


def test_a_started_process_is_waited_for_until_it_answers_and_stopped_with_its_group(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    server = start(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], local_aws_environment(1), log=log
    )
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/", server)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
            assert answer.status == 200
    finally:
        stop([server])
    assert server.poll() is not None
    assert log.exists()


def test_a_process_that_exits_before_answering_is_reported(tmp_path: Path) -> None:
    quitter = start([sys.executable, "-c", "raise SystemExit(3)"], local_aws_environment(1), log=tmp_path / "q.log")

    with pytest.raises(RuntimeError, match="exited with 3"):
        wait_until_answering(f"http://127.0.0.1:{free_port()}/", quitter)


def test_the_emulation_starts_with_the_stacks_resources_and_staff_pool(tmp_path: Path) -> None:
    port = free_port()
    environment = local_aws_environment(port)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        _, outputs = start_aws(port, environment, processes, log=tmp_path / "aws.log")

        dynamodb = boto3.client(
            "dynamodb", endpoint_url=environment["AWS_ENDPOINT_URL"], region_name=REGION,
            aws_access_key_id="local", aws_secret_access_key="local",
        )  # fmt: skip
        assert outputs["RequestsTableName"] in dynamodb.list_tables()["TableNames"]
        with urllib.request.urlopen(outputs["StaffTokenJwksUrl"], timeout=10) as answer:
            assert json.load(answer)["keys"]
    finally:
        stop(processes)
    assert all(process.poll() is not None for process in processes)
