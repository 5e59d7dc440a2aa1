"""A request's partition: every item shares its table and keys, and `kind` tells PynamoDB which
model an item read back is (chalicelib/store/requests/partition.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.store.requests.changes import insert_submission
from chalicelib.store.requests.checkout_attempts import CheckoutAttempt, reserve_checkout_attempt
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.requests.request import RequestRecord
from tests.integration.store.requests.test_changes import CHECK, records

TRACKING_NUMBER = "1234567890128"


def test_every_item_of_a_partition_is_read_back_as_its_own_model(aws: None) -> None:
    insert_submission(*records(TRACKING_NUMBER, key=None), [], CHECK)
    reserve_checkout_attempt(TRACKING_NUMBER, f"{TRACKING_NUMBER}01", 1, datetime(2026, 11, 27, 9, 40, tzinfo=UTC))

    items = list(RequestPartitionItem.query(TRACKING_NUMBER))

    kinds = {type(item) for item in items}
    assert {RequestRecord, HistoryEntry, CheckoutAttempt} <= kinds
    assert {item.tracking_number for item in items} == {TRACKING_NUMBER}
    assert RequestPartitionItem.Meta.table_name.endswith("-requests")


def test_each_model_names_its_kind_in_the_item_it_writes() -> None:
    def kind(item: RequestPartitionItem) -> object:
        return item.serialize(null_check=False)["kind"]

    assert kind(RequestRecord(TRACKING_NUMBER, RequestRecord.ITEM)) == {"S": "request"}
    assert kind(HistoryEntry(TRACKING_NUMBER, "history#000001")) == {"S": "history"}
    assert kind(CheckoutAttempt(TRACKING_NUMBER, "card_order#x#01")) == {"S": "card_order"}
