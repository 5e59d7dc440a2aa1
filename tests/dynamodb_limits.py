"""DynamoDB's limits on key values, enforced on every call the tests make, as the real service
enforces them (issue 23, item 6). moto checks them only when an item is written (PutItem);
real DynamoDB also refuses a GetItem, a Query, a BatchGetItem or an update naming a key value
out of bounds, with a ValidationException (a 500 of ours, if a parameter reaches it unchecked).

The limits, from DynamoDB's developer guide, "Constraints in Amazon DynamoDB", "Partition keys
and sort keys": a partition key value is 1 to 2,048 bytes, a sort key value 1 to 1,024 bytes
(UTF-8 for strings), for a table's keys and for its secondary indexes' alike.
tests/faults.py runs `refusal` before moto sees each DynamoDB request.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.exceptions import ResourceNotFoundException
from moto.dynamodb.models import dynamodb_backends

PARTITION_KEY_BYTES = 2048
SORT_KEY_BYTES = 1024

# A key condition's comparisons, BETWEEN and begins_with, each naming an attribute and its value(s).
_COMPARISON = re.compile(r"([#\w.]+)\s*(?:=|<=|>=|<|>)\s*(:\w+)")
_BETWEEN = re.compile(r"([#\w.]+)\s+BETWEEN\s+(:\w+)\s+AND\s+(:\w+)", re.IGNORECASE)
_BEGINS_WITH = re.compile(r"begins_with\s*\(\s*([#\w.]+)\s*,\s*(:\w+)\s*\)", re.IGNORECASE)


def refusal(operation: str, region: str, body: bytes | str | None) -> dict[str, str] | None:
    """DynamoDB's ValidationException for a key value out of bounds in this request; None if all fit."""
    request = json.loads(body or b"{}")
    for table, key in _keys_named(operation, request):
        problem = _key_problem(region, table, key)
        if problem:
            return {"__type": "com.amazon.coral.validate#ValidationException", "message": problem}
    return None


def _keys_named(operation: str, request: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(table, attribute values) of every key or item the request names."""
    if operation in ("GetItem", "DeleteItem", "UpdateItem"):
        return [(request["TableName"], request.get("Key", {}))]
    if operation == "PutItem":
        return [(request["TableName"], request.get("Item", {}))]
    if operation == "BatchGetItem":
        return [(table, key) for table, asked in request.get("RequestItems", {}).items() for key in asked["Keys"]]
    if operation == "TransactWriteItems":
        found = []
        for entry in request.get("TransactItems", []):
            for kind, action in entry.items():
                found.append((action["TableName"], action.get("Item" if kind == "Put" else "Key", {})))
        return found
    if operation == "Query":
        return [(request["TableName"], _key_condition_values(request))]
    return []


def _key_condition_values(request: dict[str, Any]) -> dict[str, Any]:
    """A Query's key condition as attribute name → each value compared with it (the longest)."""
    expression = request.get("KeyConditionExpression", "")
    names = request.get("ExpressionAttributeNames", {})
    values = request.get("ExpressionAttributeValues", {})
    pairs = [(name, value) for name, *operands in _BETWEEN.findall(expression) for value in operands]
    pairs += _BEGINS_WITH.findall(expression) + _COMPARISON.findall(expression)
    found: dict[str, Any] = {}
    for name, placeholder in pairs:
        if placeholder in values:
            attribute = names.get(name, name)
            if attribute not in found or _size(values[placeholder]) > _size(found[attribute]):
                found[attribute] = values[placeholder]
    return found


def _key_problem(region: str, table_name: str, attributes: dict[str, Any]) -> str | None:
    try:
        table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(table_name)
    except ResourceNotFoundException:  # moto answers that itself
        return None
    for names, limit, kind in ((table.hash_key_names, PARTITION_KEY_BYTES, "hashkey"),
                               (table.range_key_names, SORT_KEY_BYTES, "rangekey")):  # fmt: skip
        for name in names:
            if name in attributes:
                size = _size(attributes[name])
                if size > limit:
                    return f"One or more parameter values were invalid: Size of {kind} has exceeded the " \
                        f"maximum size limit of {limit} bytes"  # fmt: skip
                if size == 0:
                    return "One or more parameter values are not valid. The AttributeValue for a key " \
                        "attribute cannot contain an empty string value."  # fmt: skip
    return None


def _size(value: dict[str, Any]) -> int:
    (kind, content), *_ = value.items()
    if kind == "S":
        return len(content.encode("utf-8"))
    if kind == "B":
        return len(base64.b64decode(content))
    return len(str(content))
