"""The benchmark's shared pieces: the baseline's calls are the handler's, with fresh keys."""

from __future__ import annotations

import boto3
import pytest

from bench.common import p95, recorded_dynamodb_calls, substituted
from chalicelib.store.applicants import ApplicantRecord


def test_the_handlers_calls_are_recorded_as_botocore_was_asked_to_make_them(aws: None) -> None:
    with recorded_dynamodb_calls() as calls:
        ApplicantRecord("1234567890128", full_name="منى أحمد", national_id="29001012112349",
                        phone="+201012345678").save()  # fmt: skip
        boto3.client("sns").list_topics()  # not DynamoDB: not recorded
    [(operation, parameters)] = calls
    assert operation == "PutItem"
    assert parameters["TableName"] == "shobbak-local-applicants"
    assert parameters["Item"]["full_name"] == {"S": "منى أحمد"}


def test_a_recorded_call_is_a_copy_that_later_changes_do_not_reach(aws: None) -> None:
    item = {"tracking_number": {"S": "1234567890128"}, "full_name": {"S": "x"}}
    with recorded_dynamodb_calls() as calls:
        boto3.client("dynamodb").put_item(TableName="shobbak-local-applicants", Item=item)
    item["full_name"]["S"] = "changed"
    assert calls[0][1]["Item"]["full_name"] == {"S": "x"}


def test_fresh_keys_replace_every_occurrence_and_keep_every_size() -> None:
    call = {"Key": {"key": {"S": "1234567890128#000001#submitted"}}, "answer": '{"n": "1234567890128"}'}
    fresh = substituted(call, {"1234567890128": "9876543210982"})
    assert fresh == {"Key": {"key": {"S": "9876543210982#000001#submitted"}}, "answer": '{"n": "9876543210982"}'}


def test_a_replacement_of_another_length_is_refused() -> None:
    with pytest.raises(AssertionError):
        substituted({"key": "abc"}, {"abc": "abcd"})


def test_p95_is_the_nearest_rank() -> None:
    assert p95([float(value) for value in range(1, 21)]) == 19.0
    assert p95([5.0]) == 5.0
