"""The kept district figures against a brute-force recount from the raw items.

Hypothesis draws a history (submissions, payments and moves through the real services, on a
simulated clock over the past weeks), the requests table's stream is fed to the figures'
handler in randomly cut batches, some delivered twice, and the daily recount runs. Then every
figure the office API reports is recomputed from the raw request and history items, by means
that share nothing with the code under test, and must be the same.
"""

from __future__ import annotations

import itertools
import random
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.api.http.figures_views import report_view
from chalicelib.domain.calendar import CAIRO, is_working_day
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.figures import OverdueRecount
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.domain.statuses import ALLOWED_MOVES, Status
from chalicelib.services.figures import figures_report, keep_figures, recount_overdue
from chalicelib.services.office_moves import move_request
from chalicelib.services.payment_notices import handle_fawry_notice
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.requests.request import load_request_record
from tests.conftest import TEST_REGION, MotoStack
from tests.factories import CATALOGUE_DAY, hand_in_paper, submission
from tests.integration.api.gateway_notices import fawry_notice
from tools.local.figures_feeder import stream_changes
from tools.local.requests_stream import RequestsStream

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
HISTORY_STARTS = NOW - timedelta(days=45)
DISTRICTS = ("dokki", "omraniya")
SERVICES = tuple(sorted(s.code for s in load_catalogue(1).services(on=CATALOGUE_DAY)))
HQ = StaffMember("hq-1", Role.HQ, None)
REQUESTS_TABLE = "shobbak-local-requests"

_PHONES = itertools.count(1)


def submission_by_someone(service_code: str, district_code: str) -> dict[str, Any]:
    """A submission from its own phone: online submissions are limited per phone and day."""
    body = submission(service_code, district_code)
    body["applicant"] = {**body["applicant"], "phone": f"0101{next(_PHONES):07d}"}
    return body


@dataclass(frozen=True)
class Step:
    kind: str  # submit, pay or move
    district: int
    service: int
    pick: int  # which request, which target
    hours_later: int


steps = st.lists(
    st.builds(
        Step,
        kind=st.sampled_from(("submit", "submit", "pay", "move", "move", "move")),
        district=st.integers(0, len(DISTRICTS) - 1),
        service=st.integers(0, len(SERVICES) - 1),
        pick=st.integers(0, 1000),
        hours_later=st.integers(0, 60),
    ),
    min_size=5,
    max_size=40,
)


@pytest.fixture
def fresh_aws(moto_stack: MotoStack) -> Iterator[None]:
    """The stack as just deployed, again for each example (Hypothesis runs many in one test)."""
    started: list[MotoStack] = []

    def new() -> None:
        if started:
            started.pop().stop()
        moto_stack.start()
        started.append(moto_stack)

    yield new  # type: ignore[misc]
    if started:
        started.pop().stop()


def play(history: list[Step]) -> None:
    """Runs the history through the services, the clock moving forward from HISTORY_STARTS."""
    clock = HISTORY_STARTS
    tracking_numbers: list[str] = []
    for step in history:
        clock = min(clock + timedelta(hours=step.hours_later), NOW - timedelta(minutes=1))
        if step.kind == "submit" or not tracking_numbers:
            body = submission_by_someone(SERVICES[step.service], DISTRICTS[step.district])
            tracking_numbers.append(submit_request(body, None, ONLINE, clock).tracking_number)
            continue
        request = load_request_record(tracking_numbers[step.pick % len(tracking_numbers)])
        assert request is not None
        status = Status(request.status)
        if step.kind == "pay" and status is Status.AWAITING_PAYMENT and request.payment:
            handle_fawry_notice(fawry_notice(request.payment.reference, request.payment.amount_egp), clock)
        elif step.kind == "move":
            targets = sorted(
                ALLOWED_MOVES[status] - {Status.IN_REVIEW}
                if status is Status.AWAITING_PAYMENT
                else ALLOWED_MOVES[status]
            )
            if targets:
                manager = StaffMember("manager-1", Role.MANAGER, request.district_code)
                target = targets[step.pick % len(targets)]
                version = request.version
                if target is Status.APPROVED:
                    version = hand_in_paper(request.tracking_number, clock)
                body = {"to": target.value, "version": version, "note": "خطوة", "message_to_citizen": "رسالة"}
                move_request(manager, request.tracking_number, body, clock)


