"""The office console in chromium on the real local stack, each member of staff signed in through the
local staff pool with password and TOTP (issue 21, section 6): the clerk's day, keyboard only, and
every console page checked (tests/e2e/console_browser.py) with its screenshots in
test-artifacts/console/. The back office's days (officer, manager, hq) plug into the role fixtures.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.domain.staff import Role
from tests.e2e.browser import (
    SEEDED_VIOLATIONS,
    assert_accessible,
    assert_fits_width,
    assert_nothing_refused_by_csp,
    axe_violations,
    new_page,
    seed_violations,
    seeded_found,
)
from tests.e2e.console_browser import (
    OFFICE_PC,
    Documents,
    SignIn,
    check_console_page,
    console_url,
    pointer_actions,
    record,
    screenshot,
    sign_in,
    tab_to,
)
from tests.e2e.stack import LocalStack
from tests.factories import national_id
from tools.local.staff_pool import account_email

pytestmark = pytest.mark.e2e

CLERKS_DISTRICT, OTHER_DISTRICT = "dokki", "omraniya"
CLERKS_OFFICE, OTHER_OFFICE = "الدقي", "العمرانية"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
MAX_PAGE_LOADS = 3
A4_WIDTH_PX = 794  # 210 mm at 96 CSS px an inch
ROLL_WIDTH_PX = 302  # 80 mm
JAVASCRIPT = [pytest.param(True, id="with-javascript"), pytest.param(False, id="without-javascript")]
GZIPPED_SIZES = "gzipped-sizes"  # each page's, in test-artifacts/console/ (console_browser.sizes)


@pytest.fixture
def clerk(signed_in: SignIn) -> Page:
    return signed_in(Role.CLERK, CLERKS_DISTRICT)


@pytest.fixture
def officer(signed_in: SignIn) -> Page:
    return signed_in(Role.OFFICER, OTHER_DISTRICT)


@pytest.fixture
def manager(signed_in: SignIn) -> Page:
    return signed_in(Role.MANAGER, OTHER_DISTRICT)


@pytest.fixture
def hq(signed_in: SignIn) -> Page:
    return signed_in(Role.HQ)


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_staff_sign_in_with_password_and_totp(
    local_stack: LocalStack, browser: Browser, javascript: bool, sizes: dict[str, Any]
) -> None:
    page = new_page(browser, javascript, viewport=OFFICE_PC)
    documents = Documents(page)
    page.goto(console_url(local_stack))
    if javascript:
        check_console_page(page, "sign-in", documents.last_body(), sizes)
    email = account_email(Role.CLERK, CLERKS_DISTRICT)

    sign_in(page, local_stack, email)

    expect(page.get_by_text(email)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("تسجيل طلب حضوري"))).to_be_visible()
    cookies = page.context.cookies()
    assert [cookie["name"] for cookie in cookies] == ["shobbak_console"]
    assert cookies[0]["httpOnly"]
    assert cookies[0]["secure"]
    assert cookies[0]["sameSite"] == "Strict"
    if javascript:
        assert page.evaluate("() => document.cookie") == ""
        assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0
    page.context.close()


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_the_audit_reports_violations_seeded_into_a_console_page(
    local_stack: LocalStack, browser: Browser, javascript: bool
) -> None:
    """axe audits the console page it is given, under the console's Content-Security-Policy: what is
    wrong with it is reported, and the policy refuses nothing for the audit."""
    page = new_page(browser, javascript, viewport=OFFICE_PC)
    page.goto(console_url(local_stack))
    assert_accessible(page)

    seed_violations(page)

    assert seeded_found(axe_violations(page)) == SEEDED_VIOLATIONS
    assert_nothing_refused_by_csp(page)
    page.context.close()


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICER, Role.MANAGER, Role.HQ], ids=lambda role: role.value)
def test_each_roles_home_page(request: pytest.FixtureRequest, role: Role, sizes: dict[str, Any]) -> None:
    page: Page = request.getfixturevalue(role.value)
    documents = Documents(page)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("وحدة العمل")
    check_console_page(page, f"home-{role.value}", documents.last_body(), sizes)


def file_shop_licence_by_keyboard(page: Page, stack: LocalStack) -> None:
    """The clerk's keystrokes: the service typed into the search, Enter; the form filled with Tab,
    arrows and Space; Enter on the button. The page loads it takes are counted by the caller."""
    page.goto(console_url(stack, "counter"))
    expect(page.get_by_label("الخدمة المطلوبة")).to_be_focused()  # autofocus: the clerk types at once
    page.keyboard.type("ترخيص محل")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("ترخيص محل عام")

    tab_to(page, "#f-district_code")
    for key in ["ArrowDown"] * 30 + ["ArrowUp"] * 60:
        if page.evaluate("() => document.activeElement.value") == OTHER_DISTRICT:
            break
        page.keyboard.press(key)
    expect(page.locator("#f-district_code")).to_have_value(OTHER_DISTRICT)
    tab_to(page, "#f-applicant-full_name")
    page.keyboard.type("منى أحمد عبد الله")
    page.keyboard.press("Tab")
    page.keyboard.type(national_id().translate(ARABIC_INDIC))
    page.keyboard.press("Tab")
    page.keyboard.type("٠١٠ ١٢٣٤ ٥٦٧٨")
    tab_to(page, "#f-details-shop_address")
    page.keyboard.type("١٢ شارع الهرم، العمرانية")
    page.keyboard.press("Tab")
    page.keyboard.type("بقالة")
    tab_to(page, "#f-details-area_m2")
    page.keyboard.type("٤٥")
    tab_to(page, "[name='details.tenure']")
    page.keyboard.press("Space")
    tab_to(page, "#f-document-national_id_copy")
    page.keyboard.press("Space")
    tab_to(page, "#f-document-shop_deed_or_lease")
    page.keyboard.press("Space")
    tab_to(page, "#f-consent")
    page.keyboard.press("Space")
    tab_to(page, "button[type=submit]:not(.link-button)")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("إيصال استلام طلب")


@pytest.mark.parametrize("javascript", JAVASCRIPT)
def test_a_clerk_files_a_walk_in_for_another_district_by_keyboard_and_prints_the_receipt(
    local_stack: LocalStack, signed_in: SignIn, javascript: bool
) -> None:
    mode = "js" if javascript else "nojs"
    page = signed_in(Role.CLERK, CLERKS_DISTRICT, javascript)
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))

    file_shop_licence_by_keyboard(page, local_stack)

    assert len(loads) <= MAX_PAGE_LOADS, loads
    if javascript:
        assert pointer_actions(page) == 0
    pointers = pointer_actions(page) if javascript else "not counted: no script runs"
    record(f"clerk-filing-{mode}", {"page_loads": loads, "pointer_actions": pointers})
    tracking = page.locator(".receipt-number strong").inner_text()
    assert re.fullmatch(r"[0-9]{4} [0-9]{3} [0-9]{3} [0-9]{3}", tracking)
    facts = page.locator(".receipt-facts")
    expect(facts.locator("dt:has-text('شباك التقديم') + dd")).to_contain_text(CLERKS_OFFICE)
    expect(facts.locator("dt:has-text('الحي الذي يفحصه') + dd")).to_contain_text(OTHER_OFFICE)
    qr = page.locator("img.receipt-qr")
    assert (qr.get_attribute("src") or "").startswith("data:image/svg+xml")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    expect(page.locator(".receipt li")).to_have_count(2)  # the two documents handed in on paper

    page.emulate_media(media="print")
    for width, paper in ((A4_WIDTH_PX, "a4"), (ROLL_WIDTH_PX, "80mm")):
        page.set_viewport_size({"width": width, "height": 1100})
        expect(page.locator("header")).to_be_hidden()
        expect(page.locator(".receipt-number strong")).to_be_visible()
        assert_fits_width(page)
        screenshot(page, f"receipt-print-{paper}-{mode}")
    page.emulate_media(media="screen")
    page.set_viewport_size(OFFICE_PC)

    reprint = page.get_by_role("link", name="طباعة نسخة من الإيصال").get_attribute("href") or ""
    page.goto(urljoin(page.url, reprint))
    expect(page.locator(".receipt-copy")).to_have_text("نسخة")
    expect(page.locator(".receipt-number strong")).to_have_text(tracking)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": ROLL_WIDTH_PX, "height": 1100})
    screenshot(page, f"receipt-reprint-80mm-{mode}")


def test_every_counter_page_is_checked(local_stack: LocalStack, clerk: Page, sizes: dict[str, Any]) -> None:
    """The search, the form, the form with what is wrong, the receipt: each a console page."""
    documents = Documents(clerk)
    clerk.goto(console_url(local_stack, "counter"))
    check_console_page(clerk, "counter-search", documents.last_body(), sizes)
    clerk.goto(console_url(local_stack, "counter?q=" + "محل"))
    check_console_page(clerk, "counter-search-results", documents.last_body(), sizes)

    clerk.goto(console_url(local_stack, "counter/services/shop_licence"))
    check_console_page(clerk, "counter-form", documents.last_body(), sizes)

    tab_to(clerk, "button[type=submit]:not(.link-button)", presses=80)
    clerk.keyboard.press("Enter")
    summary = clerk.locator(".error-summary")
    expect(summary).to_be_visible()
    for target in summary.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        assert clerk.locator(target).count() == 1, f"the summary links to {target}, which is not on the page"
    check_console_page(clerk, "counter-form-errors", documents.last_body(), sizes)

    file_shop_licence_by_keyboard(clerk, local_stack)
    check_console_page(clerk, "counter-receipt", documents.last_body(), sizes)
