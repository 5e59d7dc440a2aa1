"""The performance screen and the public performance page, in Debian's chromium on the real local
stack after `make demo` (a small one): what they show agrees with the office API, the open
data and each other; axe-core finds nothing; the keyboard reaches everything; screenshots at
360 and 1920 px (the public page also without JavaScript) land in test-artifacts/portal/."""

from __future__ import annotations

import calendar
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from chalicelib.console.figures_views import comparison
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.staff import Role
from chalicelib.domain.tracking import grouped_for_reading
from tests.e2e.browser import (
    assert_accessible,
    assert_fits_width,
    assert_nothing_refused_by_csp,
    new_page,
    screenshot,
)
from tests.e2e.stack import PROJECT, LocalStack
from tools.local.figures_feeder import REFRESH_VARIABLE, read_feed_state
from tools.local.staff_token import local_signing_key, mint_token

pytestmark = pytest.mark.e2e

DEMO_REQUESTS = 40
# The feeder republishes once the stream falls quiet after changes, at most this often: `make run`
# waits a minute (its tables grow); forty requests keep this stack's recounts quick.
REPUBLISH_AT_MOST_EVERY_S = 5
LOCAL_STACK_ENVIRONMENT = {REFRESH_VARIABLE: str(REPUBLISH_AT_MOST_EVERY_S)}
# A stack of the module's own (tests/e2e/conftest.py), with the variable above.
OWN_LOCAL_STACK = "its feeder republishes sooner, and its figures count every request on the stack"
WALL = {"width": 1920, "height": 1080}
PHONE = {"width": 360, "height": 640}
CAUGHT_UP_TIMEOUT_S = 300
OFFICE_API_CALLS_AT_ONCE = 4


def run_demo(stack: LocalStack) -> str:
    """`make demo` for DEMO_REQUESTS requests, played in its own process: the demo's workers side by
    side are tests/integration/tools/local/test_demo.py's, and four processes importing the services
    for forty requests cost more CPU than the requests."""
    aws_port = stack.aws_url.rsplit(":", 1)[1]
    done = subprocess.run(
        [sys.executable, "-m", "tools.local.demo", "--aws-port", aws_port, "--requests", str(DEMO_REQUESTS),
         "--workers", "1"],
        cwd=PROJECT, capture_output=True, text=True, check=True, timeout=900,
    )  # fmt: skip
    return done.stdout


def token(role: Role, district: str | None = None) -> str:
    return mint_token(local_signing_key(), role, district)


