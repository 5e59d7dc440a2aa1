"""Ctrl-C on `make run` leaves nothing running (a stack of its own, so other modules keep the shared one)."""

from __future__ import annotations

import signal
import time

import pytest

from tests.e2e.stack import LocalStack, port_is_open

pytestmark = pytest.mark.e2e

OWN_LOCAL_STACK = "it stops its stack"  # tests/e2e/conftest.py


def test_ctrl_c_stops_every_process(local_stack: LocalStack) -> None:
    local_stack.process.send_signal(signal.SIGINT)
    local_stack.process.wait(timeout=30)

    deadline = time.monotonic() + 10
    while any(port_is_open(port) for port in local_stack.ports) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(port_is_open(port) for port in local_stack.ports)
