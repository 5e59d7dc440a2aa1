"""The paid journey in chromium, with JavaScript and without, and with the pages' own CSP enforced:
apply, track, pay by card on the (simulated) Paymob page, come back and see the fee paid.

The other browser tests let Playwright bypass the CSP (to inject axe-core); this one must not:
Chrome applies `form-action` to the redirect that follows a form post, which is exactly how the
card form leaves for the gateway.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import PHONE, assert_fits_width, screenshot
from tests.e2e.stack import LocalStack
from tests.e2e.test_portal_browser import ARABIC_INDIC, fill_shop_licence_form, open_form
from tests.factories import national_id

pytestmark = pytest.mark.e2e

JOURNEYS = [pytest.param(True, id="with-javascript"), pytest.param(False, id="without-javascript")]


def page_enforcing_csp(browser: Browser, javascript: bool) -> tuple[Page, list[str]]:
    """A phone's page with the CSP in force, and the list of what the browser refused."""
    page = browser.new_context(viewport=PHONE, java_script_enabled=javascript, locale="ar-EG").new_page()
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    return page, refused


def track(page: Page, stack: LocalStack, tracking_number: str) -> None:
    page.goto(f"{stack.portal_url}/track.html")
    page.get_by_label("رقم المتابعة").fill(tracking_number)
    page.get_by_label("آخر أربعة أرقام من الرقم القومي").fill(national_id()[-4:].translate(ARABIC_INDIC))
    page.get_by_role("button", name="اعرض حالة الطلب").click()


@pytest.mark.parametrize("javascript", JOURNEYS)
def test_a_citizen_applies_pays_by_card_and_sees_the_fee_paid(
    local_stack: LocalStack, browser: Browser, javascript: bool
) -> None:
    mode = "js" if javascript else "nojs"
    page, refused = page_enforcing_csp(browser, javascript)
    open_form(page, local_stack)
    fill_shop_licence_form(page)
    page.get_by_role("button", name="متابعة").click()
    page.get_by_role("button", name="تأكيد وإرسال الطلب").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تم إرسال طلبك")
    tracking_number = page.locator(".reference").inner_text()

    track(page, local_stack, tracking_number)
    expect(page.get_by_role("heading", level=1)).to_have_text("حالة طلبك: في انتظار سداد الرسوم")
    screenshot(page, f"card-{mode}-1-track-result")
    page.get_by_role("button", name="ادفع الرسوم الآن بالبطاقة البنكية").click()

    # The gateway's own page, in the same tab, reached through the API's 303.
    expect(page.get_by_role("heading", level=1)).to_have_text("الدفع بالبطاقة")
    assert page.url.startswith(f"{local_stack.gateways_url}/paymob/api/acceptance/iframes/")
    assert_fits_width(page)  # the card's field stays within a 360 px screen
    screenshot(page, f"card-{mode}-2-gateway")
    page.get_by_role("button", name="ادفع", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تمت عملية الدفع بالبطاقة")
    assert re.search(r'"outcome":\s*"paid"', page.locator("pre").inner_text())
    screenshot(page, f"card-{mode}-3-gateway-result")

    page.get_by_role("link", name="العودة إلى طلبك في بوابة شباك").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تابع طلبك")
    if javascript:  # within the same visit, the track form comes back filled in
        expect(page.get_by_label("رقم المتابعة")).to_have_value(tracking_number)
    track(page, local_stack, tracking_number)
    expect(page.get_by_role("heading", level=1)).to_have_text("حالة طلبك: قيد الفحص")
    expect(page.get_by_text("سُدِّدت")).to_be_visible()
    expect(page.get_by_role("button", name="ادفع الرسوم الآن بالبطاقة البنكية")).to_have_count(0)
    screenshot(page, f"card-{mode}-4-paid")
    assert refused == []
