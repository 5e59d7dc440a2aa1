"""`make bench SHORT=1` (bench/run.py): every part of the bench end to end, so that a rule that breaks
the bench fails here; bench/results.json keeps the full run's figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.common import ROOT
from bench.run import RESULTS_PATH


def test_the_short_bench_fills_every_section_and_leaves_results_json_alone(tmp_path: Path) -> None:
    committed = RESULTS_PATH.read_bytes()
    output = tmp_path / "results.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench.run", "--short", "--output", str(output)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results) == set(json.loads(committed))
    assert set(results["cold_start"]["first_request"]) == {"submit", "inquiry", "callback", "office_queue"}
    assert results["dynamodb_calls"]["performance_page"] is not None
    assert results["dynamodb_calls"]["scans"] == 0
    assert RESULTS_PATH.read_bytes() == committed
