"""The requests table's stream read as Lambda's event source mapping reads it, each record once
(tools/local/requests_stream.py)."""

from __future__ import annotations

from chalicelib.store.requests.changes import insert_submission
from tests.integration.store.requests.test_changes import CHECK, records
from tools.local.requests_stream import RequestsStream


def submit(tracking_number: str) -> None:
    insert_submission(*records(tracking_number, key=None), [], CHECK)


def keys(read: list[dict]) -> set[tuple[str, str]]:
    return {(r["dynamodb"]["Keys"]["tracking_number"]["S"], r["dynamodb"]["Keys"]["item"]["S"]) for r in read}


def test_the_first_read_has_everything_and_each_later_read_only_what_is_new(aws: None) -> None:
    submit("1234567890128")
    stream = RequestsStream()

    first = stream.read()
    assert ("1234567890128", "request") in keys(first)
    assert {record["eventName"] for record in first} == {"INSERT"}
    assert stream.read() == []

    submit("9876543210984")
    later = stream.read()

    assert ("9876543210984", "request") in keys(later)
    assert not {number for number, _ in keys(later)} & {"1234567890128"}


def test_two_readers_each_read_every_record(aws: None) -> None:
    submit("1234567890128")

    assert keys(RequestsStream().read()) == keys(RequestsStream().read())
