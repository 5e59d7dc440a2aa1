"""GET /v1/office/performance and its overdue list: who may ask, what they get, what it costs."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.services.figures import keep_figures, recount_overdue
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import CATALOGUE_DAY, national_id, submission
from tests.integration.api.conftest import StaffHeaders
from tools.local.figures_feeder import stream_changes
from tools.local.requests_stream import RequestsStream
from tools.testing.aws_calls import counted_aws_calls

ACTIVE = ("dokki", "omraniya", "warraq")
QUICKEST = min(load_catalogue(1).services(on=CATALOGUE_DAY), key=lambda service: service.sla_days)

_PHONES = itertools.count(1)


def submission_by_someone(service_code: str, district_code: str) -> dict[str, Any]:
    """A submission from its own phone: online submissions are limited per phone and day."""
    body = submission(service_code, district_code)
    body["applicant"] = {**body["applicant"], "phone": f"0101{next(_PHONES):07d}"}
    return body


def performance(client: Client, headers: dict[str, str], query: str = "") -> object:
    return client.http.get(f"/v1/office/performance{query}", headers=headers)


def overdue(client: Client, headers: dict[str, str], query: str = "") -> object:
    return client.http.get(f"/v1/office/performance/overdue{query}", headers=headers)


@pytest.fixture
def history(client: Client) -> list[str]:
    """Five overdue requests in Dokki (due long ago), one fresh one in Dokki, one in Warraq;
    the stream fed into the figures and the overdue ones recounted."""
    stream = RequestsStream()
    now = datetime.now(UTC)
    late = [
        submit_request(
            submission_by_someone(QUICKEST.code, "dokki"), None, ONLINE, now - timedelta(days=30 + days)
        ).tracking_number
        for days in range(5)
    ]
    submit_request(submission_by_someone(QUICKEST.code, "dokki"), None, ONLINE, now)
    submit_request(submission_by_someone(QUICKEST.code, "warraq"), None, ONLINE, now)
    keep_figures(stream_changes(stream.read()))
    recount_overdue(now)
    return late


@pytest.mark.parametrize("role", ["clerk", "officer"])
def test_clerks_and_officers_are_refused(client: Client, staff: StaffHeaders, role: str) -> None:
    for answer in (performance(client, staff(role, "dokki")), overdue(client, staff(role, "dokki"))):
        assert answer.status_code == 403
        assert answer.json_body["error"]["code"] == "forbidden"


def test_without_a_token_nothing_is_answered(client: Client) -> None:
    assert performance(client, {}).status_code == 401


def test_a_manager_sees_their_own_district_only(client: Client, staff: StaffHeaders, history: list[str]) -> None:
    manager = staff("manager", "dokki")

    own = performance(client, manager)
    named = performance(client, manager, "?district=dokki")
    other = performance(client, manager, "?district=warraq")

    assert own.status_code == 200
    assert [district["code"] for district in own.json_body["districts"]] == ["dokki"]
    assert named.json_body["districts"] == own.json_body["districts"]
    assert other.status_code == 403


def test_headquarters_sees_every_active_district_or_one(
    client: Client, staff: StaffHeaders, history: list[str]
) -> None:
    hq = staff("hq")
    first = (cairo_today(datetime.now(UTC)) - timedelta(days=60)).isoformat()

    everything = performance(client, hq, f"?from={first}").json_body
    warraq = performance(client, hq, f"?district=warraq&from={first}").json_body

    assert [district["code"] for district in everything["districts"]] == list(ACTIVE)
    dokki = everything["districts"][0]
    assert (dokki["received"], dokki["open"], dokki["overdue"], dokki["completed"]) == (6, 6, 5, 0)
    assert dokki["on_time_rate"] is None
    assert dokki["median_working_days"] is None
    assert dokki["by_service"][0]["code"] == QUICKEST.code
    assert dokki["by_department"][0]["code"] == QUICKEST.department
    assert [district["code"] for district in warraq["districts"]] == ["warraq"]
    assert warraq["districts"][0]["received"] == 1
    assert set(everything) == {"from", "to", "generated_at", "districts"}


def test_each_district_costs_one_query_and_nothing_scans(
    client: Client, staff: StaffHeaders, history: list[str]
) -> None:
    with counted_aws_calls() as calls:
        answer = performance(client, staff("hq"))
    assert answer.status_code == 200
    dynamodb = {name: count for name, count in calls.items() if name.startswith("dynamodb:")}
    assert dynamodb == {"dynamodb:Query": len(ACTIVE)}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?from=2026-13-01", "from"),
        ("?from=yesterday", "from"),
        ("?to=2026-02-30", "to"),
        ("?from=2026-11-20&to=2026-11-01", "from"),
        ("?from=2024-01-01&to=2026-01-01", "to"),
        ("?district=atlantis", "district"),
    ],
)
def test_bad_questions_get_a_clear_400_in_arabic_and_english(
    client: Client, staff: StaffHeaders, query: str, field: str
) -> None:
    answer = performance(client, staff("hq"), query)
    assert answer.status_code == 400
    error = answer.json_body["error"]
    assert error["message_ar"]
    assert error["message_en"]
    assert field in error["fields"]


def test_arabic_indic_digits_in_dates_are_understood(client: Client, staff: StaffHeaders) -> None:
    answer = performance(client, staff("hq"), "?from=٢٠٢٦-١١-٠١&to=٢٠٢٦-١١-١٥")
    assert answer.status_code == 200
    assert (answer.json_body["from"], answer.json_body["to"]) == ("2026-11-01", "2026-11-15")


def test_the_overdue_list_pages_through_every_late_request_and_names_nobody(
    client: Client, staff: StaffHeaders, history: list[str]
) -> None:
    manager = staff("manager", "dokki")
    seen: list[dict] = []
    bodies: list[str] = []
    query = "?page_size=2"
    while True:
        answer = overdue(client, manager, query)
        assert answer.status_code == 200
        bodies.append(answer.body.decode())
        seen += answer.json_body["requests"]
        if not answer.json_body["next_cursor"]:
            break
        query = f"?page_size=2&cursor={answer.json_body['next_cursor']}"

    assert sorted(entry["tracking_number"] for entry in seen) == sorted(history)
    assert [entry["days_overdue"] for entry in seen] == sorted((entry["days_overdue"] for entry in seen), reverse=True)
    assert all(entry["days_overdue"] > 0 for entry in seen)
    assert {entry["service_code"] for entry in seen} == {QUICKEST.code}
    assert {entry["status"] for entry in seen} == {"awaiting_payment" if QUICKEST.fee_egp else "submitted"}
    for body in bodies:
        for secret in ("منى أحمد عبد الله", national_id(), "1012345678", "full_name", "phone", "national_id"):
            assert secret not in body


def test_the_overdue_list_is_the_district_s_own(client: Client, staff: StaffHeaders, history: list[str]) -> None:
    assert overdue(client, staff("manager", "warraq"), "?district=dokki").status_code == 403
    assert overdue(client, staff("manager", "warraq")).json_body["requests"] == []
    assert overdue(client, staff("hq")).status_code == 400  # headquarters names the district
    assert len(overdue(client, staff("hq"), "?district=dokki").json_body["requests"]) == 5


@pytest.mark.parametrize(("query", "field"), [("?cursor=not-a-cursor", "cursor"), ("?page_size=0", "page_size")])
def test_a_bad_overdue_page_gets_a_400(client: Client, staff: StaffHeaders, query: str, field: str) -> None:
    answer = overdue(client, staff("manager", "dokki"), query)
    assert answer.status_code == 400
    assert field in json.loads(answer.body)["error"]["fields"]
