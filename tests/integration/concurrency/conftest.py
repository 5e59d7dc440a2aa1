"""The real local stack for tests that run things at the same time: the AWS emulation in a
process of its own (tools/local/emulation/server.py, one call at a time, as DynamoDB applies each call
atomically), `chalice local` in another (threads, as many requests at once as are sent),
and a stand-in Paymob. Tests send HTTP from many threads, or run handlers in many processes;
nothing serializes the application's own calls."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.conftest import PROJECT, TEST_REGION, local_stage_environment
from tests.integration.fake_paymob import FakePaymob
from tools.local.resources import deploy_resources
from tools.testing.ports import free_port

READY_TIMEOUT_S = 90


@dataclass
class Answer:
    """What chalice.test's answers offer, so the API tests' helpers work over HTTP too."""

    status_code: int
    body: bytes
    headers: dict[str, str]

    @property
    def json_body(self) -> Any:
        return json.loads(self.body)


class Http:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def request(
        self, method: str, path: str, body: str | bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        data = body.encode("utf-8") if isinstance(body, str) else body
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return Answer(answer.status, answer.read(), dict(answer.headers))
        except urllib.error.HTTPError as refusal:
            return Answer(refusal.code, refusal.read(), dict(refusal.headers))

    def post(self, path: str, body: str | bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        return self.request("POST", path, body, headers)

    def get(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return self.request("GET", path, None, headers)


class StackClient:
    """The API of `chalice local`, reached over HTTP: `client.http.post(...)` as in the API tests."""

    def __init__(self, api_url: str) -> None:
        self.http = Http(api_url)


@dataclass(frozen=True)
class Stack:
    aws_url: str
    api_url: str
    paymob: FakePaymob
    environment: dict[str, str]  # what a process needs to work against this stack's AWS

    @property
    def client(self) -> StackClient:
        return StackClient(self.api_url)

    def reset(self) -> None:
        """Empty tables: everything the emulation holds is dropped and the stack deployed again."""
        urllib.request.urlopen(urllib.request.Request(f"{self.aws_url}/moto-api/reset", method="POST"))
        deploy_resources(self.aws("cloudformation"), "local")

    def aws(self, service: str) -> Any:
        return boto3.client(
            service, endpoint_url=self.aws_url, region_name=TEST_REGION,
            aws_access_key_id="local", aws_secret_access_key="local",
        )  # fmt: skip

    def sms_sent(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.aws_url}/moto-api/data.json", timeout=30) as answer:
            return json.load(answer)["sns"].get("SMS", [])


def _start(command: list[str], environment: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        command, cwd=PROJECT, env=environment, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} stopped before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered {url}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def running_stack() -> Iterator[Stack]:
    aws_port, api_port = free_port(), free_port()
    aws_url = f"http://127.0.0.1:{aws_port}"
    paymob = FakePaymob()
    threading.Thread(target=paymob.serve_forever, daemon=True).start()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(local_stage_environment())
    environment.update(
        AWS_ENDPOINT_URL=aws_url, AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local",
        AWS_DEFAULT_REGION=TEST_REGION, PAYMOB_API_BASE=paymob.url, PYTHONUNBUFFERED="1",
    )  # fmt: skip
    # Storms of filings and messages for the factories' one phone: past issue 10's daily limits,
    # which tests/integration/services/test_flooding.py tests on their own.
    environment.update(ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY="100000", MESSAGES_PER_PHONE_PER_DAY="100000")
    aws = _start([sys.executable, "-m", "tools.local.emulation.server", "--port", str(aws_port)], environment)
    api = None
    try:
        _wait_for(f"{aws_url}/moto-api/", aws)
        api = _start(
            [sys.executable, "-m", "tools.local.api_gateway", "local", "--stage", "local", "--host", "127.0.0.1",
             "--port", str(api_port), "--no-autoreload"],
            environment,
        )  # fmt: skip
        stack = Stack(aws_url, f"http://127.0.0.1:{api_port}", paymob, environment)
        stack.reset()
        _wait_for(f"{stack.api_url}/v1/districts", api)
        yield stack
    finally:
        for process in (api, aws):
            if process is not None:
                _stop(process)
        paymob.shutdown()
        paymob.server_close()


@pytest.fixture
def stack(running_stack: Stack, monkeypatch: pytest.MonkeyPatch) -> Stack:
    """The running stack with empty tables; this process's AWS calls go to it as well."""
    running_stack.reset()
    for name, value in running_stack.environment.items():
        if name.startswith("AWS_"):
            monkeypatch.setenv(name, value)
    return running_stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` runs these in its serial pass, after the parallel one (the `serial` marker):
    bursts of requests timed against one stack, which a second worker's load would distort."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.serial)
