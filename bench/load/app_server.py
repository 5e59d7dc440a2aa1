"""`chalice local --stage local`, as the CLI builds it, with a meter of the app's own CPU time.

Lambda bills the time the handler's code runs; against the local stack that code shares the
machine with moto, which answers every DynamoDB call in another process. The meter reads the
CPU time of the thread serving each request (`time.thread_time`): the app's own work, its
serialization and botocore's included, moto's and the other requests' threads excluded.
On SIGUSR1 the figures so far are written, as JSON, to the path named by `--cpu-file`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from chalice.app import Request, Response
from chalice.cli import create_local_server
from chalice.cli.factory import CLIFactory

PROJECT = Path(__file__).resolve().parents[2]
STAGE = "local"


class CpuMeter:
    """CPU seconds spent per route ("METHOD /resource/path"), one sample per request."""

    def __init__(self) -> None:
        self._samples: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()

    def middleware(self, request: Request, get_response: Callable[[Request], Response]) -> Response:
        started = time.thread_time()
        response = get_response(request)
        spent = time.thread_time() - started
        route = f"{request.method} {(request.context or {}).get('resourcePath', '?')}"
        with self._lock:
            self._samples[route].append(spent)
        return response

    def snapshot(self) -> dict[str, list[float]]:
        with self._lock:
            return {route: list(samples) for route, samples in self._samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cpu-file", type=Path, required=True)
    arguments = parser.parse_args()

    # As the `chalice local` command does: the stage's environment variables go into os.environ.
    os.environ["AWS_CHALICE_CLI_MODE"] = "true"
    factory = CLIFactory(project_dir=str(PROJECT), environ=os.environ)
    server = create_local_server(factory, "127.0.0.1", arguments.port, STAGE)
    meter = CpuMeter()
    # Chalice runs the first registered middleware outermost: put first, the meter wraps the
    # app's own middleware too, so it sees everything the handler runs.
    server.app_object.middleware_handlers.insert(0, (meter.middleware, "http"))

    def write_figures(signum: int, frame: FrameType | None) -> None:
        arguments.cpu_file.write_text(json.dumps(meter.snapshot()), encoding="utf-8")

    signal.signal(signal.SIGUSR1, write_figures)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
