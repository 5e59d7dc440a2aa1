"""`make load`: a bounded load test of one local stack, reported in bench/load.json.

Starts what `make run` starts for the API (a moto server process, infra/resources.yaml
deployed into it, `chalice local --stage local`), on free loopback ports, seeds it with
requests through the API, then runs Locust headless for a fixed number of users and a fixed
time (locustfile.py: the traffic mix). Reported per route: throughput, p50/p95/p99, failures
and 5xx answers, and the app's own CPU time per request (app_server.py's meter: what Lambda
would bill), beside the CPU time of the app's and moto's processes as a whole.

Zero failures and zero 5xx are the bar: the exit status is 1 otherwise. Latency and
throughput are this machine's, with Locust, the app and moto sharing its cores.

Short mode (`make load SHORT=1`, or `--short`): the same run with the fewest users the mix has
(a citizen, the two gateway senders, one officer per active district), a few seconds and a few
seeded requests, reported to a temporary file unless `--output` names one; bench/load.json is
left as it is. tests/integration/bench/test_load.py runs it, so that a change to the rules that breaks the
load test fails the tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.load.traffic import active_districts, idempotency_key, offered_services, service_named, staff_token
from chalicelib.domain.staff import Role
from tools.local.stack import local_aws_environment, start, start_aws, stop, wait_until_answering
from tools.testing.ports import free_port
from tools.testing.synthetic import drawn_application, fawry_paid_notice, paper_documents

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RESULTS_PATH = PROJECT / "bench" / "load.json"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
SERVER_ERROR = re.compile(r"HTTP 5\d\d\b")  # how locustfile.expect names an answer it did not expect


@dataclass(frozen=True)
class Settings:
    users: int = 15  # 10 citizens, 2 gateway senders, one officer per active district (3)
    spawn_rate: float = 5.0
    duration_s: int = 120
    seeded_requests: int = 60
    seed: int = 15
    stop_timeout_s: int = 10  # for the users' tasks in flight when the time is up


# A citizen beside the fixed users (two gateway senders, three officers), for a few seconds.
SHORT = Settings(users=6, spawn_rate=6.0, duration_s=6, seeded_requests=12, stop_timeout_s=4)
SHORT_RESULTS_PATH = Path(tempfile.gettempdir()) / "shobbak-short" / "load.json"


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def post(url: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 - a loopback URL of our own
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def seed(api_url: str, count: int, rng: random.Random) -> dict[str, list[Any]]:
    """Requests filed before the run; about half of the fee-bearing ones paid, so that the
    officers' in-review queues have work from the start."""
    inquirable, unpaid = [], []
    districts = active_districts()
    for number in range(count):
        district = districts[number % len(districts)]
        body, last4 = drawn_application(rng.choice(offered_services(district)), district, rng)
        status, answer = post(f"{api_url}/v1/requests", body, {"Idempotency-Key": idempotency_key()})
        if status != 201:
            raise RuntimeError(f"seeding: submission answered {status}")
        inquirable.append((answer["tracking_number"], last4))
        if answer["payment"] is None:
            continue
        reference, amount = answer["payment"]["reference"], answer["payment"]["amount_egp"]
        if rng.random() < 0.5:
            notice = fawry_paid_notice(reference, amount, f"{rng.randrange(10**10):010d}")
            if post(f"{api_url}/v1/payments/fawry/callback", notice)[0] != 200:
                raise RuntimeError("seeding: a payment notice was refused")
        else:
            unpaid.append((reference, amount))
    return {"inquirable": inquirable, "unpaid": unpaid}


