"""A manager corrects a citizen's wrong phone in the console (issue 21, section 7), in chromium with
JavaScript off and on: reveal with a reason, correct the phone, read the confirmation, and find the
message to the new number in the local inbox. Both pages are checked as every console page is
(axe, CSP, size, focus, targets, 200% zoom) and photographed at 1366 and 360 px."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.domain.staff import Role
from chalicelib.domain.tracking import grouped_for_reading
from tests.e2e.console_browser import check_console_page, console_url, screenshot, signed_in_page
from tests.e2e.stack import LocalStack
from tests.factories import submission
from tools.testing.synthetic import PHONE

pytestmark = pytest.mark.e2e

DISTRICT = "warraq"
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# The number each run puts in place of the one filed: a different one each, as the inbox keeps them all.
NEW_PHONE = {True: "01123456780", False: "01223456781"}
REVEAL_REASON = "المواطن حضر للشباك ومعه بطاقته ويطلب تصحيح رقمه"
CORRECTION_REASON = "رقم الهاتف المسجل خطأ في الكتابة، والصحيح من المواطن نفسه"
DONE = "صُحّحت بيانات مقدم الطلب وأُبلغ بها."
PHONE_CHANGED = "سُجّل رقمك هذا لطلبك"
PHONE_CHANGED_AWAY = "نُقلت رسائل طلبك"
FILED_PHONE = f"+2{PHONE}"  # the number the factories' applicant files with
INBOX_WAIT_S = 30
GZIPPED_SIZES = "applicant-correction-gzipped-sizes"  # each page's (console_browser.sizes)


def filed_online(stack: LocalStack) -> str:
    request = urllib.request.Request(
        f"{stack.api_url}/v1/requests",
        data=json.dumps(submission("demolition_licence", DISTRICT)).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["tracking_number"])


def inbox_message_to(page: Page, stack: LocalStack, phone: str) -> str:
    """The local inbox's SMS to `phone` (E.164), in the browser once the message relay has sent it."""
    stack.inbox_once_it_holds(f'<span class="to">{phone}</span>', within_s=INBOX_WAIT_S)
    page.goto(stack.inbox_url)
    messages = page.locator("li", has=page.locator("span.to", has_text=phone))
    expect(messages).to_have_count(1)
    return messages.inner_text()


@pytest.mark.parametrize(
    "javascript", [pytest.param(True, id="with-javascript"), pytest.param(False, id="without-javascript")]
)
def test_a_manager_reveals_and_corrects_a_wrong_phone(
    browser: Browser, local_stack: LocalStack, javascript: bool, sizes: dict[str, Any]
) -> None:
    mode = "js" if javascript else "nojs"
    tracking_number = filed_online(local_stack)
    page = signed_in_page(browser, local_stack, Role.MANAGER, DISTRICT, javascript)
    try:
        page.goto(console_url(local_stack, f"requests/{tracking_number}"))
        expect(page.get_by_label("رقم الهاتف المحمول الصحيح")).to_have_count(0)  # only after a reveal

        page.get_by_label("سبب الكشف", exact=False).fill(REVEAL_REASON)
        with page.expect_navigation() as revealed:
            page.get_by_role("button", name="كشف الهوية").click()
        assert revealed.value.status == 200
        expect(page.get_by_role("heading", name="مقدم الطلب", exact=True)).to_be_visible()
        form = page.locator("form", has=page.get_by_role("button", name="تصحيح البيانات"))
        expect(form).to_be_visible()
        check_console_page(page, f"manager-correction-form-{mode}", revealed.value.body(), sizes)

        # Typed as a clerk may read it off a card: Arabic-Indic digits, which the form takes as the portal does.
        typed = NEW_PHONE[javascript] if javascript else NEW_PHONE[javascript].translate(ARABIC_INDIC)
        page.get_by_label("رقم الهاتف المحمول الصحيح").fill(typed)
        page.get_by_label("سبب التصحيح", exact=False).fill(CORRECTION_REASON)
        with page.expect_navigation() as corrected:
            page.get_by_role("button", name="تصحيح البيانات").click()
        assert corrected.value.status == 200
        expect(page.get_by_text(DONE)).to_be_visible()
        expect(page.locator(".timeline")).to_contain_text(CORRECTION_REASON)
        check_console_page(page, f"manager-correction-done-{mode}", corrected.value.body(), sizes)

        grouped = grouped_for_reading(tracking_number)
        to_the_new_number = inbox_message_to(page, local_stack, f"+2{NEW_PHONE[javascript]}")
        assert PHONE_CHANGED in to_the_new_number
        assert grouped in to_the_new_number
        # The mobile it replaces is told too, without the new number.
        to_the_old_number = page.locator("li", has=page.locator("span.to", has_text=FILED_PHONE)).filter(
            has_text=PHONE_CHANGED_AWAY
        )
        expect(to_the_old_number.filter(has_text=grouped)).to_have_count(1)
        assert NEW_PHONE[javascript] not in to_the_old_number.filter(has_text=grouped).inner_text()
        screenshot(page, f"manager-correction-inbox-{mode}")
    finally:
        page.context.close()
