"""Shobbak's benchmarks: writes bench/results.json (CONTRACT.md) and prints a short table.

Run from the repository's root: `.venv/bin/python -m bench.run`.

Every `ratio` is this project's figure over a baseline measured in the same run, on the
same machine, so that the machine's speed cancels out:
  * cold_start: `import app` in a fresh interpreter, over `import boto3` plus one DynamoDB
    client, the least any Python Lambda that talks to DynamoDB pays;
  * latency: the handler through Chalice's test client against moto, over plain boto3
    making the same DynamoDB calls against the same moto tables.

moto's Query and TransactWriteItems slow down with the table's size (DOMAIN.md), so both
sides of every latency pair run against tables holding the same fixed number of items:
each sample deletes what it wrote, outside the timed region.

Keys of features that do not exist yet stay null; targets are reported, never asserted.
"""

from __future__ import annotations

import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = ROOT / "bench" / "results.json"
STAGE = "local"
REGION = "eu-central-1"

COLD_START_RUNS = 15
SEEDED_REQUESTS = 20
WARMUP_ROUNDS = 20
LATENCY_SAMPLES = 200

TARGETS = {"cold_start": 1.25, "submit": 2.0, "inquiry": 1.5, "callback": 2.0}

# What each fresh interpreter imports: the Lambda handler module, and the least a Lambda
# that talks to DynamoDB imports and builds before its first call.
APP_COLD_START = "import app"
BOTO3_COLD_START = f"import boto3; boto3.client('dynamodb', region_name={REGION!r})"
TIMED_CHILD = "import time\nstarted = time.perf_counter()\n{code}\nprint((time.perf_counter() - started) * 1000)"

JSON_HEADERS = {"Content-Type": "application/json"}


def table_name(table: str) -> str:
    """The physical name infra/resources.yaml gives a table in the local stage."""
    return f"shobbak-{STAGE}-{table}"


# ---------------------------------------------------------------------------------------
# Environment


def local_stage_env() -> dict[str, str]:
    """The environment a handler of the local stage sees: .chalice/config.json's variables,
    dummy credentials, and no AWS_* of the developer's (least of all AWS_ENDPOINT_URL,
    which would send calls past moto's in-process mock)."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(config.get("environment_variables", {}))
    env.update(config["stages"][STAGE].get("environment_variables", {}))
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)  # noqa: S106
    return env


def use_local_stage_env() -> None:
    """Puts this process in the local stage's environment, as tests/conftest.py does for tests."""
    env = local_stage_env()
    for name in list(os.environ):
        if name not in env:
            del os.environ[name]
    os.environ.update(env)


