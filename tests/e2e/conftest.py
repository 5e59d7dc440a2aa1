"""The real local stack (`make run`), started on free ports for the tests that talk to it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.local.staff_pool import TOTP_SECRETS_VARIABLE
from tools.testing.ports import free_port

PROJECT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 90


@dataclass(frozen=True)
class LocalStack:
    aws_url: str
    api_url: str
    portal_url: str
    gateways_url: str
    inbox_url: str
    process: subprocess.Popen[str]
    ports: tuple[int, ...]
    totp_secrets: Path  # its staff accounts' TOTP secrets: what `make totp` reads for `make run`


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def local_stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    """A stack of the module's own. A module may set LOCAL_STACK_ENVIRONMENT, variables for its stack."""
    aws, api, portal, gateways, inbox = free_port(), free_port(), free_port(), free_port(), free_port()
    # Its own portal build and staff secrets, for its own ports and pool: a `make run` beside the
    # tests, or another worker's stack, keeps its own.
    portal_build = tmp_path_factory.mktemp("portal")
    totp_secrets = tmp_path_factory.mktemp("staff") / "staff-totp-secrets.json"
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment[TOTP_SECRETS_VARIABLE] = str(totp_secrets)
    environment.update(getattr(request.module, "LOCAL_STACK_ENVIRONMENT", {}))
    # The journeys file more requests (and so messages) for one phone than the daily limits allow.
    environment["ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY"] = "1000"
    environment["MESSAGES_PER_PHONE_PER_DAY"] = "1000"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tools.local.stack",
            "--aws-port",
            str(aws),
            "--api-port",
            str(api),
            "--portal-port",
            str(portal),
            "--gateways-port",
            str(gateways),
            "--inbox-port",
            str(inbox),
            "--portal-build-dir",
            str(portal_build),
            "--no-autoreload",
        ],
        cwd=PROJECT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    seen: list[str] = []
    for line in process.stdout:
        seen.append(line)
        if "Shobbak is running" in line:
            break
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the local stack did not start:\n" + "".join(seen[-40:]))
    # Keep reading what the stack prints: a full pipe would block its processes mid-request.
    threading.Thread(target=lambda: deque(process.stdout, maxlen=200), daemon=True).start()
    stack = LocalStack(
        aws_url=f"http://127.0.0.1:{aws}",
        api_url=f"http://127.0.0.1:{api}",
        portal_url=f"http://127.0.0.1:{portal}",
        process=process,
        gateways_url=f"http://127.0.0.1:{gateways}",
        inbox_url=f"http://127.0.0.1:{inbox}",
        ports=(aws, api, portal, gateways, inbox),
        totp_secrets=totp_secrets,
    )
    try:
        yield stack
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test here is `e2e`: `make test` runs them in a pass of their own, a pytest worker per
    core, each module on its own stack (its own ports, portal build and staff secrets) and browser."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)
