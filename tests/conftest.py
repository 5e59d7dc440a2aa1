"""Fixtures shared by every test: an AWS that is moto, in this process, with the real tables."""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path

import boto3
import pytest
from hypothesis import HealthCheck, settings
from moto import mock_aws
from moto.core.model_instances import reset_model_data
from moto.core.models import reset_responses_mock, responses_mock

from chalicelib.domain.calendar import CAIRO, cairo_today
from chalicelib.domain.limits import attempts_hour
from tests.botocore_data import share_botocore_data
from tests.faults import FAULTS, DynamoDBFaults
from tests.moto_state import SavedState
from tools.local.api_gateway import install as answer_as_api_gateway
from tools.local.resources import deploy_resources
from tools.local.staff_token import SigningKey, local_signing_key

# The test client's local gateway answers what API Gateway answers itself as infra/api.yaml shapes it.
answer_as_api_gateway()
pytest_plugins = ["tests.iam_enforcement"]  # IAM enforced on every call a function makes (tests/iam_enforcement.py)
# In a pytest-xdist worker, Hypothesis times nothing: how fast it draws inputs and runs an
# example measures how busy the other workers keep the cores, not the code (a health check
# failed for 1.25 s spent drawing 9 national IDs with the second worker busy). Every example
# and assertion runs as before; run serially, the defaults (200 ms deadline, health checks) apply.
if "PYTEST_XDIST_WORKER" in os.environ:
    settings.register_profile("xdist-worker", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("xdist-worker")

TEST_REGION = "eu-central-1"
PROJECT = Path(__file__).resolve().parent.parent
# The longest a test runs whose calls must all count in one window of the real clock: the slowest
# of them took 2 s in CI's runs (its stack already up). A test that starts closer than this to a
# window's end waits for the next window, so this is also the most a run can lose to it (a CI run
# lost 95 s to two minutes).
WINDOWED_TEST_AT_MOST = timedelta(seconds=30)


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may reach AWS, and none may see a developer's own credentials or endpoint."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", TEST_REGION)
    # The local stage's variables, set for the whole test rather than only around each call
    # as Chalice's test client does: threads racing through the client would otherwise see
    # them vanish when another thread's call ends.
    for name, value in local_stage_environment().items():
        monkeypatch.setenv(name, value)


def local_stage_environment() -> dict[str, str]:
    config = json.loads((PROJECT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {**config["environment_variables"], **config["stages"]["local"]["environment_variables"]}


class MotoStack:
    """moto in process holding the stack of infra/resources.yaml for the local stage: deployed
    by the first test that asks for it, put back as deployed before every other (tests/moto_state.py),
    and deployed again only after a test's own `mock_aws()` has reset moto."""

    def __init__(self) -> None:
        share_botocore_data()  # each test's new boto3 session would otherwise parse the models again
        self._mock = mock_aws()
        self._deployed: SavedState | None = None

    def start(self) -> None:
        reset_responses_mock(responses_mock)  # the URLs start() registers, once rather than once per test
        deployed = self._deployed is not None and self._deployed.is_current()
        # A reset after start() would also drop the URLs it registers for `requests` (the browser's
        # presigned POST): the first test of a process then reached the real network.
        self._mock.start(reset=not deployed)
        if deployed:
            self._deployed.restore()
            reset_model_data()
            return
        deploy_resources(
            boto3.client("cloudformation", region_name=TEST_REGION),
            "local",
            boto3.client("s3", region_name=TEST_REGION),
        )
        self._deployed = SavedState()

    def stop(self) -> None:
        self._mock.stop(remove_data=False)  # left for the next test to put back


@pytest.fixture(scope="session")
def moto_stack() -> MotoStack:
    return MotoStack()


@pytest.fixture
def aws(moto_stack: MotoStack) -> Iterator[None]:
    """moto in process, holding the stack of infra/resources.yaml for the local stage, as just deployed."""
    moto_stack.start()
    try:
        yield
    finally:
        moto_stack.stop()


@contextmanager
def one_process_at_a_time(lock_file: Path) -> Iterator[None]:
    """For what every pytest-xdist worker would otherwise do at the same moment on a fresh
    checkout (make the local key pair, package a stage): the first does it, the others wait."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield  # released when the file is closed


@pytest.fixture(scope="session", autouse=True)
def signing_key() -> SigningKey:
    """The local staff pool's signing key. Made for every session, used or not, because making it
    writes the JWKS the local stage trusts (.local/staff-jwks.json): the console's sign-in reads it."""
    with one_process_at_a_time(PROJECT / ".local" / "signing-key.lock"):
        return local_signing_key()


@pytest.fixture
def dynamodb_faults() -> Iterator[DynamoDBFaults]:
    """Faults to inject into DynamoDB's answers (tests/faults.py); none are left after the test."""
    FAULTS.clear()
    try:
        yield FAULTS
    finally:
        FAULTS.clear()


def _now_with_time_to_spare(window_end: Callable[[datetime], datetime]) -> datetime:
    """Now, in a window of the real clock (it ends at `window_end(now)`) long enough for the
    test: when it ends too soon, after waiting for the next one to begin (once a window at most).

    The API reads the real clock, and limits count in its windows, so a test that expects its
    calls to meet a limit must make them inside one window: calls that straddle a window's end
    are rightly two windows' worth (a burst that CI ran, by its timing, across 15:00 UTC had 13
    guesses answered "wrong", ten an hour being the limit)."""
    now = datetime.now(UTC)
    left = window_end(now) - now
    if left < WINDOWED_TEST_AT_MOST:
        time.sleep(left.total_seconds())
        now = datetime.now(UTC)
    return now


@pytest.fixture
def attempts_hour_now() -> str:
    """The label of the UTC hour in which the test's guesses count (domain/limits.py)."""
    return attempts_hour(_now_with_time_to_spare(lambda now: attempts_hour(now).ends_at)).label


@pytest.fixture
def cairo_day_now() -> date:
    """The Cairo day in which the test's submissions and messages count, per phone (domain/limits.py)."""
    now = _now_with_time_to_spare(lambda now: datetime.combine(cairo_today(now) + timedelta(days=1), dt_time(0), CAIRO))
    return cairo_today(now)