def api(stack: LocalStack, path: str, role: Role = Role.HQ, district: str | None = None) -> dict[str, Any]:
    request = urllib.request.Request(stack.api_url + path, headers={"Authorization": f"Bearer {token(role, district)}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def refused(stack: LocalStack, path: str, staff_token: str) -> dict[str, Any]:
    request = urllib.request.Request(stack.api_url + path, headers={"Authorization": f"Bearer {staff_token}"})
    with pytest.raises(urllib.error.HTTPError) as refusal:
        urllib.request.urlopen(request, timeout=30)
    assert refusal.value.code == 403
    return json.loads(refusal.value.read())


def open_data(stack: LocalStack) -> dict[str, Any]:
    with urllib.request.urlopen(stack.portal_url + "/open-data/performance.json", timeout=30) as answer:
        return json.load(answer)


@pytest.fixture(scope="module")
def demo(local_stack: LocalStack) -> dict[str, Any]:
    """`make demo` twice (the second adds nothing), then the figures and the public page once
    the stack's feeder has caught up with the stream and republished."""
    first, second = run_demo(local_stack), run_demo(local_stack)
    played_until = datetime.now(UTC)
    # Caught up: a read of the stream that began after the demos ended found it empty (every record
    # they wrote has been applied), and every change applied has been published since. The feeder
    # notes both (tools/local/figures_feeder.py), so this waits no longer than the feeder works.
    deadline = time.monotonic() + CAUGHT_UP_TIMEOUT_S
    while not caught_up(read_feed_state(local_stack.figures_state), played_until):
        assert time.monotonic() < deadline, f"the figures feeder did not catch up: {local_stack.figures_state}"
        time.sleep(0.2)  # a small local file: reading it often costs nothing
    since = (datetime.now(UTC) - timedelta(days=200)).date().isoformat()
    report = api(local_stack, f"/v1/office/performance?from={since}")
    received = sum(district["received"] for district in report["districts"])
    assert received == DEMO_REQUESTS, f"figures stuck at {received} of {DEMO_REQUESTS} requests"
    return {"first": first, "second": second, "report": report}


def caught_up(state: dict[str, Any] | None, played_until: datetime) -> bool:
    if state is None or state["quiet_read_started_at"] is None:
        return False
    return datetime.fromisoformat(state["quiet_read_started_at"]) > played_until and not state["unpublished"]


def test_a_second_demo_adds_nothing(demo: dict[str, Any]) -> None:
    assert "submitted" in demo["first"]
    assert "nothing new" in demo["second"]


def sign_in(page: Page, stack: LocalStack, staff_token: str) -> None:
    page.goto(stack.api_url + "/v1/screens/performance")
    page.get_by_label("رمز الدخول").fill(staff_token)
    page.get_by_role("button", name="دخول").click()
    page.locator("#cards .card").first.wait_for()
    page.locator("#overdue tr").first.wait_for()


def shown_cards(page: Page) -> dict[str, dict[str, str]]:
    cards = {}
    for card in page.locator("#cards .card").all():
        name = card.locator(".card-title").inner_text()
        values = [value.inner_text().split("\n")[0] for value in card.locator("dd").all()]
        cards[name] = dict(zip(("on_time", "open", "overdue", "median", "received"), values, strict=True))
    return cards


def rate(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def against_last_month(now: float | None, before: float | None) -> str:
    """The on-time card's second line: the change between the two percentages as shown, in the
    words of the console's figures page (the screen's script says the same, «5 نقاط» included)."""
    return comparison(now, before)


def last_month() -> str:
    first = cairo_today(datetime.now(UTC)).replace(day=1)
    end = first - timedelta(days=1)
    return f"from={end.replace(day=1).isoformat()}&to={end.isoformat()}"


def as_shown(value: Any) -> str:
    """A figure as the screen writes it (JavaScript's String(): 13.0 is "13")."""
    return "—" if value is None else f"{value:g}"


@pytest.mark.parametrize(("viewport", "name"), [(WALL, "1920"), (PHONE, "360")])
def test_headquarters_screen_agrees_with_the_api(
    local_stack: LocalStack, browser: Browser, demo: dict[str, Any], viewport: dict[str, int], name: str
) -> None:
    page = new_page(browser, viewport=viewport)
    sign_in(page, local_stack, token(Role.HQ))

    this_month = api(local_stack, "/v1/office/performance")
    before = {
        district["code"]: district
        for district in api(local_stack, "/v1/office/performance?" + last_month())["districts"]
    }
    cards = shown_cards(page)
    comparisons = {card.locator(".card-title").inner_text(): card.locator("dd").first.inner_text().split("\n")[1]
                   for card in page.locator("#cards .card").all()}  # fmt: skip
    assert set(cards) == {district["name_ar"] for district in this_month["districts"]}
    for district in this_month["districts"]:
        card = cards[district["name_ar"]]
        assert card["on_time"] == rate(district["on_time_rate"])
        assert card["open"] == str(district["open"])
        assert card["overdue"] == str(district["overdue"])
        assert card["median"] == as_shown(district["median_working_days"])
        assert card["received"] == str(district["received"])
        expected = against_last_month(district["on_time_rate"], before[district["code"]]["on_time_rate"])
        assert comparisons[district["name_ar"]] == expected
    first = this_month["districts"][0]
    shown_services = page.locator("#services tr th").all_inner_texts()
    assert shown_services == [service["name_ar"] for service in first["by_service"]]
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, f"performance-screen-hq-{name}")


def test_the_keyboard_chooses_a_district_and_pages_the_overdue_list(
    local_stack: LocalStack, browser: Browser, demo: dict[str, Any]
) -> None:
    page = new_page(browser, viewport=WALL)
    sign_in(page, local_stack, token(Role.HQ))
    overdue_first = api(local_stack, "/v1/office/performance/overdue?district=warraq&page_size=20")

    warraq = page.get_by_role("button", name="الوراق")
    for _ in range(12):  # Tab until the Warraq card's button has the focus
        page.keyboard.press("Tab")
        if warraq.evaluate("button => button === document.activeElement"):
            break
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="حي الوراق: الإدارات والخدمات").wait_for()
    page.wait_for_function("() => document.activeElement.id === 'district-title'")
    shown = page.locator("#overdue tr td:first-child").all_inner_texts()
    assert shown[: len(overdue_first["requests"])] == [
        grouped_for_reading(entry["tracking_number"]) for entry in overdue_first["requests"]
    ]
    assert warraq.get_attribute("aria-pressed") == "true"
    screenshot(page, "performance-screen-warraq-1920")


def test_a_manager_sees_their_district_and_a_clerk_is_turned_away(
    local_stack: LocalStack, browser: Browser, demo: dict[str, Any]
) -> None:
    page = new_page(browser, viewport=PHONE)
    sign_in(page, local_stack, token(Role.MANAGER, "dokki"))
    assert list(shown_cards(page)) == ["الدقي"]
    assert page.locator("#glance-title").inner_text() == "أداء الدقي"  # not «المحافظة في لمحة»
    screenshot(page, "performance-screen-manager-360")

    clerk = new_page(browser, viewport=PHONE)
    clerk.goto(local_stack.api_url + "/v1/screens/performance")
    clerk.get_by_label("رمز الدخول").fill(token(Role.CLERK, "dokki"))
    clerk.get_by_role("button", name="دخول").click()
    clerk.locator("#token-error").wait_for()
    refusal = refused(local_stack, "/v1/office/performance", token(Role.CLERK, "dokki"))
    assert clerk.locator("#token-error").inner_text() == refusal["error"]["message_ar"]
    assert clerk.locator("#cards .card").count() == 0
    assert_accessible(clerk)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("viewport", "name"), [(WALL, "1920"), (PHONE, "360")])
