"""Business metrics: one EMF line a point, in the stage's namespace, with one dimension."""

from __future__ import annotations

import json

import pytest

from chalicelib.observability.metrics import GOVERNORATE, Metric, count, overdue_open


@pytest.fixture(autouse=True)
def _metrics_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    monkeypatch.setenv("SHOBBAK_STAGE", "prod")


def emitted(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]


def test_a_point_is_one_emf_line_with_its_one_dimension_and_the_service(capsys: pytest.CaptureFixture[str]) -> None:
    count(Metric.SUBMITTED, by="dokki")

    (line,) = emitted(capsys)
    (directive,) = line["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == "Shobbak/prod"
    assert directive["Dimensions"] == [["District", "service"]]
    assert directive["Metrics"] == [{"Name": "RequestsSubmitted", "Unit": "Count"}]
    assert (line["District"], line["service"]) == ("dokki", "shobbak")


def test_the_overdue_recount_writes_each_district_and_the_governorate_total(capsys: pytest.CaptureFixture[str]) -> None:
    overdue_open({"warraq": 2, "dokki": 5})

    written = {line["District"]: line["OverdueOpenRequests"] for line in emitted(capsys)}
    assert {district: sum(value) if isinstance(value, list) else value for district, value in written.items()} == {
        "dokki": 5, "warraq": 2, GOVERNORATE: 7,
    }  # fmt: skip


def test_nothing_is_printed_when_metrics_are_off(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")

    count(Metric.MESSAGE_SENT, by="sms")

    assert emitted(capsys) == []
