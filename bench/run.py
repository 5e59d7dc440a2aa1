"""Shobbak's benchmarks: writes bench/results.json (CONTRACT.md) and prints a short table.

Run from the repository's root: `.venv/bin/python -m bench.run` (`make bench`).

Every `ratio` is this project's figure over a baseline measured in the same run, on the same
machine, so that the machine's speed cancels out:
  * cold_start, memory (bench/cold_start.py): fresh interpreters answering one request of a
    route, the handler's against plain boto3 sending the same DynamoDB calls;
  * latency, dynamodb_calls (bench/latency.py): the warm handler through Chalice's test client
    against moto, over plain boto3 sending the same calls against the same tables.
The baseline's calls are recorded from the handler itself, so they carry the very items its
PynamoDB models serialized and cannot drift from them.

Keys of features that do not exist yet stay null; targets are reported, never asserted.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import ROOT, local_stage_env, use_env

RESULTS_PATH = ROOT / "bench" / "results.json"

# Issue 12's targets: ratios in one run.
TARGETS = {"first_request": 1.25, "memory": 1.3, "latency": 1.2}
FIRST_REQUEST_ROUTES = ("submit", "inquiry", "callback", "office_queue")
LATENCY_ROUTES = ("submit", "inquiry", "callback")


def measure_cold_starts() -> dict[str, Any]:
    """bench/cold_start.py, in a process of its own: it runs the handler against a moto
    server, this process against moto in process."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.cold_start"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.cold_start failed:\n{completed.stderr[-3000:]}")
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


PORTAL_BUILDS = 5


def measure_portal() -> dict[str, Any]:
    """`make portal` into a scratch folder: its pages, the heaviest page's gzipped weight with the
    stylesheet and script it loads (budget 14 KB), and the median time of a whole build."""
    import tempfile

    from chalicelib.config import settings
    from chalicelib.domain.calendar import cairo_today
    from portal_site.budget import built_page_weights
    from portal_site.build import build

    today = cairo_today(datetime.now(UTC))
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "portal"
        builds = [build(out, "", settings().rollout_phase, today) for _ in range(PORTAL_BUILDS)]
        weights = built_page_weights(out)
    return {
        "pages": builds[-1].pages,
        "max_page_gzip_bytes": max(weights.values()),
        "build_s": round(statistics.median(built.seconds for built in builds), 3),
    }


def write_results(results: dict[str, Any]) -> None:
    RESULTS_PATH.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISS"


def print_table(results: dict[str, Any]) -> None:
    cold, memory, latency = results["cold_start"], results["memory"], results["latency"]
    rows: list[tuple[str, float, float, float, float | None]] = [
        ("import, ms", cold["app_ms"], cold["boto3_ms"], cold["ratio"], None),
        *(
            (f"first {route}, ms", figures["app_ms"], figures["baseline_ms"], figures["ratio"],
             TARGETS["first_request"])
            for route, figures in cold["first_request"].items()
        ),
        ("memory, MB", memory["app_rss_mb"], memory["baseline_rss_mb"], memory["ratio"], TARGETS["memory"]),
        *(
            (f"{route} p50, ms", latency[route]["p50_ms"], latency[route]["baseline_p50_ms"], latency[route]["ratio"],
             TARGETS["latency"])
            for route in LATENCY_ROUTES
        ),
    ]  # fmt: skip
    print(f"{'':22}{'shobbak':>10}{'baseline':>10}{'ratio':>8}{'target':>9}")
    for name, project, baseline, figure, target in rows:
        goal = f"≤ {target}" if target else ""
        judged = verdict(figure, target) if target else ""
        print(f"{name:22}{project:>10.2f}{baseline:>10.2f}{figure:>8.3f}{goal:>9}  {judged}")
    print("p95, ms: " + ", ".join(
        f"{route} {latency[route]['p95_ms']} / {latency[route]['baseline_p95_ms']}" for route in LATENCY_ROUTES
    ))  # fmt: skip
    calls = results["dynamodb_calls"]
    print(
        f"DynamoDB calls: submit {calls['submit']} (target 1), inquiry {calls['inquiry']} (target 1), "
        f"callback {calls['callback']} (target ≤ 2), office queue page {calls['office_queue_page']} (target 1), "
        f"scans {calls['scans']} (target 0)"
    )
    portal = results["portal"]
    print(
        f"Portal: {portal['pages']} pages, heaviest {portal['max_page_gzip_bytes']} bytes gzipped "
        f"(budget 14336), built in {portal['build_s']} s"
    )
    sms = results["sms"]
    print(f"SMS: {sms['templates']} texts, at most {sms['max_segments']} segment(s) each (target 1)")
    print(f"written to {RESULTS_PATH.relative_to(ROOT)}")


def measure_sms() -> dict[str, int]:
    """Every message text, rendered with the longest values it can take, in SMS segments."""
    from datetime import date

    from chalicelib.domain.calendar import ARABIC_MONTHS
    from chalicelib.domain.catalogue import load_catalogue
    from chalicelib.domain.messages import Event, MessageValues, sms_segments, sms_text

    longest_month = max(range(12), key=lambda month: len(ARABIC_MONTHS[month]))
    worst = MessageValues(
        tracking_number="9" * 14,
        reference="9" * 16,
        amount_egp=99_999,
        pay_by=date(2026, longest_month + 1, 28),
        district_name_ar=max((d.name_ar for d in load_catalogue(rollout_phase=99).districts()), key=len),
    )
    return {"templates": len(Event), "max_segments": max(sms_segments(sms_text(event, worst)) for event in Event)}


def main() -> None:
    started = time.perf_counter()
    cold = measure_cold_starts()
    use_env(local_stage_env())
    from bench.latency import measure_requests

    latency, dynamodb_calls = measure_requests()
    results = {
        "cold_start": cold["cold_start"],
        "memory": cold["memory"],
        "latency": latency,
        "dynamodb_calls": dynamodb_calls,
        "sms": measure_sms(),
        "portal": measure_portal(),
    }
    write_results(results)
    print_table(results)
    print(f"took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
