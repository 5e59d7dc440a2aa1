"""`make demo` (tools/local/demo.py): its plans and its clock without AWS, then the demo itself against the
AWS emulation, in its short mode (`make demo SHORT=1`), played by several workers and by one: the same
history either way, and a second run adds nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import PROJECT
from tests.integration.tools.local.conftest import dashboard_data, reset
from tools.local.demo import HISTORY_DAYS, SHORT_REQUESTS, make_plans, start_of_today
from tools.local.resources import deploy_resources

Client = Callable[[str], Any]
DEMO_REQUESTS = SHORT_REQUESTS


@pytest.mark.parametrize(
    ("moment", "midnight_in_cairo"),
    [
        ("2026-11-30T10:15:00+00:00", "2026-11-29T22:00:00+00:00"),  # winter: UTC+2
        ("2026-11-29T22:30:00+00:00", "2026-11-29T22:00:00+00:00"),  # already the 30th in Cairo
        ("2026-11-29T21:59:00+00:00", "2026-11-28T22:00:00+00:00"),
        ("2026-07-01T21:30:00+00:00", "2026-07-01T21:00:00+00:00"),  # summer time: UTC+3
    ],
)
def test_the_clock_stops_at_the_start_of_the_cairo_day(moment: str, midnight_in_cairo: str) -> None:
    assert start_of_today(datetime.fromisoformat(moment)) == datetime.fromisoformat(midnight_in_cairo)


def test_each_plan_is_its_own_draw_and_happens_in_order() -> None:
    now = start_of_today(datetime(2026, 11, 30, 10, tzinfo=UTC))

    few, more = make_plans(5, now), make_plans(40, now)

    assert few == more[:5]  # a plan does not depend on how many are played
    assert len({plan.key for plan in more}) == 40
    for plan in more:
        assert (now - plan.submitted_at).days <= HISTORY_DAYS
        assert plan.submitted_at < now
        moments = [plan.submitted_at, *(step.at for step in plan.steps)]
        assert moments == sorted(moments), plan.key


def run_demo(emulation_url: str, workers: int) -> str:
    """`make demo SHORT=1`, by `workers` workers."""
    port = emulation_url.rsplit(":", 1)[1]
    finished = subprocess.run(
        [sys.executable, "-m", "tools.local.demo", "--aws-port", port, "--short", "--workers", str(workers)],
        cwd=PROJECT, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    return finished.stdout


def stored_history(emulation: Client) -> dict[str, Any]:
    """What the demo left, by Idempotency-Key (tracking numbers are drawn at random)."""
    dynamodb = emulation("dynamodb")

    def everything(table: str) -> list[dict[str, Any]]:
        return dynamodb.scan(TableName=f"shobbak-local-{table}")["Items"]

    partitions: dict[str, list[dict[str, Any]]] = {}
    for item in everything("requests"):
        partitions.setdefault(item["tracking_number"]["S"], []).append(item)
    history = {}
    for record in everything("idempotency"):
        items = partitions[record["tracking_number"]["S"]]
        (request,) = [item for item in items if item["item"]["S"] == "request"]
        history[record["key"]["S"]] = {
            "status": request["status"]["S"],
            "version": request["version"]["N"],
            "updated_at": request["updated_at"]["S"],
            # version and moment; a message's entry names its outbox key, whose random tracking number is masked
            "entries": sorted(
                item["item"]["S"].replace(record["tracking_number"]["S"], "<tracking>")
                for item in items
                if item["item"]["S"] != "request"
            ),
        }
    return history


@pytest.fixture
def deployed(emulation: Client) -> Client:
    deploy_resources(emulation("cloudformation"), "local", emulation("s3"))
    return emulation


def test_workers_side_by_side_leave_the_history_one_leaves_and_a_second_run_adds_nothing(
    deployed: Client, emulation_url: str
) -> None:
    side_by_side = run_demo(emulation_url, workers=3)
    again = run_demo(emulation_url, workers=3)
    history = stored_history(deployed)
    waiting = deployed("dynamodb").scan(
        TableName="shobbak-local-outbox",
        FilterExpression="attribute_exists(due_queue) AND due_order <= :now",
        ExpressionAttributeValues={":now": {"S": f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#~"}},
    )["Items"]
    sms = dashboard_data(emulation_url)["sns"]["SMS"]
    reset(emulation_url)
    deploy_resources(deployed("cloudformation"), "local", deployed("s3"))

    run_demo(emulation_url, workers=1)

    assert f"submitted {DEMO_REQUESTS}" in side_by_side
    assert "nothing new" in again
    assert "messages: " in side_by_side
    assert "messages: " not in again
    assert sms  # what the history told the citizens: sent, none left waiting that is due
    assert waiting == []
    assert len(history) == DEMO_REQUESTS
    assert any(request["status"] == "closed" for request in history.values())
    assert stored_history(deployed) == history
