"""One botocore session and one client per AWS service, per process, each made on first use.

A botocore session loads and caches the service models and endpoint data; a client costs
tens of milliseconds and a few MB to make. Made once per process, they are paid for once per
Lambda container, by the first request that needs them, and never by a route that does not.
`chalice local` answers requests on threads, and botocore's client creation is not
thread-safe, so clients are made under a lock (reading one already made takes no lock).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.config import aws_region

if TYPE_CHECKING:
    from botocore.client import BaseClient, Config
    from botocore.session import Session

_lock = threading.Lock()
_session: Session | None = None
_clients: dict[str, BaseClient] = {}


def aws_client(service: str, configure: Callable[[], Config] | None = None) -> BaseClient:
    """The process's client of `service` ("dynamodb", "sns", ...), made on the first call.

    `configure` is called when the client is made: every caller of one service passes the same.
    """
    made = _clients.get(service)
    if made is not None:
        return made
    with _lock:
        made = _clients.get(service)
        if made is None:
            made = _made_without_collector(service, configure() if configure else None)
            _clients[service] = made
        return made


def _made_without_collector(service: str, config: Config | None) -> BaseClient:
    """A client, made with the cyclic garbage collector paused, then set aside from it.

    Making a client parses the service's model into tens of thousands of dicts: each burst of
    allocations sets off collections that scan everything the process holds, the whole app
    included, for no garbage (the dicts are acyclic, and refcounting frees any that die). The
    client and the modules already loaded then live as long as the process: frozen, no later
    collection scans them again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        # AWS_ENDPOINT_URL (the local stack's moto server) is honoured by botocore itself.
        made = _botocore_session().create_client(service, region_name=aws_region(), config=config)
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return made


def _botocore_session() -> Session:
    """Called under the lock only."""
    global _session
    if _session is None:
        # botocore alone: boto3's import would add to every cold start and give nothing here.
        from botocore.session import get_session

        _session = get_session()
    return _session