def test_the_public_page_shows_the_open_data_with_or_without_javascript(
    local_stack: LocalStack,
    browser: Browser,
    demo: dict[str, Any],
    viewport: dict[str, int],
    name: str,
    javascript: bool,
) -> None:
    page = new_page(browser, javascript=javascript, viewport=viewport)
    page.goto(local_stack.portal_url + "/performance.html")
    data = open_data(local_stack)
    names = {district["code"]: district["name_ar"] for district in data["districts"]}
    current = max(row["month"] for row in data["rows"])

    rows = page.locator("table.perf tbody").first.locator("tr").all()[1:]  # the latest month's districts
    shown = {row.locator("th").inner_text(): row.locator("td").all_inner_texts() for row in rows}
    for row in data["rows"]:
        if row["month"] == current and row["service"] == "all":
            cells = shown[names[row["district"]]]
            assert cells[0] == ("<5" if row["received"] is None else str(row["received"]))
            assert cells[1] == ("<5" if row["completed"] is None else str(row["completed"]))
    assert page.locator("svg.chart").count() in (0, 1)
    # Styled under the CSP CloudFront sends (its style-src 'self' refuses an inline <style>).
    assert page.locator("table.perf").evaluate("table => getComputedStyle(table).borderCollapse") == "collapse"
    assert_nothing_refused_by_csp(page)
    assert_accessible(page)
    assert_fits_width(page)
    # The month-by-month table fits too, at 360 px as at 1920: its region never scrolls sideways.
    region = page.locator("table.perf").locator("xpath=..")
    assert region.evaluate("region => region.scrollWidth - region.clientWidth") <= 0
    screenshot(page, f"performance-public-{name}-{'js' if javascript else 'no-js'}")


def test_the_public_page_agrees_with_the_office_api(local_stack: LocalStack, demo: dict[str, Any]) -> None:
    data = open_data(local_stack)
    rows = [row for row in data["rows"] if row["service"] == "all"]

    def office_figures(row: dict[str, Any]) -> dict[str, Any]:
        year, month = map(int, row["month"].split("-"))
        last = min(f"{row['month']}-{calendar.monthrange(year, month)[1]:02d}", data["to"])
        report = api(local_stack, f"/v1/office/performance?district={row['district']}&from={row['month']}-01&to={last}")
        return dict(report["districts"][0])

    # The office API asked a few at a time (chalice local answers in threads; moto is another process).
    with ThreadPoolExecutor(OFFICE_API_CALLS_AT_ONCE) as pool:
        answers = list(pool.map(office_figures, rows))
    assert len(answers) == len(rows) > 0
    for row, district in zip(rows, answers, strict=True):
        for name in ("received", "completed", "completed_on_time"):
            assert row[name] == (district[name] if district[name] >= 5 else None), (row, name)
