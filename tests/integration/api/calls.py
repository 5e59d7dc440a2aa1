"""Small helpers for talking to the API through Chalice's test client."""

from __future__ import annotations

import json
from typing import Any

from chalice.test import Client


def post_json(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.http.post(
        path, body=json.dumps(body), headers={"Content-Type": "application/json", **(headers or {})}
    )


def hand_in_every_document(client: Client, manager: dict[str, str], tracking_number: str) -> Any:
    """The request's owning district records every listed document as handed in on paper."""
    seen = client.http.get(f"/v1/office/requests/{tracking_number}", headers=manager).json_body
    services = client.http.get(f"/v1/services?district={seen['district_code']}").json_body["services"]
    codes = [
        document["code"] for document in next(s for s in services if s["code"] == seen["service_code"])["documents"]
    ]
    body = {"documents": codes, "version": seen["version"]}
    received = post_json(client, f"/v1/office/requests/{tracking_number}/documents/received", body, manager)
    assert received.status_code == 200, received.body
    return received
