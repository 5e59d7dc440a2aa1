from __future__ import annotations

from collections.abc import Iterator

import pytest
from chalice.test import Client

from app import app


@pytest.fixture
def client(aws: None) -> Iterator[Client]:
    with Client(app, stage_name="local") as test_client:
        yield test_client
