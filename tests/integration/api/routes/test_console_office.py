"""The back office in the console (issue 21, sections 3 to 5): queues, the blind request view and
its moves, through Chalice's test client, signed in through the staff pool made in moto."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.staff import Role
from chalicelib.services.submission import ONLINE, submit_request
from tests.conftest import TEST_REGION
from tests.factories import submission
from tests.integration.api.calls import post_json
from tests.integration.api.routes.test_console import Browser
from tools.local.staff_pool import create_account, create_pool, local_pool_environment, local_staff_password
from tools.testing.aws_calls import counted_aws_calls
from tools.testing.synthetic import applicant

FREE_AND_FAST = "demolition_licence"
ACCOUNTS = {
    "officer.dokki@staff.shobbak.local": (Role.OFFICER, "dokki"),
    "manager.dokki@staff.shobbak.local": (Role.MANAGER, "dokki"),
    "officer.warraq@staff.shobbak.local": (Role.OFFICER, "warraq"),
    "hq@staff.shobbak.local": (Role.HQ, None),
}


@pytest.fixture
def secrets(aws: None, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in local_pool_environment().items():
        monkeypatch.setenv(name, value)
    cognito = boto3.client("cognito-idp", region_name=TEST_REGION)
    local = create_pool(cognito)
    return {
        email: create_account(cognito, local, email, role, district, local_staff_password())
        for email, (role, district) in ACCOUNTS.items()
    }


@pytest.fixture
def signed_in(client: Client, secrets: dict[str, str]):  # type: ignore[no-untyped-def]
    def as_(email: str) -> Browser:
        browser = Browser(client)
        assert browser.sign_in(email, secrets[email]).status_code == 303
        return browser

    return as_


def file(client: Client, service_code: str = FREE_AND_FAST, district_code: str = "dokki") -> str:
    return post_json(client, "/v1/requests", submission(service_code, district_code)).json_body["tracking_number"]


def _data_calls(calls: dict[str, int]) -> int:
    """DynamoDB calls but the session's own (console-sessions: one read, one touch)."""
    return sum(count for name, count in calls.items() if name.startswith("dynamodb:"))


def _session_calls(browser: Browser) -> int:
    with counted_aws_calls() as calls:
        browser.get("/v1/console/")
    return _data_calls(calls)


def test_a_queue_page_lists_the_most_urgent_first_with_days_left_in_one_query(signed_in, client: Client) -> None:
    late = submit_request(submission(FREE_AND_FAST), None, ONLINE, datetime(2026, 3, 1, 9, tzinfo=UTC))
    on_time = file(client)
    officer = signed_in("officer.dokki@staff.shobbak.local")
    session_only = _session_calls(officer)

    with counted_aws_calls() as calls:
        answer = officer.get("/v1/console/queue?status=submitted")
    page = answer.body.decode()

    assert answer.status_code == 200
    assert _data_calls(calls) - session_only == 1
    assert calls["dynamodb:Query"] >= 1
    assert page.index(late.tracking_number) < page.index(on_time)
    assert "due-overdue" in page
    assert "متأخر" in page  # the text, not the colour alone
    assert "due-on_time" in page or "due-soon" in page
    assert re.search(r"\d{4} \d{3} \d{3} \d{3}", page)  # grouped
    assert "هدم" in page or "رخصة" in page  # the service's Arabic name
    assert '<form class="filters" method="get"' in page
    assert "<script>" not in page
    assert "style=" not in page


def test_queue_pages_follow_each_other_with_the_filters_in_the_url(signed_in, client: Client) -> None:
    filed = {file(client) for _ in range(3)}
    officer = signed_in("officer.dokki@staff.shobbak.local")

    first = officer.get("/v1/console/queue?status=submitted&page_size=2").body.decode()
    next_link = re.search(r'href="(/v1/console/queue\?[^"]+cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    assert "status=submitted" in next_link
    second = officer.get(next_link).body.decode()

    seen = {number for number in filed if number in first or number in second}
    assert seen == filed


def test_the_request_view_is_blind_and_reads_in_two_calls(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in("officer.dokki@staff.shobbak.local")
    session_only = _session_calls(officer)

    with counted_aws_calls() as calls:
        answer = officer.get(f"/v1/console/requests/{tracking_number}")
    page = answer.body.decode()

    assert answer.status_code == 200
    assert _data_calls(calls) - session_only <= 2
    who = applicant()
    for value in (who["full_name"], who["national_id"], who["phone"], who["phone"][1:]):
        assert value not in page
    assert 'name="version" value="1"' in page
    assert 'type="hidden" name="version"' in page
    assert "قيد الفحص" in page  # a move allowed from here
    assert len(gzip.compress(answer.body)) <= 14 * 1024


def test_the_request_view_shows_every_moment_in_cairo_time_with_western_digits(
    signed_in, client: Client, staff
) -> None:
    tracking_number = file(client)
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "in_review", "note": "فحص", "version": 1}, staff("officer", "dokki"))  # fmt: skip
    seen = client.http.get(f"/v1/office/requests/{tracking_number}", headers=staff("officer", "dokki")).json_body
    moments = [seen["submitted_at"], *(entry["at"] for entry in seen["history"])]

    page = signed_in("officer.dokki@staff.shobbak.local").get(f"/v1/console/requests/{tracking_number}").body.decode()

    for moment in moments:
        utc = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        assert utc.astimezone(ZoneInfo("Africa/Cairo")).strftime("%Y-%m-%d %H:%M") in page
        assert utc.strftime("%H:%MZ") not in page
        assert moment not in page
    assert not re.search("[\u0660-\u0669\u06f0-\u06f9]", page)  # Western digits only


