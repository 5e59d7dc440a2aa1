"""The handler in this process, driven through Chalice's test client: it files invoices and
seeds tables, records what DynamoDB calls a request makes, and clears away what was written."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.common import Call, recorded_dynamodb_calls, table_name

JSON_HEADERS = {"Content-Type": "application/json"}
TABLES = ("requests", "applicants", "idempotency", "payments", "outbox")


def random_digits(count: int) -> str:
    return str(1 + secrets.randbelow(9)) + "".join(str(secrets.randbelow(10)) for _ in range(count - 1))


def signed_fawry_notice(reference: str, amount_egp: int) -> dict[str, Any]:
    """A genuine Fawry V2 PAID notice, signed with the local stage's secure key, under a fresh
    number of Fawry's (ten digits: the bench puts others of the same length in its place)."""
    from tools.testing.synthetic import fawry_paid_notice  # the application's modules, once its environment is set

    return fawry_paid_notice(reference, amount_egp, random_digits(10))


class RecordingApp:
    """Stands in for the app behind Chalice's local gateway: passes every call on, keeping
    a copy of the last API Gateway event the handler was given (authorizer context included)."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self.last_event: dict[str, Any] | None = None

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        # As API Gateway sends it: JSON, a body of text (or none) where the local gateway has bytes.
        self.last_event = json.loads(json.dumps(event, default=lambda raw: raw.decode("utf-8") or None))
        return self._app(event, context)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)


@dataclass
class Recorded:
    """One request of a route as the handler received it, and the DynamoDB calls it made."""

    event: dict[str, Any]
    calls: list[Call]
    answer: Any


@dataclass
class Stage:
    """The handler behind Chalice's test client, a plain boto3 DynamoDB client for the
    bench's own reads and deletes, and the submission body every request is filed with."""

    client: Any
    dynamodb: Any
    body: dict[str, Any]
    last4: str
    recorder: RecordingApp | None = None  # installed only where events are wanted: it costs time
    seeded: list[str] = field(default_factory=list)

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        return self.client.http.post(path, body=json.dumps(body), headers={**JSON_HEADERS, **(headers or {})})

    def record(self, ask: Callable[[], Any]) -> Recorded:
        with recorded_dynamodb_calls() as calls:
            answer = ask()
        assert answer.status_code < 300, answer.body
        return Recorded(self.recorder.last_event if self.recorder else {}, calls, answer)

    def file(self) -> tuple[dict[str, Any], list[Call]]:
        """A fresh invoice (a fee-bearing request awaiting payment), and the calls that wrote it."""
        filed = self.record(lambda: self.post("/v1/requests", self.body, {"Idempotency-Key": uuid.uuid4().hex}))
        return filed.answer.json_body, filed.calls

    def forget(self, calls: list[Call]) -> None:
        """Deletes every item `calls` wrote: a request's whole partition, any other item by its key."""
        for operation, parameters in calls:
            if operation != "TransactWriteItems":
                continue
            for action in parameters["TransactItems"]:
                [(kind, write)] = action.items()
                table = write["TableName"]
                item = write["Item"] if kind == "Put" else write["Key"]
                if table == table_name("requests"):
                    self._forget_partition(item["tracking_number"]["S"])
                else:
                    key_name = "tracking_number" if table == table_name("applicants") else "key"
                    self.dynamodb.delete_item(TableName=table, Key={key_name: item[key_name]})

    def _forget_partition(self, tracking_number: str) -> None:
        keys = self.dynamodb.query(
            TableName=table_name("requests"),
            KeyConditionExpression="tracking_number = :t",
            ExpressionAttributeValues={":t": {"S": tracking_number}},
            ProjectionExpression="tracking_number, #item",
            ExpressionAttributeNames={"#item": "item"},
        )["Items"]
        for key in keys:
            self.dynamodb.delete_item(TableName=table_name("requests"), Key=key)

    def seed(self, count: int) -> None:
        """Files `count` requests, so that inquiries and queues have something to find and every
        sample meets tables of the same, small, realistic size."""
        for _ in range(count):
            self.seeded.append(self.file()[0]["tracking_number"])

    def inquiry_replacements(self, tracking_number: str) -> dict[str, str]:
        """From the recorded inquiry (about the first seeded request) to one about `tracking_number`:
        its number, and the keyed check of its digits that the inquiry's update compares."""
        from chalicelib.services.limits import stored_inquiry_check

        first = self.seeded[0]
        return {
            first: tracking_number,
            stored_inquiry_check(first, self.last4): stored_inquiry_check(tracking_number, self.last4),
        }

    def item_counts(self) -> dict[str, int]:
        """Items per table (no Scan: the benchmark counts the handler's scans, and makes none)."""
        return {
            table: self.dynamodb.describe_table(TableName=table_name(table))["Table"]["ItemCount"] for table in TABLES
        }