@contextmanager
def stdout_to_devnull() -> Iterator[None]:
    """Sends file descriptor 1 to /dev/null while the handler runs.

    The handler logs JSON lines to stdout; formatting and writing them is the application's
    cost and stays in the figures, but a terminal's drawing them is not.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def ratio(project: float, baseline: float) -> float:
    return round(project / baseline, 3)


# ---------------------------------------------------------------------------------------
# Cold start


def cold_import_ms(code: str, env: dict[str, str]) -> float:
    """Milliseconds a fresh interpreter spends running `code`, timed inside the child so
    that the interpreter's own start-up, the same for both sides, is left out."""
    completed = subprocess.run(
        [sys.executable, "-c", TIMED_CHILD.format(code=code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(completed.stdout.strip().splitlines()[-1])


def measure_cold_start(runs: int = COLD_START_RUNS) -> dict[str, float]:
    """Medians over `runs` interpreters per side, alternating which side goes first so that
    drifts in the machine's load and file cache fall on both alike."""
    env = local_stage_env()
    cold_import_ms(APP_COLD_START, env)  # warm the file cache (and .pyc files) for both sides
    cold_import_ms(BOTO3_COLD_START, env)
    app_ms: list[float] = []
    boto3_ms: list[float] = []
    for run in range(runs):
        pair = [(APP_COLD_START, app_ms), (BOTO3_COLD_START, boto3_ms)]
        for code, samples in pair if run % 2 == 0 else reversed(pair):
            samples.append(cold_import_ms(code, env))
    app_median, boto3_median = statistics.median(app_ms), statistics.median(boto3_ms)
    return {
        "app_ms": round(app_median, 1),
        "boto3_ms": round(boto3_median, 1),
        "ratio": ratio(app_median, boto3_median),
    }


# ---------------------------------------------------------------------------------------
# Latency and DynamoDB calls, in one process against moto


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds `action` took, and what it returned."""
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def random_tracking_number() -> str:
    """A 13-digit number shaped like the project's (its check digit does not matter here)."""
    return str(1 + secrets.randbelow(9)) + "".join(str(secrets.randbelow(10)) for _ in range(12))


def dynamodb_json(value: Any) -> dict[str, Any]:
    """A plain value as DynamoDB JSON, for the few types a submission's details hold."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": str(value)}
    if isinstance(value, dict):
        return {"M": {key: dynamodb_json(item) for key, item in value.items()}}
    return {"S": str(value)}


def not_there(key: str) -> dict[str, Any]:
    """The condition the project puts on each of a submission's new items."""
    return {"ConditionExpression": "attribute_not_exists (#0)", "ExpressionAttributeNames": {"#0": key}}


def baseline_submission_items(tracking_number: str, key: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    """The four Puts of a submission, written by hand with the same attributes as the
    project's (request, first history entry, applicant, idempotency record)."""
    now = datetime.now(UTC)
    at = now.strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    due = (now + timedelta(days=60)).date().isoformat()
    fee = "5000"
    answer = {
        "tracking_number": tracking_number,
        "status": "awaiting_payment",
        "fee_egp": int(fee),
        "sla_due_date": due,
        "payment": {"reference": f"{tracking_number}01", "amount_egp": int(fee), "status": "unpaid"},
    }
    request = {
        "tracking_number": {"S": tracking_number},
        "item": {"S": "request"},
        "kind": {"S": "request"},
        "service_code": {"S": body["service_code"]},
        "district_code": {"S": body["district_code"]},
        "department": {"S": "planning"},
        "channel": {"S": "portal"},
        "status": {"S": "awaiting_payment"},
        "version": {"N": "1"},
        "fee_egp": {"N": fee},
        "payment": dynamodb_json(answer["payment"]),
        "details": dynamodb_json(body["details"]),
        "submitted_at": {"S": at},
        "updated_at": {"S": at},
        "sla_due_date": {"S": due},
        "inquiry_check": {"S": secrets.token_hex(32)},
        "queue": {"S": f"{body['district_code']}#awaiting_payment"},
        "queue_order": {"S": f"{due}#{tracking_number}"},
    }
    history = {
        "tracking_number": {"S": tracking_number},
        "item": {"S": f"history#000001#{at}"},
        "kind": {"S": "history"},
        "version": {"N": "1"},
        "at": {"S": at},
        "to_status": {"S": "awaiting_payment"},
        "actor_role": {"S": "citizen"},
        "internal": {"BOOL": False},
    }
    applicant = {
        "tracking_number": {"S": tracking_number},
        "full_name": {"S": body["applicant"]["full_name"]},
        "national_id": {"S": body["applicant"]["national_id"]},
        "phone": {"S": "+2" + body["applicant"]["phone"]},
    }
    idempotency = {
        "key": {"S": key},
        "body_digest": {"S": secrets.token_hex(32)},
        "tracking_number": {"S": tracking_number},
        "answer": {"S": json.dumps(answer, ensure_ascii=False)},
        "expires_at": {"N": str(int((now + timedelta(hours=24)).timestamp()))},
    }
    intents = [
        outbox_item(tracking_number, "000001#submitted", at, {}),
        outbox_item(tracking_number, "000001#awaiting_payment", at, {"reference": f"{tracking_number}01",
                                                                      "amount_egp": int(fee)}),
        outbox_item(tracking_number, "000001#payment_reminder", at, {"reference": f"{tracking_number}01",
                                                                      "pay_by": due}),
    ]  # fmt: skip
    return [
        {"Put": {"TableName": table_name("requests"), "Item": request, **not_there("tracking_number")}},
        {"Put": {"TableName": table_name("requests"), "Item": history, **not_there("tracking_number")}},
        {"Put": {"TableName": table_name("applicants"), "Item": applicant, **not_there("tracking_number")}},
        {"Put": {"TableName": table_name("idempotency"), "Item": idempotency, **not_there("key")}},
        *({"Put": {"TableName": table_name("outbox"), "Item": item, **not_there("key")}} for item in intents),
    ]


def signed_fawry_notice(reference: str, amount_egp: int) -> dict[str, Any]:
    """A genuine Fawry V2 PAID notice, signed with the local stage's secure key."""
    from chalicelib.adapters.fawry import fawry_signature
    from chalicelib.adapters.secrets import LOCAL_DEFAULTS

    notice = {
        "fawryRefNumber": str(secrets.randbelow(9 * 10**9) + 10**9),
        "merchantRefNumber": reference,
        "paymentAmount": f"{amount_egp:.2f}",
        "orderAmount": f"{amount_egp:.2f}",
        "orderStatus": "PAID",
        "paymentMethod": "PAYATFAWRY",
        "paymentRefrenceNumber": str(secrets.randbelow(10**8)),
    }
    notice["messageSignature"] = fawry_signature(notice, LOCAL_DEFAULTS["FAWRY_SECURE_KEY"])
    return notice


def baseline_payment_items(request: dict[str, Any], notice: dict[str, Any]) -> list[dict[str, Any]]:
    """What applying a payment writes, by hand: the notice, the request moved on (on condition
    of the version read) and its history entry."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    tracking_number = request["tracking_number"]["S"]
    key = f"notice#fawry#{notice['fawryRefNumber']}#paid"
    moved = {
        **request,
        "status": {"S": "in_review"},
        "version": {"N": "2"},
        "updated_at": {"S": now},
        "payment": {"M": {**request["payment"]["M"], "status": {"S": "paid"}, "paid_by": {"S": key},
                          "paid_at": {"S": now}}},
        "queue": {"S": request["queue"]["S"].replace("awaiting_payment", "in_review")},
    }  # fmt: skip
    record = {
        "key": {"S": key},
        "gateway": {"S": "fawry"},
        "transaction_id": {"S": notice["fawryRefNumber"]},
        "kind": {"S": "paid"},
        "reference": {"S": notice["merchantRefNumber"]},
        "tracking_number": {"S": tracking_number},
        "district_code": request["district_code"],
        "service_code": request["service_code"],
        "amount_piasters": {"N": "500000"},
        "currency": {"S": "EGP"},
        "method": {"S": "PAYATFAWRY"},
        "outcome": {"S": "paid"},
        "received_at": {"S": now},
        "ledger_day": {"S": now[:10]},
        "ledger_order": {"S": f"{request['district_code']['S']}#{request['service_code']['S']}#{key}"},
    }
    history = {
        "tracking_number": {"S": tracking_number},
        "item": {"S": f"history#000002#{now}"},
        "kind": {"S": "history"},
        "event": {"S": "status_change"},
        "version": {"N": "2"},
        "at": {"S": now},
        "from_status": {"S": "awaiting_payment"},
        "to_status": {"S": "in_review"},
        "actor_role": {"S": "payment"},
        "actor": {"S": "fawry"},
        "note": {"S": f"سُددت الرسوم عبر فوري، رقم العملية {notice['fawryRefNumber']}"},
    }
    return [
        {"Put": {"TableName": table_name("payments"), "Item": record, **not_there("key")}},
        {"Put": {"TableName": table_name("requests"), "Item": moved, "ConditionExpression": "#v = :v",
                 "ExpressionAttributeNames": {"#v": "version"}, "ExpressionAttributeValues": {":v": {"N": "1"}}}},
        {"Put": {"TableName": table_name("requests"), "Item": history, **not_there("tracking_number")}},
        {"Put": {"TableName": table_name("outbox"), "Item": outbox_item(tracking_number, "000002#paid", now, {}),
                 **not_there("key")}},
    ]  # fmt: skip


# The intents a fee-bearing submission and its payment write (chalicelib/services/notifications.py).
OUTBOX_SUFFIXES = ("000001#submitted", "000001#awaiting_payment", "000001#payment_reminder", "000002#paid")


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


def outbox_item(tracking_number: str, suffix: str, at: str, values: dict[str, Any]) -> dict[str, Any]:
    """An intent as the project writes it, by hand."""
    key = f"{tracking_number}#{suffix}"
    return {
        "key": {"S": key},
        "tracking_number": {"S": tracking_number},
        "event": {"S": suffix.split("#")[1]},
        "values": dynamodb_json(values),
        "status": {"S": "pending"},
        "due_at": {"S": at},
        "attempts": {"N": "0"},
        "created_at": {"S": at},
        "due_queue": {"S": "pending"},
        "due_order": {"S": f"{at}#{key}"},
        "expires_at": {"N": str(int(datetime.now(UTC).timestamp()) + 90 * 86400)},
    }


@dataclass
class Rig:
    """The handler's test client, a plain boto3 client, and the seeded requests both query."""

    client: Any
    dynamodb: Any
    submission_body: dict[str, Any]
    last4: str
    seeded: list[str] = field(default_factory=list)

    def post(self, path: str, body: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.http.post(path, body=body, headers={**JSON_HEADERS, **(headers or {})})

    def forget_submission(self, tracking_number: str, key: str) -> None:
        """Deletes a submission's four items, so the tables keep their size from sample to sample."""
        requests_keys = self.dynamodb.query(
            TableName=table_name("requests"),
            KeyConditionExpression="tracking_number = :t",
            ExpressionAttributeValues={":t": {"S": tracking_number}},
            ProjectionExpression="tracking_number, #item",
            ExpressionAttributeNames={"#item": "item"},
        )["Items"]
        unprocessed = self.dynamodb.batch_write_item(
            RequestItems={
                table_name("requests"): [{"DeleteRequest": {"Key": k}} for k in requests_keys],
                table_name("applicants"): [{"DeleteRequest": {"Key": {"tracking_number": {"S": tracking_number}}}}],
                table_name("idempotency"): [{"DeleteRequest": {"Key": {"key": {"S": key}}}}],
                table_name("outbox"): [
                    {"DeleteRequest": {"Key": {"key": {"S": f"{tracking_number}#{version}"}}}}
                    for version in OUTBOX_SUFFIXES
                ],
            }
        )["UnprocessedItems"]
        assert not unprocessed, unprocessed
        drop_stream_records()

    def project_submit(self) -> float:
        key = uuid.uuid4().hex
        body = json.dumps(self.submission_body)
        elapsed, response = timed(lambda: self.post("/v1/requests", body, {"Idempotency-Key": key}))
        assert response.status_code == 201, response.body
        self.forget_submission(response.json_body["tracking_number"], key)
        return elapsed

    def baseline_submit(self) -> float:
        tracking_number, key = random_tracking_number(), uuid.uuid4().hex
        items = baseline_submission_items(tracking_number, key, self.submission_body)
        elapsed, _ = timed(lambda: self.dynamodb.transact_write_items(TransactItems=items))
        self.forget_submission(tracking_number, key)
        return elapsed

    def project_inquiry(self, tracking_number: str) -> float:
        body = json.dumps({"tracking_number": tracking_number, "national_id_last4": self.last4})
        elapsed, response = timed(lambda: self.post("/v1/inquiries", body))
        assert response.status_code == 200, response.body
        return elapsed

    def baseline_inquiry(self, tracking_number: str) -> float:
        def query() -> Any:
            return self.dynamodb.query(
                TableName=table_name("requests"),
                KeyConditionExpression="tracking_number = :t",
                ExpressionAttributeValues={":t": {"S": tracking_number}},
            )

        elapsed, answer = timed(query)
        assert answer["Count"] == 2, answer
        return elapsed

    def forget_notice(self, notice: dict[str, Any]) -> None:
        key = f"notice#fawry#{notice['fawryRefNumber']}#paid"
        self.dynamodb.delete_item(TableName=table_name("payments"), Key={"key": {"S": key}})

    def project_callback(self) -> float:
        """A genuine Fawry notice paying a fresh invoice (filed and cleared away untimed)."""
        key = uuid.uuid4().hex
        filed = self.post("/v1/requests", json.dumps(self.submission_body), {"Idempotency-Key": key}).json_body
        notice = json.dumps(signed_fawry_notice(filed["payment"]["reference"], filed["fee_egp"]))
        elapsed, response = timed(lambda: self.post("/v1/payments/fawry/callback", notice))
        assert response.json_body.get("outcome") == "paid", response.body
        self.forget_submission(filed["tracking_number"], key)
        self.forget_notice(json.loads(notice))
        return elapsed

    def baseline_callback(self) -> float:
        tracking_number, key = random_tracking_number(), uuid.uuid4().hex
        items = baseline_submission_items(tracking_number, key, self.submission_body)
        self.dynamodb.transact_write_items(TransactItems=items)
        notice = signed_fawry_notice(f"{tracking_number}01", 5000)

        def apply() -> Any:
            request = self.dynamodb.get_item(
                TableName=table_name("requests"),
                Key={"tracking_number": {"S": tracking_number}, "item": {"S": "request"}},
                ConsistentRead=True,
            )["Item"]
            return self.dynamodb.transact_write_items(TransactItems=baseline_payment_items(request, notice))

        elapsed, _ = timed(apply)
        self.forget_submission(tracking_number, key)
        self.forget_notice(notice)
        return elapsed

    def office_queue_page(self) -> None:
        """One page of the district's queue, as an officer of that district asks for it."""
        from chalicelib.domain.staff import Role
        from tools.staff_token import local_signing_key, mint_token

        token = mint_token(local_signing_key(), Role.OFFICER, self.submission_body["district_code"])
        response = self.client.http.get(
            "/v1/office/requests?status=awaiting_payment&page_size=10", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.body
        assert len(response.json_body["requests"]) == 10, response.body

    def check_table_sizes(self) -> None:
        """Fails unless the tables hold exactly the seeded submissions: the figures are only
        comparable if every sample ran against tables of that one size."""
        expected = {
            "requests": 2 * len(self.seeded),
            "applicants": len(self.seeded),
            "idempotency": len(self.seeded),
            "payments": 0,
            "outbox": 3 * len(self.seeded),
        }
        for table, count in expected.items():
            held = self.dynamodb.describe_table(TableName=table_name(table))["Table"]["ItemCount"]
            assert held == count, f"{table_name(table)} holds {held} items, expected {count}"

    def seed(self, count: int) -> None:
        """Fills the tables with `count` submissions, so inquiries have something to find and
        every sample sees tables of the same, small, realistic size."""
        for _ in range(count):
            response = self.post(
                "/v1/requests", json.dumps(self.submission_body), {"Idempotency-Key": uuid.uuid4().hex}
            )
            assert response.status_code == 201, response.body
            self.seeded.append(response.json_body["tracking_number"])
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
        tracking_number = rig.seeded[round_number % len(rig.seeded)]
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
    project, baseline = median_ms(pair[0]), median_ms(pair[1])
    return {"p50_ms": round(project, 2), "baseline_p50_ms": round(baseline, 2), "ratio": ratio(project, baseline)}


def dynamodb_calls_of(action: Callable[[], Any]) -> tuple[int, Counter[str]]:
    """How many DynamoDB calls `action` made, and every AWS call it made."""
    from tools.aws_calls import counted_aws_calls

    with counted_aws_calls() as calls:
        action()
    return sum(count for name, count in calls.items() if name.startswith("dynamodb:")), Counter(calls)


def count_calls(rig: Rig) -> tuple[dict[str, int], Counter[str]]:
    """DynamoDB calls of one submission and one inquiry through the handler."""
    key = uuid.uuid4().hex
    body = json.dumps(rig.submission_body)
    submitted: list[Any] = []
    submit, submit_calls = dynamodb_calls_of(
        lambda: submitted.append(rig.post("/v1/requests", body, {"Idempotency-Key": key}))
    )
    assert submitted[0].status_code == 201, submitted[0].body
    tracking_number = submitted[0].json_body["tracking_number"]
    inquiry, inquiry_calls = dynamodb_calls_of(lambda: rig.project_inquiry(tracking_number))
    notice = signed_fawry_notice(submitted[0].json_body["payment"]["reference"], submitted[0].json_body["fee_egp"])
    callback, callback_calls = dynamodb_calls_of(lambda: rig.post("/v1/payments/fawry/callback", json.dumps(notice)))
    rig.forget_submission(tracking_number, key)
    rig.forget_notice(notice)
    queue_page, queue_calls = dynamodb_calls_of(lambda: rig.office_queue_page())
    counts = {"submit": submit, "inquiry": inquiry, "callback": callback, "office_queue_page": queue_page}
    return counts, submit_calls + inquiry_calls + callback_calls + queue_calls


def measure_requests() -> tuple[dict[str, Any], dict[str, Any]]:
    """The latency and dynamodb_calls sections, from one moto and one set of tables."""
    use_local_stage_env()
    import boto3
    from chalice.test import Client
    from moto import mock_aws

    from app import app
    from bench.performance import performance_page_calls
    from tests.factories import national_id, submission
    from tools.aws_calls import counted_aws_calls
    from tools.resources import deploy_resources

    with mock_aws(), Client(app, stage_name=STAGE) as client, stdout_to_devnull():
        deploy_resources(boto3.client("cloudformation", region_name=REGION), STAGE)
        rig = Rig(client, boto3.client("dynamodb", region_name=REGION), submission(), national_id()[-4:])
        # The baseline and the clean-up never scan, so every Scan counted is the handler's.
        with counted_aws_calls() as setup_calls:
            rig.seed(SEEDED_REQUESTS)
            sample_latency(rig, WARMUP_ROUNDS)  # first calls build botocore clients and fill caches
        counts, counted_calls = count_calls(rig)
        counts["performance_page"] = performance_page_calls(client)  # bench/performance.py
        gc.collect()
        with counted_aws_calls() as sampled_calls:
            samples = sample_latency(rig, LATENCY_SAMPLES)
        rig.check_table_sizes()
    latency = {
        "submit": latency_figures(samples.submit),
        "inquiry": latency_figures(samples.inquiry),
        "callback": latency_figures(samples.callback),
    }
    dynamodb_calls = {
        **counts,
        "scans": sum(calls["dynamodb:Scan"] for calls in (setup_calls, counted_calls, sampled_calls)),
    }
    return latency, dynamodb_calls


# ---------------------------------------------------------------------------------------
# Portal

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


# ---------------------------------------------------------------------------------------
# Results


def write_results(results: dict[str, Any]) -> None:
    RESULTS_PATH.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def verdict(value: float, target: float) -> str:
    return "ok" if value <= target else "MISS"


def print_table(results: dict[str, Any]) -> None:
    cold, latency, calls = results["cold_start"], results["latency"], results["dynamodb_calls"]
    rows = [
        ("cold start, ms", cold["app_ms"], cold["boto3_ms"], cold["ratio"], TARGETS["cold_start"]),
        *(
            (
                f"{route} p50, ms",
                latency[route]["p50_ms"],
                latency[route]["baseline_p50_ms"],
                latency[route]["ratio"],
                TARGETS[route],
            )
            for route in ("submit", "inquiry", "callback")
        ),
    ]
    print(f"{'':18}{'shobbak':>10}{'baseline':>10}{'ratio':>8}{'target':>9}")
    for name, project, baseline, figure, target in rows:
        print(f"{name:18}{project:>10.2f}{baseline:>10.2f}{figure:>8.3f}{f'≤ {target}':>9}  {verdict(figure, target)}")
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
    cold_start = measure_cold_start()
    latency, dynamodb_calls = measure_requests()
    results = {
        "cold_start": cold_start,
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