def test_an_officer_moves_a_request_with_a_note(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in("officer.dokki@staff.shobbak.local")
    officer.get(f"/v1/console/requests/{tracking_number}")

    moved = officer.post(
        f"/v1/console/requests/{tracking_number}/move", {"to": "in_review", "note": "بدء الفحص", "version": "1"}
    )

    assert moved.status_code == 200
    page = moved.body.decode()
    assert "نُقل الطلب" in page
    assert "بدء الفحص" in page  # on the timeline
    assert 'name="version" value="2"' in page


def test_someone_else_s_move_first_is_a_409_explained_with_the_note_kept(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in("officer.dokki@staff.shobbak.local")
    manager = signed_in("manager.dokki@staff.shobbak.local")
    officer.get(f"/v1/console/requests/{tracking_number}")
    manager.get(f"/v1/console/requests/{tracking_number}")
    manager.post(f"/v1/console/requests/{tracking_number}/move", {"to": "in_review", "note": "أولاً", "version": "1"})

    late = officer.post(
        f"/v1/console/requests/{tracking_number}/move",
        {"to": "in_review", "note": "ملاحظة كتبتها بعناية", "version": "1"},
    )

    page = late.body.decode()
    assert late.status_code == 409
    assert "سبقك أحد إلى تغيير هذا الطلب" in page
    assert "ملاحظة كتبتها بعناية</textarea>" in page
    assert 'name="version" value="2"' in page  # the reload carries the version as it now stands
    assert f'href="/v1/console/requests/{tracking_number}"' in page


def test_needs_info_names_the_documents_checked(signed_in, client: Client, staff) -> None:
    tracking_number = file(client)
    post_json(client, f"/v1/office/requests/{tracking_number}/transitions",
              {"to": "in_review", "note": "فحص", "version": 1}, staff("officer", "dokki"))  # fmt: skip
    officer = signed_in("officer.dokki@staff.shobbak.local")
    page = officer.get(f"/v1/console/requests/{tracking_number}").body.decode()
    codes = re.findall(r'name="missing" value="([^"]+)"', page)
    assert codes

    moved = officer.post(
        f"/v1/console/requests/{tracking_number}/move",
        {"to": "needs_info", "note": "ناقص", "version": "2", "missing": codes[0]},
    )

    assert moved.status_code == 200
    assert "المستندات الناقصة" in moved.body.decode()


def test_another_district_s_request_answers_as_if_it_did_not_exist(signed_in, client: Client) -> None:
    tracking_number = file(client, district_code="dokki")
    stranger = signed_in("officer.warraq@staff.shobbak.local")

    seen = stranger.get(f"/v1/console/requests/{tracking_number}")
    nothing = stranger.get("/v1/console/requests/1234567890123")
    moved = stranger.post(
        f"/v1/console/requests/{tracking_number}/move", {"to": "in_review", "note": "x", "version": "1"}
    )

    assert seen.status_code == nothing.status_code == moved.status_code == 404
    assert seen.body.decode().replace(tracking_number, "") == nothing.body.decode().replace("1234567890123", "")
    assert tracking_number not in stranger.get("/v1/console/queue?status=submitted").body.decode()


def test_headquarters_chooses_the_district_of_a_queue(signed_in, client: Client) -> None:
    tracking_number = file(client, district_code="warraq")
    hq = signed_in("hq@staff.shobbak.local")

    page = hq.get("/v1/console/queue?status=submitted&district=warraq").body.decode()

    assert tracking_number in page
    assert 'name="district"' in page


def test_a_move_without_the_csrf_token_changes_nothing(signed_in, client: Client) -> None:
    tracking_number = file(client)
    officer = signed_in("officer.dokki@staff.shobbak.local")

    forged = officer.post(
        f"/v1/console/requests/{tracking_number}/move", {"to": "in_review", "note": "x", "version": "1"}, csrf=""
    )

    assert forged.status_code == 403
    assert 'name="version" value="1"' in officer.get(f"/v1/console/requests/{tracking_number}").body.decode()
