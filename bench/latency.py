"""Latency of a warm handler, and the DynamoDB calls of each request, in one process against moto.

The handler is invoked as Lambda invokes it, with the API Gateway event Chalice's local gateway
made for the same request (recorded once; fresh keys put in outside the timed region), so that
the local gateway's own work is not counted as the handler's. The baseline, plain boto3, sends the
DynamoDB calls the handler made for the same request, recorded from the handler itself (so
they carry the very items its models serialized: the same attributes, index entries and
sizes), with fresh keys put in. moto's Query and TransactWriteItems slow down with the
table's size (DOMAIN.md), so both sides run against tables holding the same items: each
sample deletes what it wrote, outside the timed region.
"""

from __future__ import annotations

import gc
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from bench.child import LambdaContext
from bench.common import REGION, STAGE, Call, Rounds, median, p95, ratio, stdout_to_devnull, substituted
from bench.stage import Recorded, RecordingApp, Stage, random_digits, signed_fawry_notice

QUEUE_PATH = "/v1/office/requests?status=awaiting_payment&page_size=10"


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds `action` took, and what it returned."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def drop_stream_records() -> None:
    """Empties moto's record of the outbox table's stream.

    moto keeps every stream record (deletes included) and its TransactWriteItems deep-copies
    each table it touches, records and all: left alone, every sample would slow the next on
    both sides, and moto's own cost would hide the application's.
    """
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.dynamodb.models import dynamodb_backends

    for table in dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].tables.values():
        if table.stream_shard is not None:
            table.stream_shard.items.clear()


class Rig:
    """Each benchmarked route, once recorded from the handler; then samples of both sides."""

    def __init__(self, stage: Stage, staff_token: str, handler: Any) -> None:
        from botocore import xform_name

        self.stage = stage
        self.handler = handler
        self.staff_token = staff_token
        self.submit_key = uuid.uuid4().hex
        self.submit = stage.record(lambda: self._post_submission(self.submit_key))
        stage.forget(self.submit.calls)
        self.inquiry = stage.record(lambda: self._post_inquiry(stage.seeded[0]))
        self.invoice, filing = stage.file()
        self.notice = signed_fawry_notice(self.invoice["payment"]["reference"], self.invoice["fee_egp"])
        self.callback = stage.record(lambda: stage.post("/v1/payments/fawry/callback", self.notice))
        stage.forget(filing + self.callback.calls)
        self.office_queue = stage.record(self._get_queue_page)
        # boto3's method for each operation the handler called, named outside the timed region.
        recorded = (self.submit, self.inquiry, self.callback, self.office_queue)
        self._method = {operation: xform_name(operation) for each in recorded for operation, _ in each.calls}
        drop_stream_records()

    # --- the handler's side

    def _post_submission(self, key: str) -> Any:
        return self.stage.post("/v1/requests", self.stage.body, {"Idempotency-Key": key})

    def _post_inquiry(self, tracking_number: str) -> Any:
        return self.stage.post(
            "/v1/inquiries", {"tracking_number": tracking_number, "national_id_last4": self.stage.last4}
        )

    def _get_queue_page(self) -> Any:
        answer = self.stage.client.http.get(QUEUE_PATH, headers={"Authorization": f"Bearer {self.staff_token}"})
        assert len(answer.json_body["requests"]) == 10, answer.body
        return answer

    def _invoke(self, event: dict[str, Any]) -> tuple[float, int, Any]:
        """Seconds the handler took to answer `event`, its status and its decoded body."""
        context = LambdaContext()
        elapsed, answer = timed(lambda: self.handler(event, context))
        return elapsed, answer["statusCode"], json.loads(answer["body"])

    def project_submit(self) -> float:
        key = uuid.uuid4().hex
        elapsed, status, body = self._invoke(substituted(self.submit.event, {self._key(): key}))
        assert status == 201, body
        self._forget(self.submit, {self._submitted_number(): body["tracking_number"], self._key(): key})
        return elapsed

    def project_inquiry(self, tracking_number: str) -> float:
        elapsed, status, body = self._invoke(substituted(self.inquiry.event, {self.stage.seeded[0]: tracking_number}))
        assert status == 200, body
        return elapsed

    def project_callback(self) -> float:
        invoice, filing = self.stage.file()
        notice = signed_fawry_notice(invoice["payment"]["reference"], invoice["fee_egp"])
        elapsed, status, body = self._invoke({**self.callback.event, "body": json.dumps(notice)})
        assert status == 200, body
        assert body.get("outcome") == "paid", body
        self.stage.forget(filing)
        self._forget(self.callback, self._callback_replacements(invoice, notice["fawryRefNumber"]))
        return elapsed

    # --- the baseline's side: the same calls, fresh keys

    def _send(self, calls: list[Call]) -> None:
        dynamodb = self.stage.dynamodb
        for operation, parameters in calls:
            try:
                getattr(dynamodb, self._method[operation])(**parameters)
            except dynamodb.exceptions.ConditionalCheckFailedException as refused:
                # As bench/child.py's baseline: a right inquiry reads the refused update's item.
                if "ReturnValuesOnConditionCheckFailure" not in parameters or "Item" not in refused.response:
                    raise

    def baseline_submit(self) -> float:
        fresh = {self._submitted_number(): random_digits(len(self._submitted_number())), self._key(): uuid.uuid4().hex}
        calls = substituted(self.submit.calls, fresh)
        elapsed, _ = timed(lambda: self._send(calls))
        self.stage.forget(calls)
        drop_stream_records()
        return elapsed

    def baseline_inquiry(self, tracking_number: str) -> float:
        calls = substituted(self.inquiry.calls, self.stage.inquiry_replacements(tracking_number))
        elapsed, _ = timed(lambda: self._send(calls))
        return elapsed

    def baseline_callback(self) -> float:
        invoice, filing = self.stage.file()
        transaction = random_digits(len(self.notice["fawryRefNumber"]))
        calls = substituted(self.callback.calls, self._callback_replacements(invoice, transaction))
        elapsed, _ = timed(lambda: self._send(calls))
        self.stage.forget(filing + calls)
        drop_stream_records()
        return elapsed

    # --- keys

    def _submitted_number(self) -> str:
        return str(self.submit.answer.json_body["tracking_number"])

    def _key(self) -> str:
        return self.submit_key

    def _callback_replacements(self, invoice: dict[str, Any], transaction: str) -> dict[str, str]:
        return {self.invoice["tracking_number"]: invoice["tracking_number"], self.notice["fawryRefNumber"]: transaction}

    def _forget(self, recorded: Recorded, replacements: dict[str, str]) -> None:
        self.stage.forget(substituted(recorded.calls, replacements))
        drop_stream_records()