def get(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def warm_up(api_url: str, seeded: dict[str, list[Any]]) -> None:
    """One request of every route of the mix before the run, so that no route's figures
    carry the first use of a client or a template (a cold start is bench/run.py's business)."""
    tracking_number, last4 = seeded["inquirable"][0]
    post(f"{api_url}/v1/inquiries", {"tracking_number": tracking_number, "national_id_last4": last4})
    get(f"{api_url}/v1/districts")
    get(f"{api_url}/v1/services?district={active_districts()[0]}")
    for district in active_districts():
        officer = {"Authorization": f"Bearer {staff_token(Role.OFFICER, district)}"}
        waiting = get(f"{api_url}/v1/office/requests?status=in_review", officer)["requests"]
        if waiting:
            request = get(f"{api_url}/v1/office/requests/{waiting[0]['tracking_number']}", officer)
            # As an office works: the window records the paper the citizen handed in, then the
            # officer decides (a request is approved only with its documents).
            clerk = {"Authorization": f"Bearer {staff_token(Role.CLERK, district)}"}
            paper = paper_documents(service_named(request["service_code"]), request["version"])
            path = f"{api_url}/v1/office/requests/{request['tracking_number']}"
            _, recorded = post(f"{path}/documents/received", paper, clerk)  # a change: the version moves on
            approve = {"to": "approved", "note": "تمت المراجعة", "version": recorded["version"]}
            post(f"{path}/transitions", approve, officer)
            return
    raise RuntimeError("seeding left no request in review to move")


def read_cpu_meter(process: subprocess.Popen[bytes], path: Path) -> dict[str, list[float]]:
    path.unlink(missing_ok=True)
    process.send_signal(signal.SIGUSR1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if path.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                pass  # caught half-written
        time.sleep(0.1)
    raise RuntimeError("the app server did not report its CPU meter")


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def route_figures(
    stats_csv: Path, failures_csv: Path, cpu: dict[str, list[float]], duration_s: float
) -> dict[str, Any]:
    server_errors: dict[str, int] = {}
    with failures_csv.open(encoding="utf-8") as failures:
        for row in csv.DictReader(failures):
            if SERVER_ERROR.search(row["Error"]):
                server_errors[row["Name"]] = server_errors.get(row["Name"], 0) + int(row["Occurrences"])
    routes: dict[str, Any] = {}
    with stats_csv.open(encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            name = row["Name"]
            if name == "Aggregated":
                continue
            count = int(row["Request Count"])
            samples = cpu.get(name.removesuffix(" (repeated)"), [])
            routes[name] = {
                "requests": count,
                "throughput_rps": round(count / duration_s, 2),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "p99_ms": float(row["99%"]),
                "failures": int(row["Failure Count"]),
                "server_errors": server_errors.get(name, 0),
                # The handler's own CPU per request of this route (both sends of a double
                # click share the route's figure).
                "app_cpu_ms": None
                if not samples
                else {
                    "mean": round(1000 * statistics.fmean(samples), 2),
                    "p50": round(1000 * percentile(samples, 0.5), 2),
                    "p95": round(1000 * percentile(samples, 0.95), 2),
                },
            }
    return routes


@dataclass(frozen=True)
class Stack:
    environment: dict[str, str]  # what every process of the stack runs with
    api_url: str
    app: subprocess.Popen[bytes]
    aws: subprocess.Popen[bytes]
    cpu_file: Path


@contextmanager
def load_stack(workdir: Path) -> Iterator[Stack]:
    """What `make run` starts for the API, on free loopback ports, stopped on the way out."""
    aws_port, api_port = free_port(), free_port()
    environment = local_aws_environment(aws_port)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        aws, _ = start_aws(aws_port, environment, processes, log=workdir / "aws.log")
        cpu_file = workdir / "cpu.json"
        app = start(
            [sys.executable, "-m", "bench.load.app_server", "--port", str(api_port), "--cpu-file", str(cpu_file)],
            environment, log=workdir / "app.log",
        )  # fmt: skip
        processes.append(app)
        api_url = f"http://127.0.0.1:{api_port}"
        wait_until_answering(f"{api_url}/v1/districts", app)
        yield Stack(environment, api_url, app, aws, cpu_file)
    finally:
        stop(processes)


def logged_errors(workdir: Path) -> dict[str, list[str]]:
    """Error lines the app and moto wrote during the run (none is the bar)."""
    app = (workdir / "app.log").read_text(encoding="utf-8", errors="replace").splitlines()
    aws = (workdir / "aws.log").read_text(encoding="utf-8", errors="replace").splitlines()
    return {
        "app": [line for line in app if '"level":"ERROR"' in line or "Traceback" in line],
        "moto": [line for line in aws if "Error" in line or "Traceback" in line],
    }


def run(settings: Settings) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="shobbak-load-") as scratch:
        workdir = Path(scratch)
        with load_stack(workdir) as stack:
            print(f"Seeding {settings.seeded_requests} requests through the API...", flush=True)
            seeded = seed(stack.api_url, settings.seeded_requests, random.Random(settings.seed))
            seed_path = workdir / "seed.json"
            seed_path.write_text(json.dumps(seeded))
            warm_up(stack.api_url, seeded)

            before = read_cpu_meter(stack.app, stack.cpu_file)
            app_cpu_before, aws_cpu_before = cpu_seconds(stack.app.pid), cpu_seconds(stack.aws.pid)
            print(f"Locust: {settings.users} users for {settings.duration_s} s against {stack.api_url}...", flush=True)
            started = time.monotonic()
            subprocess.run(
                [str(BIN / "locust"), "-f", str(PROJECT / "bench" / "load" / "locustfile.py"), "--headless",
                 "--users", str(settings.users), "--spawn-rate", str(settings.spawn_rate),
                 "--run-time", f"{settings.duration_s}s", "--stop-timeout", str(settings.stop_timeout_s),
                 "--host", stack.api_url,
                 "--csv", str(workdir / "locust"), "--only-summary", "--exit-code-on-error", "0",
                 "--loglevel", "WARNING"],
                cwd=PROJECT, env={**stack.environment, "SHOBBAK_LOAD_SEED": str(seed_path)},
                check=True,
            )  # fmt: skip
            elapsed = time.monotonic() - started
            app_cpu = cpu_seconds(stack.app.pid) - app_cpu_before
            aws_cpu = cpu_seconds(stack.aws.pid) - aws_cpu_before
            after = read_cpu_meter(stack.app, stack.cpu_file)
        errors = logged_errors(workdir)
        for source, lines in errors.items():
            if lines:
                print(f"{source} logged {len(lines)} error lines; the first:\n" + "\n".join(lines[:5]), flush=True)
        during = {route: samples[len(before.get(route, [])) :] for route, samples in after.items()}
        routes = route_figures(
            workdir / "locust_stats.csv", workdir / "locust_failures.csv", during, settings.duration_s
        )
    total = sum(route["requests"] for route in routes.values())
    return {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "note": (
            "one shared machine: Locust, the app (chalice local) and moto on the same cores; "
            "latencies include moto's, whose queries and transactions slow down as its tables grow")},
        "settings": {"users": settings.users, "duration_s": settings.duration_s, "wall_s": round(elapsed, 1),
                     "seeded_requests": settings.seeded_requests},
        "routes": routes,
        "total": {
            "requests": total,
            "throughput_rps": round(total / settings.duration_s, 2),
            "failures": sum(route["failures"] for route in routes.values()),
            "server_errors": sum(route["server_errors"] for route in routes.values()),
            "app_error_lines": len(errors["app"]),
            "moto_error_lines": len(errors["moto"]),
        },
        "process_cpu_ms_per_request": {
            # The whole API process: the handlers, plus chalice local's HTTP server and the
            # staff token check it runs on every office request (API Gateway caches that).
            "app_process": round(1000 * app_cpu / total, 2) if total else None,
            "moto_process": round(1000 * aws_cpu / total, 2) if total else None,
        },
    }  # fmt: skip


def print_table(results: dict[str, Any]) -> None:
    columns = ("req", "rps", "p50", "p95", "p99", "fail", "5xx", "cpu ms")
    print(f"\n{'route':<64} " + " ".join(f"{column:>6}" for column in columns))
    for name, route in sorted(results["routes"].items()):
        cpu = route["app_cpu_ms"]["mean"] if route["app_cpu_ms"] else float("nan")
        print(f"{name:<64} {route['requests']:>6} {route['throughput_rps']:>6} {route['p50_ms']:>6.0f} "
              f"{route['p95_ms']:>6.0f} {route['p99_ms']:>6.0f} {route['failures']:>6} {route['server_errors']:>6} "
              f"{cpu:>6.2f}")  # fmt: skip
    total = results["total"]
    print(f"total: {total['requests']} requests, {total['throughput_rps']} rps, {total['failures']} failures, "
          f"{total['server_errors']} 5xx; CPU per request: {results['process_cpu_ms_per_request']}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="a few users for a few seconds, into a temporary file")
    parser.add_argument("--users", type=int)
    parser.add_argument("--duration", type=int, help="seconds")
    parser.add_argument("--seeded", type=int)
    parser.add_argument("--output", type=Path)
    arguments = parser.parse_args()
    chosen = SHORT if arguments.short else Settings()
    output = arguments.output or (SHORT_RESULTS_PATH if arguments.short else RESULTS_PATH)
    results = run(
        replace(
            chosen,
            users=arguments.users or chosen.users,
            duration_s=arguments.duration or chosen.duration_s,
            seeded_requests=arguments.seeded or chosen.seeded_requests,
        )
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"written to {output}")
    total = results["total"]
    passed = not (total["failures"] or total["server_errors"] or total["app_error_lines"] or total["moto_error_lines"])
    print("PASS: no failures, no 5xx, no errors logged" if passed else "FAIL: see above", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
