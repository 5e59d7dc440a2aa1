"""One botocore data loader for the whole test process, shared by every botocore and boto3 session.

Each botocore session reads the service models, endpoints.json and the list of services from
disk on first use, and caches them in its own loader. moto's `mock_aws()` sets boto3's default
session aside at every start, so each test's first `boto3.client(...)` made a new session that
read them all again: about a quarter of a second of parsing JSON per test, the largest part of a
small moto-backed test's cost. The files never change while the tests run, and botocore never
changes what its loader hands out (one session already shares it between all its clients), so
one loader serves every session. Sessions, credentials and clients stay per test, as before.
"""

from __future__ import annotations

import functools
from typing import Any

import botocore.loaders
import botocore.session


class _SearchPaths(list[str]):
    """A loader's search paths, each kept once: every boto3 session appends boto3's own data
    folder to its loader's paths, which, the loader being shared, would otherwise grow by one
    folder per test (and every later lookup would scan it again)."""

    def append(self, path: str) -> None:
        if path not in self:
            super().append(path)


@functools.cache
def _shared_loader(search_path_string: str | None = None) -> Any:
    loader = botocore.loaders.create_loader(search_path_string)
    loader._search_paths = _SearchPaths(loader.search_paths)
    return loader


def share_botocore_data() -> None:
    """Every botocore session made from now on in this process uses the one shared loader."""
    botocore.session.create_loader = _shared_loader  # type: ignore[attr-defined]
