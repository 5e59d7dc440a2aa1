"""A citizen on a small phone, in chromium, through the real local stack: with JavaScript and without."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import (
    SEEDED_VIOLATIONS,
    assert_accessible,
    assert_fits_width,
    assert_nothing_refused_by_csp,
    axe_violations,
    new_page,
    screenshot,
    seed_violations,
    seeded_found,
)
from tests.e2e.stack import LocalStack
from tests.factories import national_id

pytestmark = pytest.mark.e2e

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
JOURNEYS = [pytest.param(True, id="with-javascript"), pytest.param(False, id="without-javascript")]


def step(page: Page, name: str) -> None:
    """What every page of the journey must be: accessible, no wider than the phone; and a screenshot."""
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)


def fill_shop_licence_form(page: Page) -> None:
    page.get_by_label("الاسم الكامل").fill("منى أحمد عبد الله")
    page.get_by_label("الرقم القومي").fill(national_id().translate(ARABIC_INDIC))
    page.get_by_label("رقم الهاتف المحمول").fill("٠١٠ ١٢٣٤ ٥٦٧٨")
    page.get_by_label("عنوان المحل").fill("١٢ شارع التحرير، الدقي")
    page.get_by_label("نشاط المحل").fill("بقالة")
    page.get_by_label("مساحة المحل (م²)").fill("٤٥")
    page.get_by_label("إيجار").check()
    page.get_by_label("أوافق على استخدام بياناتي لغرض هذا الطلب وحده").check()


def open_form(page: Page, stack: LocalStack) -> None:
    page.goto(stack.portal_url)
    page.get_by_role("link", name="الدقي").click()
    page.get_by_role("link", name="ترخيص محل عام").click()
    page.get_by_role("button", name=re.compile("ابدأ الآن")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("بيانات الطلب")


@pytest.mark.parametrize("javascript", JOURNEYS)
def test_a_citizen_applies_and_tracks(local_stack: LocalStack, browser: Browser, javascript: bool) -> None:
    mode = "js" if javascript else "nojs"
    page = new_page(browser, javascript)
    page.goto(local_stack.portal_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("خدمات الأحياء والمراكز في محافظة الجيزة")
    step(page, f"{mode}-1-home")
    page.get_by_role("link", name="الدقي").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("خدمات الدقي")
    step(page, f"{mode}-2-district")
    page.get_by_role("link", name="ترخيص محل عام").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ترخيص محل عام")
    step(page, f"{mode}-3-service")
    page.get_by_role("button", name=re.compile("ابدأ الآن")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("بيانات الطلب")
    fill_shop_licence_form(page)
    step(page, f"{mode}-4-form")
    if javascript:
        page.evaluate("() => { window.stillTheSamePage = true; }")

    page.get_by_role("button", name="متابعة").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("راجع بيانات طلبك قبل إرساله")
    expect(page.locator("dd bdi").first).to_have_text("منى أحمد عبد الله")
    step(page, f"{mode}-5-check")
    page.get_by_role("button", name="تأكيد وإرسال الطلب").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تم إرسال طلبك")
    reference = page.locator(".reference").inner_text()
    assert re.fullmatch(r"[0-9]{4} [0-9]{3} [0-9]{3} [0-9]{3}", reference)
    expect(page.get_by_role("button", name="اطبع هذه الصفحة")).to_be_visible(visible=javascript)
    step(page, f"{mode}-6-confirmation")
    if javascript:  # the form's steps replaced the page's content: the page itself never reloaded
        assert page.evaluate("() => window.stillTheSamePage") is True
    else:  # the plain forms posted to the API (behind the portal's origin), which answered with the portal's pages
        assert page.url.startswith(f"{local_stack.portal_url}/v1/")

    page.get_by_role("link", name="تابع طلبك").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تابع طلبك")
    page.get_by_label("رقم المتابعة").fill(reference)
    page.get_by_label("آخر أربعة أرقام من الرقم القومي").fill(national_id()[-4:].translate(ARABIC_INDIC))
    step(page, f"{mode}-7-track")
    page.get_by_role("button", name="اعرض حالة الطلب").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("حالة طلبك: في انتظار سداد الرسوم")
    # exact: the Fawry reference below starts with the same digits
    expect(page.get_by_text(reference, exact=True)).to_be_visible()
    # What to do now comes first: the fee, the Fawry reference in groups, the pay-by moment, the card button.
    due = page.get_by_role("region", name="المطلوب منك الآن")
    expect(due.locator(".due-reference")).to_have_text(re.compile(r"[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{3}"))
    expect(due).to_contain_text("بتوقيت القاهرة")
    expect(due.get_by_role("button", name="ادفع الرسوم الآن بالبطاقة البنكية")).to_be_visible()
    step(page, f"{mode}-8-track-result")
    assert_nothing_refused_by_csp(page)


@pytest.mark.parametrize("javascript", JOURNEYS)
def test_a_form_with_mistakes_shows_a_summary_and_keeps_what_was_typed(
    local_stack: LocalStack,
    browser: Browser,
    javascript: bool,
) -> None:
    mode = "js" if javascript else "nojs"
    page = new_page(browser, javascript)
    open_form(page, local_stack)
    fill_shop_licence_form(page)
    page.get_by_label("الرقم القومي").fill("١٢٣")
    page.get_by_label("مساحة المحل (م²)").fill("")

    page.get_by_role("button", name="متابعة").click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        ["الرقم القومي يتكون من أربعة عشر رقمًا فقط، يرجى مراجعته وإعادة إدخاله.", "أدخل مساحة المحل (م²)"]
    )
    assert page.title().startswith("خطأ: ")
    expect(page.get_by_label("الاسم الكامل")).to_have_value("منى أحمد عبد الله")
    expect(page.get_by_label("الرقم القومي")).to_have_value("١٢٣")
    expect(page.get_by_label("إيجار")).to_be_checked()
    expect(page.locator("#f-applicant-national_id-error")).to_contain_text("أربعة عشر رقمًا")
    step(page, f"{mode}-error-summary")

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("الرقم القومي")).to_be_focused()


def summary_links(page: Page) -> list[tuple[str | None, str]]:
    links = page.locator(".error-summary a")
    expect(links.first).to_be_visible()
    return [(link.get_attribute("href"), link.inner_text()) for link in links.all()]


def test_the_script_and_the_server_name_the_same_problems_in_the_same_words(
    local_stack: LocalStack, browser: Browser
) -> None:
    said = {}
    for javascript in (True, False):
        page = new_page(browser, javascript)
        open_form(page, local_stack)
        page.get_by_label("مساحة المحل (م²)").fill("كبيرة")
        page.get_by_role("button", name="متابعة").click()
        said[javascript] = summary_links(page)
        page.context.close()

    assert said[True] == said[False]
    assert ("#f-applicant-full_name", "أدخل الاسم الكامل") in said[True]
    assert ("#f-details-area_m2", "مساحة المحل (م²): اكتب رقمًا صحيحًا بالأرقام فقط.") in said[True]


# Every layout shift from now on, those right after an input too (hadRecentInput), until the form is sent.
# One kind is told apart: text moving inside the field being typed into (chromium reports the field's
# inner editor, outside the DOM, so no node): in a right-to-left field each digit typed pushes the ones
# before it, and an address that starts with digits turns right to left at its first letter. Nothing
# else moves then; every other shift counts.
_WATCH_SHIFTS = """() => {
  window.shifts = []; window.sentAt = null;
  const within = (rect, box) => rect.left >= box.left - 1 && rect.right <= box.right + 1 &&
    rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
  new PerformanceObserver(list => list.getEntries().forEach(entry => {
    const field = document.activeElement.getBoundingClientRect();
    window.shifts.push({value: entry.value, at: entry.startTime, recent: entry.hadRecentInput,
      typing: entry.sources.every(source => !source.node && within(source.currentRect, field)),
      nodes: entry.sources.map(source => source.node && (source.node.id || source.node.nodeName))});
  })).observe({type: 'layout-shift'});
  document.addEventListener('submit', () => { window.sentAt = window.sentAt ?? performance.now(); }, true);
}"""
_SHIFTS_UNTIL_SENT = "() => window.shifts.filter(shift => shift.at <= window.sentAt)"


@pytest.mark.parametrize("width", [360, 1280])
def test_correcting_a_failed_form_moves_nothing_and_each_control_answers_one_press(
    local_stack: LocalStack, browser: Browser, width: int
) -> None:
    page = new_page(browser, viewport={"width": width, "height": 640 if width == 360 else 800})
    open_form(page, local_stack)
    page.get_by_role("button", name="متابعة").click()
    expect(page.locator(".error-summary a")).to_have_count(8)
    page.evaluate(_WATCH_SHIFTS)

    answers = {
        "الاسم الكامل": "منى أحمد عبد الله",
        "الرقم القومي": national_id(),
        "رقم الهاتف المحمول": "01012345678",
        "عنوان المحل": "١٢ شارع التحرير، الدقي",
        "نشاط المحل": "بقالة",
        "مساحة المحل (م²)": "45",
    }
    for label, answer in answers.items():
        page.get_by_label(label, exact=True).click()  # one press each
        page.keyboard.type(answer)
    page.get_by_label("إيجار").click()
    expect(page.get_by_label("إيجار")).to_be_checked()
    page.get_by_label("أوافق على استخدام بياناتي لغرض هذا الطلب وحده").click()
    expect(page.get_by_label("أوافق على استخدام بياناتي لغرض هذا الطلب وحده")).to_be_checked()
    page.get_by_role("button", name="متابعة").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("راجع بيانات طلبك قبل إرساله")

    shifts = [shift for shift in page.evaluate(_SHIFTS_UNTIL_SENT) if not shift["typing"]]
    assert sum(shift["value"] for shift in shifts) == 0, shifts


def test_with_javascript_the_server_has_the_last_word(local_stack: LocalStack, browser: Browser) -> None:
    """An answer the page's own checks cannot judge, a choice the catalogue no longer offers (a page
    left open while it changed: here its radio's value rewritten), is sent, refused by the API, and
    the refusal shown in the error summary, in the server's words, with the other answers kept."""
    page = new_page(browser)
    open_form(page, local_stack)
    fill_shop_licence_form(page)
    page.get_by_label("إيجار").evaluate("radio => { radio.value = 'sublet'; }")

    with page.expect_response(lambda answer: answer.request.method == "POST") as sent:
        page.get_by_role("button", name="متابعة").click()

    assert sent.value.url.endswith("/v1/portal/applications")  # the API, through the portal's address
    assert "sublet" in (sent.value.request.post_data or "")
    assert sent.value.status == 400, sent.value.status
    expect(page.locator(".error-summary a")).to_have_text(["صفة الحيازة: اختر إحدى الإجابات المعروضة."])
    expect(page.get_by_label("نشاط المحل")).to_have_value("بقالة")


