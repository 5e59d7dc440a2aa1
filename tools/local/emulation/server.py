"""A moto server that answers one request at a time, as each DynamoDB call is atomic.

moto's own server (`moto_server`) answers requests in threads, and moto's DynamoDB is not
safe across threads: a TransactWriteItems that fails restores a deep copy of the whole table,
wiping what other threads wrote meanwhile. Real DynamoDB applies each call atomically, so this
server takes one call at a time; the callers (several `chalice local` threads, several
processes) still race each other between their calls exactly as Lambda containers do.
Taking one call at a time also lets a failed transaction be undone item by item
(tools/local/emulation/transactions.py) rather than by moto's copy of whole tables. With that, a Query that
reads one partition (tools/local/emulation/queries.py), DynamoDB items no longer kept for ever
(tools/local/emulation/models.py), short streams (tools/local/emulation/streams.py) and attribute values written
directly (tools/local/emulation/serialization.py), and S3 versions listed without copying their content
(tools/local/emulation/object_versions.py), the emulation's calls no longer slow down as its tables
grow, so a stack holding a thousand requests (`make demo`) stays quick.
`python -m tools.local.emulation.server --port N`.
"""

from __future__ import annotations

import argparse
import signal
import sys
from types import FrameType

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

from tools.local.emulation.models import forget_dynamodb_items
from tools.local.emulation.object_versions import list_versions_without_content
from tools.local.emulation.queries import query_partitions_directly
from tools.local.emulation.serialization import write_attribute_values_directly
from tools.local.emulation.streams import keep_streams_short
from tools.local.emulation.transactions import undo_transactions_item_by_item


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    arguments = parser.parse_args()
    # Issue 9: a stack holding a thousand requests (make demo) stays quick.
    keep_streams_short()
    undo_transactions_item_by_item()
    query_partitions_directly()
    forget_dynamodb_items()
    write_attribute_values_directly()
    list_versions_without_content()
    application = DomainDispatcherApplication(create_backend_app)
    server = make_server(
        arguments.host, arguments.port, application, threaded=False, request_handler=MotoRequestHandler
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    # Ctrl-C (make run) and SIGTERM (the tests and the load run stopping their stack) end it quietly.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"AWS emulation (one call at a time) on http://{arguments.host}:{arguments.port}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
