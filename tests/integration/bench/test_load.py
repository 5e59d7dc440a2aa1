"""`make load`: its traffic and its report, checked without a load, then its short mode end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.load.run import RESULTS_PATH, SHORT, route_figures
from tools.testing.short_mode import run_short

# The short load is seconds of traffic timed against one stack: in make test's serial pass, where
# no second worker starves it (under a parallel worker's load it once finished no request at all).
pytestmark = pytest.mark.serial


STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,\
Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
POST,POST /v1/inquiries,100,1,20,25,5,300,500,1.0,0.0,20,22,25,30,40,60,80,110,300,300,300
POST,POST /v1/requests (repeated),4,0,40,41,30,50,300,0.1,0.0,40,40,50,50,50,50,50,50,50,50,50
,Aggregated,104,1,20,25,5,300,500,1.1,0.0,20,22,25,30,40,60,80,110,300,300,300
"""
FAILURES = """Method,Name,Error,Occurrences
POST,POST /v1/inquiries,"HTTP 503: {""error"": {}}",1
"""


def test_the_report_names_each_routes_percentiles_failures_5xx_and_cpu(tmp_path: Path) -> None:
    (tmp_path / "stats.csv").write_text(STATS)
    (tmp_path / "failures.csv").write_text(FAILURES)
    cpu = {"POST /v1/inquiries": [0.002, 0.003, 0.004], "POST /v1/requests": [0.010]}
    routes = route_figures(tmp_path / "stats.csv", tmp_path / "failures.csv", cpu, duration_s=100)
    assert set(routes) == {"POST /v1/inquiries", "POST /v1/requests (repeated)"}
    inquiries = routes["POST /v1/inquiries"]
    assert (inquiries["p50_ms"], inquiries["p95_ms"], inquiries["p99_ms"]) == (20.0, 60.0, 110.0)
    assert (inquiries["failures"], inquiries["server_errors"], inquiries["throughput_rps"]) == (1, 1, 1.0)
    assert inquiries["app_cpu_ms"] == {"mean": 3.0, "p50": 3.0, "p95": 4.0}
    assert routes["POST /v1/requests (repeated)"]["app_cpu_ms"]["p50"] == 10.0


def test_the_short_load_runs_every_user_of_the_mix_with_no_failure_and_leaves_load_json_alone(tmp_path: Path) -> None:
    """`make load SHORT=1`: the whole tool (the stack, the seeding, the warm-up that approves a
    request once its paper is recorded, Locust), so that a rule that breaks it fails here."""
    committed = RESULTS_PATH.read_bytes()
    output = tmp_path / "load.json"
    finished = run_short("bench.load.run", output)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["settings"]["users"] == SHORT.users
    assert results["total"]["requests"] > 0
    assert (results["total"]["failures"], results["total"]["server_errors"]) == (0, 0)
    assert RESULTS_PATH.read_bytes() == committed