@dataclass
class LatencySamples:
    """Seconds per request, for each side of each benchmarked route."""

    submit: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    inquiry: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))
    callback: tuple[list[float], list[float]] = field(default_factory=lambda: ([], []))


def interleaved(round_number: int, project: Callable[[], float], baseline: Callable[[], float]) -> tuple[float, float]:
    """One sample of each side, the first alternating from round to round."""
    if round_number % 2 == 0:
        project_s = project()
        return project_s, baseline()
    baseline_s = baseline()
    return project(), baseline_s


def sample_latency(rig: Rig, rounds: int) -> LatencySamples:
    samples = LatencySamples()
    for round_number in range(rounds):
        tracking_number = rig.stage.seeded[round_number % len(rig.stage.seeded)]
        pairs = (
            (samples.submit, rig.project_submit, rig.baseline_submit),
            (
                samples.inquiry,
                partial(rig.project_inquiry, tracking_number),
                partial(rig.baseline_inquiry, tracking_number),
            ),
            (samples.callback, rig.project_callback, rig.baseline_callback),
        )
        for (project_list, baseline_list), project, baseline in pairs:
            project_s, baseline_s = interleaved(round_number, project, baseline)
            project_list.append(project_s)
            baseline_list.append(baseline_s)
    return samples


def latency_figures(pair: tuple[list[float], list[float]]) -> dict[str, float]:
    project, baseline = [s * 1000 for s in pair[0]], [s * 1000 for s in pair[1]]
    return {
        "p50_ms": round(median(project), 2),
        "baseline_p50_ms": round(median(baseline), 2),
        "ratio": ratio(median(project), median(baseline)),
        "p95_ms": round(p95(project), 2),
        "baseline_p95_ms": round(p95(baseline), 2),
    }


def measure_requests(rounds: Rounds) -> tuple[dict[str, Any], dict[str, Any]]:
    """The latency and dynamodb_calls sections, from one moto and one set of tables."""
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from bench.console import console_queue_page_calls
    from bench.figures import performance_page_calls
    from chalicelib.domain.staff import Role
    from tests.factories import national_id, submission
    from tools.local.resources import deploy_resources
    from tools.local.staff_token import local_signing_key, mint_token
    from tools.testing.aws_calls import counted_aws_calls

    body = submission()
    with mock_aws(), Client(app, stage_name=STAGE) as client, stdout_to_devnull():
        deploy_resources(boto3.client("cloudformation", region_name=REGION), STAGE)
        recorder = RecordingApp(app)
        # Chalice's local gateway holds the app it calls; the recorder takes its place (untimed paths only).
        client.http._local_gateway._app_object = recorder
        stage = Stage(client, boto3.client("dynamodb", region_name=REGION), body, national_id()[-4:], recorder)
        token = mint_token(local_signing_key(), Role.OFFICER, body["district_code"])
        # The baseline and the clean-up never scan, so every Scan counted is the handler's.
        with counted_aws_calls() as every_call:
            stage.seed(rounds.seeded_requests)
            drop_stream_records()
            rig = Rig(stage, token, app)
            counts = stage.item_counts()
            sample_latency(rig, rounds.warmup_rounds)  # first calls fill caches on both sides
            gc.collect()
            samples = sample_latency(rig, rounds.latency_samples)
        left = stage.item_counts()
        assert left == counts, f"samples left items behind: {counts} became {left}"
        performance_page = performance_page_calls(client)  # bench/figures.py (issue 9)
        console_queue_page = console_queue_page_calls(client)  # bench/console.py (issue 21)
    latency = {
        "submit": latency_figures(samples.submit),
        "inquiry": latency_figures(samples.inquiry),
        "callback": latency_figures(samples.callback),
    }
    calls = {
        "submit": len(rig.submit.calls),
        "inquiry": len(rig.inquiry.calls),
        "callback": len(rig.callback.calls),
        "office_queue_page": len(rig.office_queue.calls),
        "performance_page": performance_page,
        "console_queue_page": console_queue_page,
        "scans": every_call["dynamodb:Scan"],
    }
    return latency, calls
