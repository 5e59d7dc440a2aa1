"""Free TCP ports on loopback for the servers tests start (moto, `chalice local`, the portal...).

Each pytest-xdist worker takes its ports from a range of its own, below Linux's ephemeral range
(32768 and up, where the kernel picks clients' ports): two workers starting stacks at the same
moment cannot be handed the same port, nor one process the same port twice before its server
has bound it. A port something else holds already is skipped.
"""

from __future__ import annotations

import os
import random
import socket

FIRST_PORT = 20000
PORTS_PER_WORKER = 500

_handed_out: set[int] = set()


def _worker_range() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # "gw3": the fourth worker
    index = int(worker.removeprefix("gw")) if worker.removeprefix("gw").isdigit() else 0
    first = FIRST_PORT + index * PORTS_PER_WORKER
    return range(first, first + PORTS_PER_WORKER)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port nothing listens on, never handed out before in this process."""
    ports = _worker_range()
    # From a random place in the range: other test runs on this machine start elsewhere in it.
    start = random.randrange(len(ports))  # noqa: S311 (a place to start, not a secret)
    for offset in range(len(ports)):
        port = ports[(start + offset) % len(ports)]
        if port not in _handed_out and port_is_free(port):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port left in {ports}")
