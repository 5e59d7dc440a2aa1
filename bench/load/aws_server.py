"""The moto server of `make run`, answering one request at a time, for the load test.

moto's DynamoDB is not safe under concurrent requests: with `moto_server`'s threads, a load
of a few tens of users makes it fail now and then with "dictionary changed size during
iteration" (HTTP 500), and a transaction it fails half-way can leave half its items behind,
which real DynamoDB never does. Those are the emulator's failures, not the app's; serving
one request at a time keeps them out of the load test's figures (moto's own latency is not
what the test measures).
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()

    def stopped(signum: int, frame: FrameType | None) -> None:
        sys.exit(0)

    signal.signal(signal.SIGTERM, stopped)
    run_simple(
        "127.0.0.1",
        arguments.port,
        DomainDispatcherApplication(create_backend_app),
        threaded=False,
        request_handler=MotoRequestHandler,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
