"""The requests table's stream read as Lambda's event source mapping reads it, each record once
(tools/local/requests_stream.py), and handed to the figures' handler as it takes them
(tools/local/figures_feeder.py's stream_changes)."""

from __future__ import annotations

from chalicelib.store.requests.changes import insert_submission
from tests.integration.store.requests.test_changes import CHECK, records
from tools.local.figures_feeder import stream_changes
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


def test_the_handler_is_given_each_record_with_its_images_and_an_aware_time(aws: None) -> None:
    submit("1234567890128")
    read = RequestsStream().read()

    changes = stream_changes(read)

    assert [change.event_id for change in changes] == [record["eventID"] for record in read]
    request = next(c for c in changes if c.new_image and c.new_image["item"] == {"S": "request"})
    assert request.old_image is None
    assert request.new_image["status"] == {"S": "awaiting_payment"}
    assert all(change.recorded_at.tzinfo is not None for change in changes)
