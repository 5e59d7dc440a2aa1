"""Cold starts as a citizen waits for them, and the memory a container holds after its first
requests: `python -m bench.cold_start` prints the `cold_start` and `memory` sections as JSON.

Each sample is a fresh interpreter (bench/child.py): the handler's side imports app.py and
answers one API Gateway event of a route; the baseline's side imports boto3, makes one
DynamoDB client and sends the DynamoDB calls the handler made for the same request, recorded
from the handler itself (so they carry the very items its models serialized). Both talk to
one moto server holding tables of the same size throughout: whatever a sample writes is
deleted before the next. Samples alternate sides and routes, so that drifts in the machine's
load fall on both alike; each kind of child runs once first, unmeasured, so that both find
their files in the file cache.

Both sides load byte-compiled files: pip compiled boto3's (and every other installed package's)
when it installed them, and `byte_compile_project()` compiles this project's before the first
child. The children cannot be left to write their own: with PYTHONDONTWRITEBYTECODE set (as it
often is in containers and CI) they would never be written, and the handler's side alone would
compile its source on every cold start.
"""

from __future__ import annotations

import compileall
import json
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    REGION,
    ROOT,
    SHORT_ROUNDS,
    STAGE,
    Call,
    Rounds,
    local_stage_env,
    median,
    p95,
    ratio,
    stdout_to_devnull,
    substituted,
    use_env,
)
from bench.stage import RecordingApp, Stage, random_digits, signed_fawry_notice

ROUTES = ("submit", "inquiry", "callback", "office_queue")
JSON_HEADERS = {"Content-Type": "application/json"}
QUEUE_PATH = "/v1/office/requests?status=awaiting_payment&page_size=10"


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server process on a free port, for as long as the block runs: its URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the moto server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@dataclass
class Sample:
    """One side's spec for a child, and the calls whose writes to clear away after it."""

    spec: dict[str, Any]
    written: list[Call]


class Routes:
    """For each route: one request recorded from the handler, and fresh samples made from it."""

    def __init__(self, stage: Stage, staff_token: str) -> None:
        self.stage = stage
        self.submit = stage.record(
            lambda: stage.post("/v1/requests", stage.body, {"Idempotency-Key": uuid.uuid4().hex})
        )
        stage.forget(self.submit.calls)
        self.inquiry = stage.record(
            lambda: stage.post("/v1/inquiries", {"tracking_number": stage.seeded[0], "national_id_last4": stage.last4})
        )
        self.invoice, filing = stage.file()
        self.notice = signed_fawry_notice(self.invoice["payment"]["reference"], self.invoice["fee_egp"])
        self.callback = stage.record(lambda: stage.post("/v1/payments/fawry/callback", self.notice))
        stage.forget(filing + self.callback.calls)
        headers = {"Authorization": f"Bearer {staff_token}"}
        self.office_queue = stage.record(lambda: stage.client.http.get(QUEUE_PATH, headers=headers))
        assert len(self.office_queue.answer.json_body["requests"]) == 10

    def app_sample(self, route: str) -> Sample:
        if route == "submit":
            event = substituted(self.submit.event, {self._submit_key(): uuid.uuid4().hex})
            return Sample({"events": [event]}, [])  # what it wrote is known once it has answered
        if route == "callback":
            invoice, filing = self.stage.file()
            notice = signed_fawry_notice(invoice["payment"]["reference"], invoice["fee_egp"])
            event = {**self.callback.event, "body": json.dumps(notice)}
            paid = substituted(self.callback.calls, self._callback_replacements(invoice, notice["fawryRefNumber"]))
            return Sample({"events": [event]}, filing + paid)
        return Sample({"events": [getattr(self, route).event]}, [])

    def baseline_sample(self, route: str) -> Sample:
        if route == "submit":
            number = self.submit.answer.json_body["tracking_number"]
            fresh = {number: random_digits(len(number)), self._submit_key(): uuid.uuid4().hex}
            calls = substituted(self.submit.calls, fresh)
            return Sample({"calls": calls, "region": REGION}, calls)
        if route == "callback":
            invoice, filing = self.stage.file()
            transaction = random_digits(len(self.notice["fawryRefNumber"]))
            calls = substituted(self.callback.calls, self._callback_replacements(invoice, transaction))
            return Sample({"calls": calls, "region": REGION}, filing + calls)
        return Sample({"calls": getattr(self, route).calls, "region": REGION}, [])

    def after(self, route: str, side: str, sample: Sample, answer_body: str | None) -> None:
        """Clears away what the sample wrote, so that every sample meets tables of one size."""
        if route == "submit" and side == "app":
            assert answer_body is not None
            new_key = sample.spec["events"][0]["headers"]["idempotency-key"]
            fresh = {
                self.submit.answer.json_body["tracking_number"]: json.loads(answer_body)["tracking_number"],
                self._submit_key(): new_key,
            }
            self.stage.forget(substituted(self.submit.calls, fresh))
        else:
            self.stage.forget(sample.written)

    def _submit_key(self) -> str:
        return str(self.submit.event["headers"]["idempotency-key"])

    def _callback_replacements(self, invoice: dict[str, Any], transaction: str) -> dict[str, str]:
        """From the recorded callback's invoice and Fawry transaction to another's."""
        return {
            self.invoice["tracking_number"]: invoice["tracking_number"],
            self.notice["fawryRefNumber"]: transaction,
        }


