"""One botocore data loader for the whole test process, shared by every botocore and boto3 session.

Each botocore session reads the service models, endpoints.json and the list of services from
disk on first use, and caches them in its own loader. moto's `mock_aws()` sets boto3's default
session aside at every start, so each test's first `boto3.client(...)` made a new session that
read them all again: about a quarter of a second of parsing JSON per test, the largest part of a
small moto-backed test's cost. The files never change while the tests run, and botocore never
changes what its loader hands out (one session already shares it between all its clients), so
one loader serves every session. Sessions, credentials and clients stay per test, as before.

Making the session itself registers some 130 event handlers, each checked (by `inspect`) to take
keyword arguments: the answer for a function never changes, so it is worked out once per function.
"""

from __future__ import annotations

import functools
import types
import weakref
from collections.abc import Callable
from typing import Any

import botocore.compat
import botocore.hooks
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


# Weak keys: a handler made afresh for one client is not kept alive by having been checked.
_ACCEPTS_KWARGS: weakref.WeakKeyDictionary[types.FunctionType, bool] = weakref.WeakKeyDictionary()


def _function_accepts_kwargs(function: types.FunctionType) -> bool:
    known = _ACCEPTS_KWARGS.get(function)
    if known is None:
        known = _ACCEPTS_KWARGS[function] = bool(botocore.compat.accepts_kwargs(function))
    return known


def _accepts_kwargs(handler: Callable[..., Any]) -> bool:
    """botocore's check, remembered per function (a bound method by its function, which takes
    the same keywords); any other callable is checked each time, as botocore does."""
    function = handler.__func__ if isinstance(handler, types.MethodType) else handler
    if isinstance(function, types.FunctionType):
        return _function_accepts_kwargs(function)
    return bool(botocore.compat.accepts_kwargs(handler))


def share_botocore_data() -> None:
    """Every botocore session made from now on in this process uses the one shared loader, and
    checks each event handler's signature once."""
    botocore.session.create_loader = _shared_loader  # type: ignore[attr-defined]
    botocore.hooks.accepts_kwargs = _accepts_kwargs  # type: ignore[attr-defined]
