"""The in-memory DynamoDB of the hot-key simulation charges what DynamoDB would."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from capacity.recorder import RecordingDynamoDB, apply_update, holds, item_size


def request_item(tracking_number: str, status: str, padding: int = 0) -> dict:
    return {
        "tracking_number": {"S": tracking_number},
        "item": {"S": "request"},
        "kind": {"S": "request"},
        "queue": {"S": f"dokki#{status}"},
        "department_queue": {"S": f"dokki#shops#{status}"},
        "queue_order": {"S": f"2026-12-01#{tracking_number}"},
        "details": {"S": "x" * padding},
    }


def test_a_put_costs_a_unit_per_started_kilobyte_twice_in_a_transaction_and_once_per_index() -> None:
    recorder = RecordingDynamoDB()
    item = request_item("1", "submitted", padding=1500)
    assert 1024 < item_size(item) <= 2048
    recorder._TransactWriteItems({"TransactItems": [{"Put": {"TableName": "shobbak-x-requests", "Item": item}}]})
    assert recorder.current.writes[("requests", "1")] == 4  # 2 KB, transactional
    assert recorder.current.writes[("requests/queue", "dokki#submitted")] == 2
    assert recorder.current.writes[("requests/department_queue", "dokki#shops#submitted")] == 2


def test_moving_an_item_to_another_index_key_deletes_the_old_entry_and_puts_the_new() -> None:
    recorder = RecordingDynamoDB()
    recorder.seed("requests", request_item("1", "submitted"))
    recorder._PutItem({"TableName": "shobbak-x-requests", "Item": request_item("1", "in_review")})
    assert recorder.current.writes[("requests/queue", "dokki#submitted")] == 1
    assert recorder.current.writes[("requests/queue", "dokki#in_review")] == 1
    assert recorder.index_entries["requests/queue"]["dokki#submitted"] == []
    assert len(recorder.index_entries["requests/queue"]["dokki#in_review"]) == 1


def test_an_update_sets_adds_and_removes_as_its_expression_says() -> None:
    item = {"key": {"S": "k"}, "attempts": {"N": "1"}, "due_queue": {"S": "pending"}, "orders": {"L": []}}
    apply_update(
        item,
        "SET #0 = :0, #1 = list_append(#1, :1) REMOVE #2 ADD #3 :2",
        {"#0": "status", "#1": "orders", "#2": "due_queue", "#3": "attempts"},
        {":0": {"S": "sent"}, ":1": {"L": [{"S": "o-1"}]}, ":2": {"N": "1"}},
    )
    assert item == {"key": {"S": "k"}, "attempts": {"N": "2"}, "status": {"S": "sent"}, "orders": {"L": [{"S": "o-1"}]}}


def test_an_index_query_reads_a_page_in_order_and_is_charged_as_eventually_consistent() -> None:
    recorder = RecordingDynamoDB()
    for number in range(30):
        recorder.seed("requests", request_item(f"{number:03d}", "in_review", padding=900))
    answer = recorder._Query(
        {
            "TableName": "shobbak-x-requests",
            "IndexName": "queue",
            "KeyConditionExpression": "#0 = :0",
            "ExpressionAttributeNames": {"#0": "queue"},
            "ExpressionAttributeValues": {":0": {"S": "dokki#in_review"}},
            "Limit": 25,
        }
    )
    assert [item["tracking_number"]["S"] for item in answer["Items"]] == [f"{n:03d}" for n in range(25)]
    assert answer["LastEvaluatedKey"]["tracking_number"] == {"S": "024"}
    read_bytes = 25 * item_size(request_item("000", "in_review", padding=900))
    assert recorder.current.reads[("requests/queue", "dokki#in_review")] == -(-read_bytes // 4096) / 2


def test_a_condition_is_judged_as_dynamodb_judges_it() -> None:
    item = {"hour": {"S": "2026-11-27T09"}, "attempts": {"N": "9"}, "check": {"S": "abc"}}
    names = {"#hour": "hour", "#attempts": "attempts", "#check": "check"}

    def judged(expression: str, **values: str) -> bool:
        typed = {f":{name}": ({"N": value} if value.isdigit() else {"S": value}) for name, value in values.items()}
        return holds(item, expression, names, typed)

    assert judged("#hour = :hour AND #attempts < :limit", hour="2026-11-27T09", limit="10")
    assert not judged("#hour = :hour AND #attempts < :limit", hour="2026-11-27T09", limit="9")
    assert judged("#attempts < :limit", limit="10")  # numbers compare as numbers: "9" < "10"
    assert not judged("(attribute_not_exists(#check) OR #check <> :guess)", guess="abc")
    assert judged("(attribute_not_exists(#check) OR #check <> :guess)", guess="abd")
    assert judged("(attribute_not_exists(#hour) OR #hour < :hour) AND attribute_exists(#check)", hour="2026-11-27T10")
    assert not holds({}, "#attempts < :limit", names, {":limit": {"N": "10"}})  # an attribute it lacks


def test_an_update_refused_by_its_condition_answers_with_the_item_and_is_charged_as_a_write() -> None:
    recorder = RecordingDynamoDB()
    item = {"tracking_number": {"S": "1"}, "item": {"S": "proof"}, "check": {"S": "abc"}}
    recorder.seed("requests", item)
    update = {
        "TableName": "shobbak-x-requests",
        "Key": {"tracking_number": {"S": "1"}, "item": {"S": "proof"}},
        "UpdateExpression": "ADD #attempts :one",
        "ConditionExpression": "#check <> :guess",
        "ExpressionAttributeNames": {"#attempts": "attempts", "#check": "check"},
        "ExpressionAttributeValues": {":one": {"N": "1"}, ":guess": {"S": "abc"}},
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }

    with pytest.raises(ClientError) as refused:
        recorder._UpdateItem(update)

    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert refused.value.response["Item"] == item
    assert recorder.items["requests"][("1", "proof")] == item
    assert recorder.current.writes[("requests", "1")] == 1


def test_an_update_appends_to_a_list_it_may_not_have_yet_as_pynamodb_writes_it() -> None:
    item: dict = {}
    expression = "SET #2 = list_append (if_not_exists (#2, :2), :3)"
    names, values = {"#2": "history"}, {":2": {"L": []}, ":3": {"L": [{"S": "first"}]}}

    apply_update(item, expression, names, values)
    apply_update(item, expression, names, {**values, ":3": {"L": [{"S": "second"}]}})

    assert item == {"history": {"L": [{"S": "first"}, {"S": "second"}]}}
