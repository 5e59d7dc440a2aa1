"""The local AWS emulation (tools/local/emulation/server.py) in a process of its own, as `make run` starts it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from tests.conftest import PROJECT, TEST_REGION
from tools.testing.ports import free_port

READY_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def emulation_url() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "tools.local.emulation.server", "--port", str(port)],
        cwd=PROJECT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError("the AWS emulation stopped before answering")
            try:
                with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def reset(emulation_url: str) -> None:
    """Empties the emulation: every table, topic and bucket gone."""
    urllib.request.urlopen(urllib.request.Request(f"{emulation_url}/moto-api/reset", method="POST"))


def dashboard_data(emulation_url: str) -> dict[str, Any]:
    """moto's own account of what it holds (`/moto-api/data.json`): the SMS sent, among others."""
    with urllib.request.urlopen(f"{emulation_url}/moto-api/data.json", timeout=30) as answer:
        return json.load(answer)


@pytest.fixture
def emulation(emulation_url: str) -> Callable[[str], Any]:
    """A boto3 client factory for the emulation, emptied before each test."""
    reset(emulation_url)

    def client(service: str) -> Any:
        return boto3.client(
            service, endpoint_url=emulation_url, region_name=TEST_REGION,
            aws_access_key_id="local", aws_secret_access_key="local",
        )  # fmt: skip

    return client