def test_change_on_the_check_page_returns_to_the_field(local_stack: LocalStack, browser: Browser) -> None:
    page = new_page(browser, javascript=False)
    open_form(page, local_stack)
    fill_shop_licence_form(page)
    page.get_by_role("button", name="متابعة").click()

    page.get_by_role("button", name="تغيير نشاط المحل").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("بيانات الطلب")
    expect(page.get_by_label("نشاط المحل")).to_have_value("بقالة")
    assert page.url.endswith("#f-details-activity")


def test_every_page_is_accessible_and_fits_a_320_px_screen(local_stack: LocalStack, browser: Browser) -> None:
    """Follows every link of the portal from its home page; 320 px is also 640 px zoomed to 200%."""
    page = new_page(browser, viewport={"width": 320, "height": 640})
    to_visit, seen = [local_stack.portal_url + "/"], set()
    while to_visit:
        url = to_visit.pop()
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None
        assert response.status == 200, url
        assert_accessible(page)
        assert_fits_width(page)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))"):
            target = urljoin(url, href).split("#")[0]
            # Pages only: the open data's CSV and JSON files are downloads, checked by their own tests.
            if target.startswith(local_stack.portal_url) and target.endswith(("/", ".html")):
                to_visit.append(target)
    assert len(seen) >= 50

    response = page.goto(local_stack.portal_url + "/no-such-page.html")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("الصفحة غير موجودة")
    assert_accessible(page)
    screenshot(page, "not-found")


@pytest.mark.parametrize("javascript", JOURNEYS)
def test_the_audit_reports_violations_seeded_into_a_page(
    local_stack: LocalStack, browser: Browser, javascript: bool
) -> None:
    """axe audits the page it is given, under the portal's Content-Security-Policy: what is wrong with
    it is reported, and the policy refuses nothing for the audit."""
    page = new_page(browser, javascript)
    page.goto(local_stack.portal_url + "/")
    assert_accessible(page)

    seed_violations(page)

    assert seeded_found(axe_violations(page)) == SEEDED_VIOLATIONS
    assert_nothing_refused_by_csp(page)


def test_the_keyboard_reaches_a_visible_skip_link_first(local_stack: LocalStack, browser: Browser) -> None:
    page = new_page(browser)
    page.goto(local_stack.portal_url)

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="انتقل إلى المحتوى الرئيسي")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor") == "rgb(255, 221, 0)"
    screenshot(page, "focus-skip-link")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "تابع حالة طلبك"
