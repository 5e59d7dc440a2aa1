"""Counts the AWS API calls made inside a block, by service and operation (for tests and bench)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient

_original_make_api_call = BaseClient._make_api_call


@contextmanager
def counted_aws_calls() -> Iterator[Counter[str]]:
    """Yields a Counter of "service:Operation" that fills as calls are made in the block."""
    calls: Counter[str] = Counter()

    def counting(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        calls[f"{client.meta.service_model.service_name}:{operation_name}"] += 1
        return _original_make_api_call(client, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", counting):
        yield calls
