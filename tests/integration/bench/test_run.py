"""`make bench SHORT=1` (bench/run.py): every part of the bench end to end, so that a rule that breaks
the bench fails here; bench/results.json keeps the full run's figures."""

from __future__ import annotations

import json
from pathlib import Path

from bench.run import RESULTS_PATH
from tools.testing.short_mode import run_short


def test_the_short_bench_fills_every_section_and_leaves_results_json_alone(tmp_path: Path) -> None:
    committed = RESULTS_PATH.read_bytes()
    output = tmp_path / "results.json"
    finished = run_short("bench.run", output)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results) == set(json.loads(committed))
    assert set(results["cold_start"]["first_request"]) == {"submit", "inquiry", "callback", "office_queue"}
    assert results["dynamodb_calls"]["performance_page"] is not None
    assert results["dynamodb_calls"]["console_queue_page"] == 1  # issue 21: exactly one Query a page
    assert results["dynamodb_calls"]["scans"] == 0
    assert RESULTS_PATH.read_bytes() == committed
