"""Small helpers for talking to the API through Chalice's test client."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client


def post_json(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.http.post(
        path, body=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})}
    )
