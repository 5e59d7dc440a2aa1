"""What every part of the benchmark shares: the local stage's environment, the statistics, and
a record of the DynamoDB calls a block of code makes (so that a baseline can send the same)."""

from __future__ import annotations

import copy
import json
import math
import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
STAGE = "local"
REGION = "eu-central-1"

# One DynamoDB call as botocore is asked to make it: (operation name, parameters).
Call = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Rounds:
    """How many samples each part of the bench takes."""

    # A cold start swings by a third from one fresh interpreter to the next on a shared machine: with
    # 15 runs, the median ratio of one route moved between 1.02 and 1.42 from one `make bench` to the next.
    cold_start_runs: int = 25
    cold_start_unmeasured_first: bool = True  # each kind of child once before: byte-code written, file cache warm
    memory_runs: int = 5
    seeded_requests: int = 20  # per moto: at least a queue page (10) awaiting payment
    warmup_rounds: int = 10
    latency_samples: int = 100
    portal_builds: int = 5


# `make bench SHORT=1`: every part run once or a few times, to show it still runs (its figures mean little).
SHORT_ROUNDS = Rounds(
    cold_start_runs=1,
    cold_start_unmeasured_first=False,
    memory_runs=1,
    seeded_requests=12,
    warmup_rounds=1,
    latency_samples=3,
    portal_builds=1,
)


def table_name(table: str) -> str:
    """The physical name infra/resources.yaml gives a table in the local stage."""
    return f"shobbak-{STAGE}-{table}"


def local_stage_env(endpoint_url: str | None = None) -> dict[str, str]:
    """The environment a handler of the local stage sees: .chalice/config.json's variables,
    dummy credentials, and no AWS_* of the developer's; the moto server's URL when given."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(config.get("environment_variables", {}))
    env.update(config["stages"][STAGE].get("environment_variables", {}))
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION=REGION)  # noqa: S106
    # The bench files thousands of requests for the factories' one phone: past the daily limit per
    # phone (issue 10). The limit's counter is written in each submission's transaction either way.
    env["ONLINE_SUBMISSIONS_PER_PHONE_PER_DAY"] = "1000000000"
    if endpoint_url:
        env["AWS_ENDPOINT_URL"] = endpoint_url
    return env


def use_env(env: dict[str, str]) -> None:
    """Puts this process in `env`, as tests/conftest.py does for the tests."""
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


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    """The nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ratio(project: float, baseline: float) -> float:
    return round(project / baseline, 3)


@contextmanager
def recorded_dynamodb_calls() -> Iterator[list[Call]]:
    """Yields a list that fills with a copy of every DynamoDB call made in the block, exactly as
    PynamoDB hands it to botocore: the items its models serialized, conditions and all."""
    from botocore.client import BaseClient

    calls: list[Call] = []
    make_api_call = BaseClient._make_api_call

    def recording(client: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            calls.append((operation_name, copy.deepcopy(api_params)))
        return make_api_call(client, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield calls


def substituted(value: Any, replacements: dict[str, str]) -> Any:
    """`value` (calls, an event: anything JSON) with every occurrence of each key replaced.

    Replacements keep each string's length, so that the items stay the size they were.
    """
    text = json.dumps(value, ensure_ascii=False)
    for old, new in replacements.items():
        assert len(old) == len(new), (old, new)
        text = text.replace(old, new)
    return json.loads(text)
