"""The real local stack (`make run`), started on free ports for the tests that talk to it.

tests/e2e/conftest.py starts one per pytest process, shared by its modules, and one of its own for a
module that needs it (the `local_stack` fixture); the helpers of browser.py and console_browser.py
and the test modules import LocalStack from here.
"""

from __future__ import annotations

import html
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools.local.figures_feeder import STATE_VARIABLE
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
    figures_state: Path  # where its figures feeder notes how far it has got (tools/local/figures_feeder.py)
    output: deque[str]  # the last lines it printed once running

    def assert_running(self) -> None:
        """Fails with the stack's last lines if it has stopped (a process of it died)."""
        if self.process.poll() is not None:
            last = "".join(list(self.output)[-40:])
            pytest.fail(f"the local stack stopped (exit {self.process.returncode}):\n{last}")

    def inbox_once_it_holds(self, *texts: str, within_s: float = 60) -> str:
        """The message inbox's page, its entities unescaped, once it holds every one of `texts` (or as
        it is after `within_s`): the outbox relay sends every two seconds, later on a loaded machine.

        Read over HTTP, not in a browser: the page reloads itself every five seconds, and a reload
        that fires while the browser is still navigating to it aborts that navigation. A browser
        test opens it once this says the message is there."""
        deadline, page = time.monotonic() + within_s, ""
        while True:
            with urllib.request.urlopen(self.inbox_url, timeout=10) as response:
                page = html.unescape(response.read().decode("utf-8"))
            if all(text in page for text in texts) or time.monotonic() > deadline:
                return page
            time.sleep(0.5)


def port_is_open(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextmanager
def running_stack(workdir: Path, variables: dict[str, str]) -> Iterator[LocalStack]:
    """`make run` on free ports, with its own portal build and staff secrets under `workdir` (a `make
    run` beside the tests, or another worker's stack, keeps its own), and `variables` set for it;
    stopped with Ctrl-C, as a person stops it, at the end."""
    aws, api, portal, gateways, inbox = free_port(), free_port(), free_port(), free_port(), free_port()
    portal_build = workdir / "portal"
    totp_secrets = workdir / "staff-totp-secrets.json"
    figures_state = workdir / "figures-feeder-state.json"
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment[TOTP_SECRETS_VARIABLE] = str(totp_secrets)
    environment[STATE_VARIABLE] = str(figures_state)
    environment.update(variables)
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
    output: deque[str] = deque(maxlen=200)
    threading.Thread(target=output.extend, args=(process.stdout,), daemon=True).start()
    try:
        yield LocalStack(
            aws_url=f"http://127.0.0.1:{aws}",
            api_url=f"http://127.0.0.1:{api}",
            portal_url=f"http://127.0.0.1:{portal}",
            process=process,
            gateways_url=f"http://127.0.0.1:{gateways}",
            inbox_url=f"http://127.0.0.1:{inbox}",
            ports=(aws, api, portal, gateways, inbox),
            totp_secrets=totp_secrets,
            figures_state=figures_state,
            output=output,
        )
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
