"""Small helpers for talking to the API through Chalice's test client."""

from __future__ import annotations

import json
from typing import Any

import boto3
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


def stored_counts(tables: tuple[str, ...]) -> dict[str, int]:
    """How many items each table holds: compared before and after, it shows that a refusal changed nothing."""
    dynamodb = boto3.client("dynamodb")
    return {table: dynamodb.scan(TableName=table, Select="COUNT")["Count"] for table in tables}


def assert_error_shape(body: dict[str, Any]) -> dict[str, Any]:
    """The one error shape (docs/interfaces.md#error-shape), its messages in Arabic and in English."""
    error = body["error"]
    assert set(error) == {"code", "message_ar", "message_en", "fields"}
    assert any("\u0600" <= char <= "\u06ff" for char in error["message_ar"])
    assert error["message_en"]
    assert error["message_en"].isascii()
    for message in error["fields"].values():
        assert any("\u0600" <= char <= "\u06ff" for char in message)
    return error


def assert_refused(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    """A refusal: its status, the one error shape, its code and, when it names one, the field in error."""
    assert response.status_code == status, response.body
    error = assert_error_shape(response.json_body)
    assert error["code"] == code
    if field is not None:
        assert field in error["fields"]
    return error