def feed(records: list[dict[str, Any]], rng: random.Random) -> None:
    """The stream in batches cut at random, about a third of them delivered twice."""
    position = 0
    while position < len(records):
        size = rng.randint(1, 8)
        batch = records[position : position + size]
        keep_figures(stream_changes(batch))
        if rng.random() < 0.35:
            keep_figures(stream_changes(batch))
        position += size


# ---- the brute force: raw items, and nothing from the code under test but the calendar ----


def raw_items() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every request item and history entry, read with a scan (a test may scan)."""
    scan = boto3.client("dynamodb", region_name=TEST_REGION).get_paginator("scan")
    requests, history = [], []
    for page in scan.paginate(TableName=REQUESTS_TABLE):
        for item in page["Items"]:
            (requests if item["item"]["S"] == "request" else history).append(item)
    return requests, history


def cairo_day(text: str) -> date:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(CAIRO).date()


def took(submitted: date, closed: date, holidays: frozenset[date]) -> int:
    """The working days after the day of submission, up to and including the day of closing
    (a request closed on a Friday took no working day for it)."""
    days = (submitted + timedelta(days=n) for n in range(1, (closed - submitted).days + 1))
    return sum(1 for day in days if is_working_day(day, holidays))


def brute_force(first: date, last: date, today: date) -> dict[tuple[str, str, str], dict[str, Any]]:
    """Figures per (district, "service" | "department" | "all", code) from the raw items."""
    holidays = load_catalogue(1).holidays()
    requests, history = raw_items()
    closed_at = {
        entry["tracking_number"]["S"]: entry["at"]["S"]
        for entry in history
        if entry.get("to_status", {}).get("S") == "closed" and entry.get("event", {}).get("S") == "status_change"
    }
    tallies: dict[tuple[str, str, str], dict[str, Any]] = {}
    for item in requests:
        district, service, department = item["district_code"]["S"], item["service_code"]["S"], item["department"]["S"]
        due = date.fromisoformat(item["sla_due_date"]["S"])
        submitted = cairo_day(item["submitted_at"]["S"])
        status = item["status"]["S"]
        for key in ((district, "service", service), (district, "department", department), (district, "all", "")):
            tally = tallies.setdefault(
                key, {"received": 0, "completed": 0, "on_time": 0, "days": [], "open": 0, "overdue": 0}
            )
            tally["received"] += first <= submitted <= last
            if status not in ("closed", "cancelled"):
                tally["open"] += 1
                tally["overdue"] += due < today
            if status == "closed":
                closed = cairo_day(closed_at[item["tracking_number"]["S"]])
                if first <= closed <= last:
                    tally["completed"] += 1
                    tally["on_time"] += closed <= due
                    tally["days"].append(took(submitted, closed, holidays))
    return tallies


def assert_same(reported: dict[str, Any], expected: dict[str, Any], where: Any) -> None:
    completed = expected["completed"]
    assert reported["received"] == expected["received"], where
    assert reported["completed"] == completed, where
    assert reported["completed_on_time"] == expected["on_time"], where
    assert reported["on_time_rate"] == (None if not completed else round(expected["on_time"] / completed, 4)), where
    assert reported["median_working_days"] == (
        float(statistics.median(expected["days"])) if expected["days"] else None
    ), where
    assert reported["open"] == expected["open"], where
    assert reported["overdue"] == expected["overdue"], where


def check_against_brute_force(first: date, last: date) -> None:
    today = NOW.astimezone(CAIRO).date()
    expected = brute_force(first, last, today)
    report = report_view(figures_report(HQ, {"from": first.isoformat(), "to": last.isoformat()}, NOW))
    empty = {"received": 0, "completed": 0, "on_time": 0, "days": [], "open": 0, "overdue": 0}
    for district in report["districts"]:
        code = district["code"]
        assert_same(district, expected.get((code, "all", ""), empty), code)
        for row in district["by_service"]:
            assert_same(row, expected.get((code, "service", row["code"]), empty), (code, row["code"]))
        for row in district["by_department"]:
            assert_same(row, expected.get((code, "department", row["code"]), empty), (code, row["code"]))
        # Nothing the raw items hold is missing from the report.
        shown = {row["code"] for row in district["by_service"]}
        assert {key[2] for key in expected if key[0] == code and key[1] == "service"} <= shown


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=steps, seed=st.integers(0, 2**32 - 1), window=st.tuples(st.integers(0, 50), st.integers(0, 50)))
def test_the_kept_figures_equal_a_brute_force_recount(
    fresh_aws: Any, history: list[Step], seed: int, window: tuple[int, int]
) -> None:
    fresh_aws()
    play(history)
    feed(RequestsStream().read(), random.Random(seed))
    recount_overdue(NOW)

    today = NOW.astimezone(CAIRO).date()
    check_against_brute_force(today - timedelta(days=60), today)  # the whole history
    start, end = sorted(window)
    check_against_brute_force(today - timedelta(days=end), today - timedelta(days=start))  # a random part of it


def test_replaying_every_batch_twice_changes_nothing(fresh_aws: Any) -> None:
    fresh_aws()
    rng = random.Random(7)
    play([Step(kind, rng.randrange(2), rng.randrange(len(SERVICES)), rng.randrange(1000), rng.randrange(40))
          for kind in ["submit"] * 12 + ["pay", "move"] * 20])  # fmt: skip
    records = RequestsStream().read()
    first_time = keep_figures(stream_changes(records))
    recount_overdue(NOW)
    today = NOW.astimezone(CAIRO).date()
    before = report_view(figures_report(HQ, {"from": (today - timedelta(days=60)).isoformat()}, NOW))

    again = keep_figures(stream_changes(records))
    for cut in range(0, len(records), 5):
        keep_figures(stream_changes(records[cut : cut + 5]))
    after = report_view(figures_report(HQ, {"from": (today - timedelta(days=60)).isoformat()}, NOW))

    assert first_time["applied"] > 0
    assert again["applied"] == 0
    assert again["already_applied"] == first_time["applied"]
    assert after["districts"] == before["districts"]
    check_against_brute_force(today - timedelta(days=60), today)


def test_a_request_closed_after_the_recount_leaves_the_overdue_count(fresh_aws: Any) -> None:
    """The recount counted it overdue in the morning; closing it at noon takes it out at once."""
    fresh_aws()
    stream = RequestsStream()
    quickest = min(load_catalogue(1).services(on=CATALOGUE_DAY), key=lambda service: service.sla_days)
    body = submission_by_someone(quickest.code, "dokki")
    tracking_number = submit_request(body, None, ONLINE, NOW - timedelta(days=40)).tracking_number
    request = load_request_record(tracking_number)
    assert request is not None
    if request.payment:
        handle_fawry_notice(
            fawry_notice(request.payment.reference, request.payment.amount_egp), NOW - timedelta(days=39)
        )
    manager = StaffMember("manager-1", Role.MANAGER, "dokki")
    version = load_request_record(tracking_number).version  # type: ignore[union-attr]
    if not request.payment:
        move_request(
            manager, tracking_number, {"to": "in_review", "version": version, "note": "فحص"}, NOW - timedelta(days=39)
        )
        version += 1
    keep_figures(stream_changes(stream.read()))
    morning = NOW - timedelta(hours=3)
    recount = recount_overdue(morning)
    [counted] = figures_report(HQ, {"district": "dokki"}, NOW).districts

    version = hand_in_paper(tracking_number, NOW)
    for target in ("approved", "ready", "closed"):
        move_request(manager, tracking_number, {"to": target, "version": version, "note": "خطوة"}, NOW)
        version += 1
    keep_figures(stream_changes(stream.read()))
    report = figures_report(HQ, {"district": "dokki"}, NOW)
    [after] = report.districts

    assert recount == OverdueRecount(morning.astimezone(CAIRO).date(), {"dokki": 1, "omraniya": 0, "warraq": 0})
    assert (counted.figures.overdue, counted.overdue_as_of) == (1, recount.day)
    assert (after.code, after.name_en) == ("dokki", "Dokki")
    assert (report.generated_at, report.last) == (NOW, NOW.astimezone(CAIRO).date())
    assert (after.figures.overdue, after.figures.open) == (0, 0)
    assert (after.figures.completed, after.figures.completed_on_time) == (1, 0)
    assert Counter(line.figures.overdue for line in after.by_service) == Counter({0: 1})
    assert [line.name_ar for line in after.by_service] == [quickest.name_ar]
