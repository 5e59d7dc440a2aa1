"""Shobbak's benchmarks: writes bench/results.json (docs/interfaces.md#benchmark-results) and prints a short table.

Run from the repository's root: `.venv/bin/python -m bench.run` (`make bench`).

Every `ratio` is this project's figure over a baseline measured in the same run, on the same
machine, so that the machine's speed cancels out:
  * cold_start, memory (bench/cold_start.py): fresh interpreters answering one request of a
    route, the handler's against plain boto3 sending the same DynamoDB calls;
  * latency, dynamodb_calls (bench/latency.py): the warm handler through Chalice's test client
    against moto, over plain boto3 sending the same calls against the same tables.
Two figures are counts, not ratios: `sms` (every text's SMS segments, target 1) and
`messages_per_application` (bench/messages.py: the messages `make demo`'s history sends, per
application; `messages` says what it was measured over).
The baseline's calls are recorded from the handler itself, so they carry the very items its
PynamoDB models serialized and cannot drift from them.

Keys of features that do not exist yet stay null; targets are reported, never asserted.

Short mode (`make bench SHORT=1`, or `--short`): every part once or a few times
(bench/common.py's SHORT_ROUNDS), written to a temporary file unless `--output` names one, so that
bench/results.json keeps the full run's figures. tests/integration/bench/test_run.py runs it, so that a change
to the rules that breaks the bench fails the tests.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.common import ROOT, SHORT_ROUNDS, Rounds, local_stage_env, use_env

RESULTS_PATH = ROOT / "bench" / "results.json"
SHORT_RESULTS_PATH = Path(tempfile.gettempdir()) / "shobbak-short" / "results.json"

# Issue 12's targets: ratios in one run.
TARGETS = {"first_request": 1.25, "memory": 1.3, "latency": 1.2}
FIRST_REQUEST_ROUTES = ("submit", "inquiry", "callback", "office_queue")
LATENCY_ROUTES = ("submit", "inquiry", "callback")


def measure_cold_starts(short: bool) -> dict[str, Any]:
    """bench/cold_start.py, in a process of its own: it runs the handler against a moto
    server, this process against moto in process."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.cold_start", *(["--short"] if short else [])],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if completed.returncode != 0:
        raise RuntimeError(f"bench.cold_start failed:\n{completed.stderr[-3000:]}")
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def measure_portal(builds_wanted: int) -> dict[str, Any]:
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
        builds = [build(out, "", settings().rollout_phase, today) for _ in range(builds_wanted)]
        weights = built_page_weights(out)
    return {
        "pages": builds[-1].pages,
        "max_page_gzip_bytes": max(weights.values()),
        "build_s": round(statistics.median(built.seconds for built in builds), 3),
    }


def write_results(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISS"


def print_table(results: dict[str, Any], path: Path) -> None:
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
        f"console queue page {calls['console_queue_page']} (target 1), "
        f"scans {calls['scans']} (target 0)"
    )
    portal = results["portal"]
    print(
        f"Portal: {portal['pages']} pages, heaviest {portal['max_page_gzip_bytes']} bytes gzipped "
        f"(budget 14336), built in {portal['build_s']} s"
    )
    sms = results["sms"]
    print(f"SMS: {sms['templates']} texts, at most {sms['max_segments']} segment(s) each (target 1)")
    print(
        f"Messages: {results['messages_per_application']} per application over make demo's first "
        f"{results['messages']['applications']} requests ({results['messages']['sent_by_channel']})"
    )
    print(f"written to {path}")


def measure_sms() -> dict[str, int]:
    """Every message text, rendered with the longest values it can take, in SMS segments
    ("received" twice: with a fee it says how to pay, without one it names the request)."""
    from dataclasses import replace
    from datetime import date

    from chalicelib.domain.calendar import ARABIC_MONTHS
    from chalicelib.domain.catalogue import load_catalogue
    from chalicelib.domain.messages import PORTAL_ADDRESS_MAX, Event, MessageValues, sms_segments, sms_text

    longest_month = max(range(12), key=lambda month: len(ARABIC_MONTHS[month]))
    worst = MessageValues(
        tracking_number="9" * 14,
        reference="9" * 16,
        amount_egp=99_999,
        pay_by=date(2026, longest_month + 1, 28),
        district_name_ar=max((d.name_ar for d in load_catalogue(rollout_phase=99).districts()), key=len),
        portal_address="p" * PORTAL_ADDRESS_MAX,
    )
    texts = [sms_text(event, worst) for event in Event]
    texts.append(sms_text(Event.SUBMITTED, replace(worst, reference=None, amount_egp=None)))
    return {"templates": len(texts), "max_segments": max(sms_segments(text) for text in texts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="every part once or a few times, into a temporary file")
    parser.add_argument("--output", type=Path)
    arguments = parser.parse_args()
    rounds = SHORT_ROUNDS if arguments.short else Rounds()
    output = arguments.output or (SHORT_RESULTS_PATH if arguments.short else RESULTS_PATH)
    started = time.perf_counter()
    cold = measure_cold_starts(arguments.short)
    use_env(local_stage_env())
    from bench.latency import measure_requests

    latency, dynamodb_calls = measure_requests(rounds)
    from bench.messages import APPLICATIONS, SHORT_APPLICATIONS, measure_messages

    messages = measure_messages(SHORT_APPLICATIONS if arguments.short else APPLICATIONS)
    results = {
        "cold_start": cold["cold_start"],
        "memory": cold["memory"],
        "latency": latency,
        "dynamodb_calls": dynamodb_calls,
        "sms": measure_sms(),
        "messages_per_application": messages.pop("messages_per_application"),
        "messages": messages,
        "portal": measure_portal(rounds.portal_builds),
    }
    write_results(results, output)
    print_table(results, output)
    print(f"took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
