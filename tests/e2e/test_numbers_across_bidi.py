"""Numbers a citizen copies, laid out by chromium as a citizen's phone lays them out.

An SMS is an Arabic, right-to-left paragraph: a tracking number written in groups inside it is
laid out with its groups in reverse order unless it is isolated left to right. Each text (and
each voice script's words) is rendered in a `dir="rtl"` paragraph and the groups' positions are
read back from the layout. On the pages, a grouped number must not break across lines at 360 px.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from playwright.sync_api import Browser, Page

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.messages import Event, MessageValues, sms_segments, sms_text, voice_ssml
from chalicelib.domain.payments import first_invoice_reference
from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.portal import render
from tests.e2e.browser import PHONE
from tests.e2e.stack import PROJECT

pytestmark = pytest.mark.e2e

TRACKING = "2418498340590"
LONGEST_TRACKING = "98765432109876"
STYLESHEET = (PROJECT / "chalicelib" / "portal" / "static" / "portal.css").read_text(encoding="utf-8")
CATALOGUE = load_catalogue(rollout_phase=1)
LONGEST_DISTRICT = max((district.name_ar for district in CATALOGUE.districts()), key=len)


def values(tracking: str) -> MessageValues:
    return MessageValues(
        tracking_number=tracking,
        reference=first_invoice_reference(tracking),
        amount_egp=1000,
        pay_by=date(2026, 12, 4),
        district_name_ar=LONGEST_DISTRICT,
        portal_address="shobbak.giza.gov.eg",
    )


@pytest.fixture(scope="module")
def page(browser: Browser) -> Page:
    return new_rtl_page(browser)  # its context closed at the module's end (tests/e2e/browser.py)


def new_rtl_page(browser: Browser) -> Page:
    return browser.new_context(viewport=PHONE, locale="ar-EG").new_page()


# For each group of the number (found in logical order from where the number starts), the left
# edge of its box as laid out.
GROUP_LEFTS = """([number]) => {
  const paragraph = document.querySelector('p');
  const node = paragraph.firstChild;
  const groups = number.split(' ');
  let at = node.data.indexOf(groups[0]);
  return groups.map((group) => {
    at = node.data.indexOf(group, at);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + group.length);
    at += group.length;
    return range.getBoundingClientRect().left;
  });
}"""


def lefts_of_groups(page: Page, text: str, number: str) -> list[float]:
    page.set_content(f'<html lang="ar" dir="rtl"><body><p dir="rtl">{html.escape(text)}</p></body></html>')
    return page.evaluate(GROUP_LEFTS, [number])


def numbers_in(event: Event, message: MessageValues) -> list[str]:
    """The grouped numbers a citizen copies from this event's text."""
    text = sms_text(event, message)
    grouped = (grouped_for_reading(message.tracking_number), grouped_for_reading(message.reference or ""))
    # Whole numbers only: the reference begins with the tracking number.
    return [number for number in grouped if re.search(f"(?<![0-9]){number}(?![0-9])", text)]


@pytest.mark.parametrize("tracking", [TRACKING, LONGEST_TRACKING])
@pytest.mark.parametrize("event", list(Event))
def test_each_sms_shows_its_numbers_groups_left_to_right_in_an_rtl_paragraph(
    page: Page, event: Event, tracking: str
) -> None:
    message = values(tracking)
    text = sms_text(event, message)
    numbers = numbers_in(event, message)

    assert numbers, "every text names the request or the invoice"
    for number in numbers:
        lefts = lefts_of_groups(page, text, number)
        assert lefts == sorted(lefts), f"{number!r} is laid out out of order in {text!r}: {lefts}"
    assert len(text.encode("utf-16-le")) // 2 <= 70, (len(text), text)
    assert sms_segments(text) == 1


@pytest.mark.parametrize("event", list(Event))
def test_each_voice_script_reads_its_numbers_left_to_right_when_shown(page: Page, event: Event) -> None:
    message = values(TRACKING)
    script = voice_ssml(event, message)
    words = re.sub(r"<[^>]+>", "", script)

    for number in numbers_in(event, message):
        digits = number.replace(" ", "")
        shown = f"\u2066{digits}\u2069" in words
        assert shown, f"{digits} is not isolated left to right in the voice script: {script!r}"
        lefts = lefts_of_groups(page, words.replace(digits, number), number)
        assert lefts == sorted(lefts), (number, words)


LINES_OF = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return new Set(Array.from(range.getClientRects()).map((box) => Math.round(box.top))).size;
}"""


def with_inline_styles(page_html: str) -> str:
    return re.sub(r'<link rel="stylesheet" href="[^"]+">', f"<style>{STYLESHEET}</style>", page_html)


def test_grouped_numbers_on_the_pages_never_break_across_lines_at_360_px(page: Page) -> None:
    site = render.Site(portal="http://127.0.0.1:8080", api="http://127.0.0.1:8000")
    district = CATALOGUE.district("dokki")
    service = CATALOGUE.service("building_violation_reconciliation", on=date(2026, 11, 27))
    assert district is not None
    assert service is not None
    answer = {
        "tracking_number": LONGEST_TRACKING,
        "status": "awaiting_payment",
        "submitted_at": "2026-11-27T09:30:00Z",
        "fee_egp": 5000,
        "sla_due_date": "2027-02-25",
        "payment": {"reference": first_invoice_reference(LONGEST_TRACKING), "amount_egp": 5000, "status": "unpaid"},
    }
    result = {**answer, "status_ar": "في انتظار سداد الرسوم", "service_code": service.code,
              "district_code": "dokki", "payment_status": "unpaid", "history": []}  # fmt: skip
    pages = {
        "confirmation": render.confirmation_page(site, district, service, answer),
        "track result": render.track_result_page(site, result, service.name_ar, district.name_ar, "2349"),
    }

    for name, page_html in pages.items():
        page.set_viewport_size(PHONE)
        page.set_content(with_inline_styles(page_html))
        grouped = [
            element
            for element in page.locator("body *").element_handles()
            if re.fullmatch(r"[0-9]{1,4}( [0-9]{1,4}){2,}", (element.inner_text() or "").strip())
        ]
        assert len(grouped) == {"confirmation": 2, "track result": 1}[name], name
        for element in grouped:
            assert element.evaluate(LINES_OF) == 1, f"{name}: {element.inner_text()!r} breaks across lines"
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} is {overflow} px wider than the phone"
