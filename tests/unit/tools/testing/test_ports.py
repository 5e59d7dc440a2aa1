"""Free loopback ports, each pytest-xdist worker in a range of its own (tools/testing/ports.py)."""

from __future__ import annotations

import socket

import pytest

from tools.testing import ports
from tools.testing.ports import FIRST_PORT, PORTS_PER_WORKER, free_port, port_is_free


def test_each_worker_draws_from_its_own_range_below_the_ephemeral_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw3")
    port = free_port()
    assert FIRST_PORT + 3 * PORTS_PER_WORKER <= port < FIRST_PORT + 4 * PORTS_PER_WORKER < 32768


def test_outside_xdist_the_first_range_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)
    assert FIRST_PORT <= free_port() < FIRST_PORT + PORTS_PER_WORKER


def test_a_port_is_never_handed_out_twice_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw7")
    handed = [free_port() for _ in range(50)]
    assert len(set(handed)) == len(handed)


def test_a_port_something_listens_on_is_not_free_and_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw9")
    first = FIRST_PORT + 9 * PORTS_PER_WORKER
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", first))
        listener.listen()
        assert not port_is_free(first)
        # Every other port of the range already handed out: only the held one is left.
        monkeypatch.setattr(ports, "_handed_out", set(range(first + 1, first + PORTS_PER_WORKER)))
        with pytest.raises(RuntimeError, match="no free port left"):
            free_port()
    assert port_is_free(first)
