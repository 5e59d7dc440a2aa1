"""docs/capacity.md is generated from the assumptions and the measurements, complete; and `make capacity
SHORT=1` runs the model end to end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from capacity import assumptions, growth
from capacity.footprints import record_footprints
from capacity.hotkeys import simulate_day
from capacity.report import CUTS, DOCUMENT, render
from tools.testing.short_mode import run_short


@pytest.fixture(scope="module")
def document(monkeypatch_module: pytest.MonkeyPatch) -> str:
    monkeypatch_module.setattr(growth, "MEASURED_HISTORIES", (200, 1000))
    monkeypatch_module.setattr(growth, "PAYMENTS_A_DAY", 3)
    recording = record_footprints(["warraq"])
    cpu = {"POST /v1/requests": 9.0, "POST /v1/inquiries": 3.0, "GET /v1/services": 1.0}
    return render(recording, simulate_day(recording), simulate_day(recording, factor=1), growth.growth_table(), cpu)


@pytest.fixture(scope="module")
def monkeypatch_module() -> pytest.MonkeyPatch:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_section_the_issue_asks_for_is_there(document: str) -> None:
    for heading in ("## Assumptions", "## Demand", "## Load and cost", "### The three largest costs",
                    "## Hot keys at 10× the peak", "## What grows with the work"):  # fmt: skip
        assert heading in document
    for line in ("SMS (SNS, Egypt)", "Voice calls", "Lambda", "API Gateway", "DynamoDB requests",
                 "DynamoDB storage and PITR", "CloudFront", "WAF", "per 1,000 citizen requests"):  # fmt: skip
        assert line in document


def test_guesses_are_marked_as_guesses_and_the_sms_price_carries_its_date(document: str) -> None:
    assert document.count("*guess*") >= sum(
        1 for value in assumptions.PER_APPLICATION.values() if value.basis == "guess"
    )
    assert f"{assumptions.PRICES_DATE}" in document
    assert "| price: sms_part_egypt | 0.25 |" in document


def test_the_three_largest_costs_are_named_with_what_would_cut_them(document: str) -> None:
    section = document.split("### The three largest costs")[1].split("\n\n")[1]
    named = re.findall(r"^1\. \*\*(.+?)\*\*", section, flags=re.MULTILINE)
    assert len(named) == 3
    assert all(CUTS[name] in section for name in named)


def test_the_growth_table_runs_from_a_thousand_to_a_million(document: str) -> None:
    rows = [line for line in document.splitlines() if line.startswith("| GET /v1/office/requests (closed")]
    assert {row.split("|")[2].strip() for row in rows} == {"200", "1,000", "100,000", "1,000,000"}
    # One query a page, however long the history.
    assert {row.split("|")[3].strip() for row in rows} == {"1"}


def test_the_short_model_writes_the_whole_document_and_leaves_docs_capacity_alone(tmp_path: Path) -> None:
    """`make capacity SHORT=1`: the model end to end, so that a rule that breaks it fails here."""
    committed = DOCUMENT.read_bytes()
    output = tmp_path / "capacity.md"
    finished = run_short("capacity.report", output)
    assert finished.returncode == 0, finished.stderr[-3000:]
    written = output.read_text(encoding="utf-8")
    assert "## Hot keys at 10× the peak" in written
    assert "## What grows with the work" in written
    assert DOCUMENT.read_bytes() == committed