def run_child(side: str, spec: dict[str, Any], env: dict[str, str], scratch: Path) -> dict[str, Any]:
    spec_path = scratch / f"{side}.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "bench.child", side, str(spec_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the {side} child failed:\n{completed.stderr[-3000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    assert all(status < 300 for status in figures["statuses"]), figures
    return figures


def measure(routes: Routes, env: dict[str, str], scratch: Path, rounds: Rounds) -> dict[str, Any]:
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {route: {"app": [], "baseline": []} for route in ROUTES}

    def one(route: str, side: str) -> dict[str, Any]:
        sample = routes.app_sample(route) if side == "app" else routes.baseline_sample(route)
        figures = run_child(side, sample.spec, env, scratch)
        routes.after(route, side, sample, figures["bodies"][0] if side == "app" else None)
        return figures

    for route in ROUTES if rounds.cold_start_unmeasured_first else ():
        for side in ("app", "baseline"):
            one(route, side)
    for run in range(rounds.cold_start_runs):
        for number, route in enumerate(ROUTES):
            sides = ("app", "baseline") if (run + number) % 2 == 0 else ("baseline", "app")
            for side in sides:
                samples[route][side].append(one(route, side))
    return samples


def byte_compile_project(root: Path = ROOT) -> None:
    """Writes the byte-compiled files of app.py, chalicelib/ and bench/ that are missing or stale."""
    compileall.compile_file(root / "app.py", quiet=1)
    for package in ("chalicelib", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def main() -> None:
    """`--short`: one run of each (SHORT_ROUNDS), as `make bench SHORT=1` asks."""
    rounds = SHORT_ROUNDS if "--short" in sys.argv[1:] else Rounds()
    byte_compile_project()
    with moto_server() as endpoint_url, tempfile.TemporaryDirectory() as scratch:
        env = local_stage_env(endpoint_url)
        use_env(env)
        results = measure_all(env, Path(scratch), rounds)
    print(json.dumps(results))


def measure_all(env: dict[str, str], scratch: Path, rounds: Rounds) -> dict[str, Any]:
    import boto3
    from chalice.test import Client

    from app import app
    from chalicelib.domain.staff import Role
    from tests.factories import national_id, submission
    from tools.local.resources import deploy_resources
    from tools.local.staff_token import local_signing_key, mint_token

    deploy_resources(boto3.client("cloudformation", region_name=REGION), STAGE)
    body = submission()
    with Client(app, stage_name=STAGE) as client, stdout_to_devnull():
        recorder = RecordingApp(app)
        # Chalice's local gateway holds the app it calls; the recorder takes its place.
        client.http._local_gateway._app_object = recorder
        stage = Stage(client, boto3.client("dynamodb", region_name=REGION), body, national_id()[-4:], recorder)
        stage.seed(rounds.seeded_requests)
        token = mint_token(local_signing_key(), Role.OFFICER, body["district_code"])
        routes = Routes(stage, token)
        counts = stage.item_counts()
        samples = measure(routes, env, scratch, rounds)
        memory = measure_memory(routes, env, scratch, rounds.memory_runs)
        left = stage.item_counts()
        assert left == counts, f"samples left items behind: {counts} became {left}"
    return {**first_request_figures(samples), "memory": memory}


def first_request_figures(samples: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    first_request = {}
    for route, sides in samples.items():
        app_ms = [figures["answered_ms"] for figures in sides["app"]]
        baseline_ms = [figures["answered_ms"] for figures in sides["baseline"]]
        first_request[route] = {
            "app_ms": round(median(app_ms), 1),
            "baseline_ms": round(median(baseline_ms), 1),
            "ratio": ratio(median(app_ms), median(baseline_ms)),
            "app_p95_ms": round(p95(app_ms), 1),
            "baseline_p95_ms": round(p95(baseline_ms), 1),
            "runs": len(app_ms),
        }
    # `import app` against `import boto3` and one client, from every sample's first moment.
    imported = [figures["ready_ms"] for sides in samples.values() for figures in sides["app"]]
    boto3_ready = [figures["ready_ms"] for sides in samples.values() for figures in sides["baseline"]]
    return {
        "cold_start": {
            "app_ms": round(median(imported), 1),
            "boto3_ms": round(median(boto3_ready), 1),
            "ratio": ratio(median(imported), median(boto3_ready)),
            "first_request": first_request,
        }
    }


def measure_memory(routes: Routes, env: dict[str, str], scratch: Path, runs: int) -> dict[str, Any]:
    """Resident set of a fresh interpreter after one request of each route, in route order."""
    app_mb: list[float] = []
    baseline_mb: list[float] = []
    for run in range(runs):
        for side in ("app", "baseline") if run % 2 == 0 else ("baseline", "app"):
            parts = [routes.app_sample(r) if side == "app" else routes.baseline_sample(r) for r in ROUTES]
            key = "events" if side == "app" else "calls"
            spec = {key: [entry for part in parts for entry in part.spec[key]], "region": REGION}
            figures = run_child(side, spec, env, scratch)
            (app_mb if side == "app" else baseline_mb).append(figures["rss_mb"])
            bodies = figures["bodies"] or [None] * len(ROUTES)
            for route, part, body in zip(ROUTES, parts, bodies, strict=True):
                routes.after(route, side, part, body)
    return {
        "app_rss_mb": round(median(app_mb), 1),
        "baseline_rss_mb": round(median(baseline_mb), 1),
        "ratio": ratio(median(app_mb), median(baseline_mb)),
    }


if __name__ == "__main__":
    main()
