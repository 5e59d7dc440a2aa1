"""One interpreter of the cold-start benchmark (bench/child.py): the app's side answers API
Gateway events with the handler, the baseline's sends the same DynamoDB calls with boto3, and
each reports its timings and resident set. Here both run in this process against moto; the
benchmark's own run of them in fresh interpreters is tests/integration/bench/test_cold_start.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench.child import LambdaContext, app_side, baseline_side, main, resident_mb
from tests.conftest import TEST_REGION


def services_event() -> dict:
    return {
        "resource": "/v1/services", "path": "/v1/services", "httpMethod": "GET",
        "headers": {"Accept": "application/json"}, "multiValueHeaders": {},
        "queryStringParameters": {"district": "dokki"}, "multiValueQueryStringParameters": {"district": ["dokki"]},
        "pathParameters": None, "stageVariables": None, "body": None, "isBase64Encoded": False,
        "requestContext": {"resourcePath": "/v1/services", "httpMethod": "GET", "stage": "api",
                           "identity": {"sourceIp": "127.0.0.1"}, "requestId": "bench"},
    }  # fmt: skip


def test_the_apps_side_answers_each_event_as_a_fresh_container_would(aws: None) -> None:
    figures = app_side([services_event(), services_event()])

    assert figures["statuses"] == [200, 200]
    assert "services" in json.loads(figures["bodies"][0])
    assert 0 <= figures["ready_ms"] <= figures["answered_ms"]


def test_the_baselines_side_sends_the_same_calls_and_reads_a_refused_update_as_the_app_does(aws: None) -> None:
    table = "shobbak-local-limits"
    calls = [
        ["PutItem", {"TableName": table, "Item": {"key": {"S": "k"}, "count": {"N": "1"}}}],
        ["UpdateItem", {"TableName": table, "Key": {"key": {"S": "k"}}, "UpdateExpression": "ADD #c :one",
                        "ConditionExpression": "#c < :one", "ExpressionAttributeNames": {"#c": "count"},
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}],
        ["GetItem", {"TableName": table, "Key": {"key": {"S": "k"}}}],
    ]  # fmt: skip

    figures = baseline_side(calls, TEST_REGION)

    assert (figures["statuses"], figures["bodies"]) == ([], [])
    assert 0 <= figures["ready_ms"] <= figures["answered_ms"]


def test_a_refused_update_the_app_would_not_read_stops_the_baseline(aws: None) -> None:
    table = "shobbak-local-limits"
    calls = [["UpdateItem", {"TableName": table, "Key": {"key": {"S": "k"}}, "UpdateExpression": "SET #c = :one",
                             "ConditionExpression": "attribute_exists(#c)", "ExpressionAttributeNames": {"#c": "count"},
                             "ExpressionAttributeValues": {":one": {"N": "1"}}}]]  # fmt: skip

    with pytest.raises(Exception, match="ConditionalCheckFailed"):
        baseline_side(calls, TEST_REGION)


def test_the_last_line_printed_is_the_figures_with_the_resident_set(
    aws: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"events": [services_event()]}))
    monkeypatch.setattr(sys, "argv", ["bench.child", "app", str(spec)])

    main()

    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["statuses"] == [200]
    assert figures["rss_mb"] > 0
    assert resident_mb() > 0
    assert LambdaContext.get_remaining_time_in_millis() > 0
