"""Documents online and any window, through the real local stack (moto server, chalice local, the
simulated scanner), in Debian's chromium with JavaScript switched off or on and the pages' CSP enforced
(the portal's as CloudFront sends it, the API's pages' their own).

The browser posts each file straight to the moto server's S3 with the presigned POST, is redirected
back to the API's page, and the scanner of the local stack delivers S3's and GuardDuty's events to
the application's own handlers.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.domain.staff import Role
from tests.e2e.browser import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    PHONE,
    assert_fits_width,
    assert_nothing_refused_by_csp,
    chromium,
    new_page,
    screenshot,
)
from tests.e2e.conftest import LocalStack
from tests.e2e.test_portal_browser import fill_shop_licence_form
from tests.factories import national_id, submission
from tools.local.document_scanner import EICAR
from tools.local.staff_token import local_signing_key, mint_token

pytestmark = pytest.mark.e2e

SERVICE = "demolition_licence"  # free, three documents: the owner's ID copy, the decision, a report
BUCKET = "shobbak-local-documents-123456789012"
DESKTOP = {"width": 1366, "height": 768}
SETTLE_S = 30  # how long the scanner may take to deliver its events; never a timing assertion


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert "--headless" in CHROMIUM_ARGS
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def files(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real files: a PDF printed by chromium, a JPEG it photographed, and the bad ones."""
    folder = tmp_path_factory.mktemp("files")
    page = browser.new_page()
    page.set_content('<html lang="ar" dir="rtl"><body><h1>قرار هدم نهائي رقم ١٢٣</h1></body></html>')
    made = {"pdf": folder / "decision.pdf", "jpeg": folder / "report.jpg"}
    page.pdf(path=str(made["pdf"]))
    page.screenshot(path=str(made["jpeg"]), type="jpeg")
    page.close()
    oversized = folder / "big.pdf"
    oversized.write_bytes(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n")
    renamed = folder / "photo.pdf"  # a PNG renamed .pdf
    renamed.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    eicar = folder / "eicar.pdf"  # the EICAR test file as it is published, renamed .pdf
    eicar.write_bytes(EICAR)
    disguised = folder / "report.pdf"  # EICAR behind a PDF header: only the scanner can tell
    disguised.write_bytes(b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")
    return {**made, "oversized": oversized, "renamed": renamed, "eicar": eicar, "disguised": disguised}


def no_javascript_page(browser: Browser, javascript: bool = False, viewport: dict[str, int] = PHONE) -> Page:
    # The Content-Security-Policy stays enforced, the portal's (the template's) as the API's: the
    # upload form must be allowed to post to S3.
    return new_page(browser, javascript, viewport)


def call(url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def staff(role: str, district: str | None = None, principal: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_token(local_signing_key(), Role(role), district, principal=principal)}"}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def opened_by(url: str, headers: dict[str, str]) -> tuple[int, str]:
    """The office's answer to opening a document, without following its redirect."""
    try:
        with urllib.request.build_opener(_NoRedirect).open(urllib.request.Request(url, headers=headers), timeout=30):
            pytest.fail("opening a document must answer with a redirect")
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", "")


def file_a_request(stack: LocalStack) -> str:
    status, filed = call(f"{stack.api_url}/v1/requests", submission(SERVICE, "dokki"))
    assert status == 201, filed
    return filed["tracking_number"]


def open_track_page(page: Page, stack: LocalStack, tracking_number: str) -> None:
    page.goto(f"{stack.portal_url}/track.html")
    page.get_by_label("رقم المتابعة").fill(tracking_number)
    page.get_by_label("آخر أربعة أرقام من الرقم القومي").fill(national_id()[-4:])
    page.get_by_role("button", name="اعرض حالة الطلب").click()
    expect(page.get_by_role("heading", name="المستندات المطلوبة")).to_be_visible()


def upload(page: Page, document_name: str, type_label: str, file: Path, shot: str) -> None:
    """From a page listing the documents: choose the type, then the file, and send it to S3."""
    item = page.get_by_role("listitem").filter(has_text=document_name)
    item.get_by_label("نوع الملف").select_option(label=type_label)
    item.get_by_role("button", name="التالي: اختيار الملف").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"ارفع: {document_name}")
    assert_fits_width(page)
    screenshot(page, f"documents-{shot}-1-choose")
    page.get_by_label("الملف").set_input_files(str(file))
    page.get_by_role("button", name="أرسل الملف").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("استلمنا المستند")
    assert document_name in page.content()
    assert_fits_width(page)
    assert_nothing_refused_by_csp(page)
    screenshot(page, f"documents-{shot}-2-received")


def documents_seen_by(stack: LocalStack, headers: dict[str, str], tracking_number: str) -> dict[str, Any]:
    status, seen = call(f"{stack.api_url}/v1/office/requests/{tracking_number}", headers=headers)
    assert status == 200, seen
    return seen


def settled(stack: LocalStack, tracking_number: str, count: int) -> list[dict[str, Any]]:
    """The office's list once `count` uploads have their verdicts (the scanner runs on its own)."""
    officer = staff("officer", "dokki")
    deadline = time.monotonic() + SETTLE_S
    while True:
        documents = documents_seen_by(stack, officer, tracking_number)["documents"]
        decided = [entry for entry in documents if entry["status"] in ("clean", "rejected")]
        if len(decided) >= count or time.monotonic() > deadline:
            return documents
        time.sleep(0.5)


def names(stack: LocalStack) -> dict[str, str]:
    status, answer = call(f"{stack.api_url}/v1/services?district=dokki")
    assert status == 200
    documents = next(service for service in answer["services"] if service["code"] == SERVICE)["documents"]
    return {document["code"]: document["name_ar"] for document in documents}


def test_a_pdf_and_a_jpeg_uploaded_without_javascript_open_for_an_officer(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path]
) -> None:
    tracking_number = file_a_request(local_stack)
    by_code = names(local_stack)
    page = no_javascript_page(browser)
    open_track_page(page, local_stack, tracking_number)
    screenshot(page, "documents-0-track")

    upload(page, by_code["demolition_decision"], "PDF", files["pdf"], "pdf")
    open_track_page(page, local_stack, tracking_number)
    upload(page, by_code["structural_engineer_report"], "صورة JPEG", files["jpeg"], "jpeg")

    documents = settled(local_stack, tracking_number, 2)
    assert sorted((entry["document"], entry["status"]) for entry in documents) == [
        ("demolition_decision", "clean"),
        ("structural_engineer_report", "clean"),
    ]
    open_track_page(page, local_stack, tracking_number)
    listed = page.get_by_role("listitem").filter(has_text=by_code["demolition_decision"])
    expect(listed).to_contain_text("وصل وقُبل")
    expect(listed.get_by_role("button")).to_have_count(0)  # nothing more to upload for it
    screenshot(page, "documents-3-track-after")

    officer = staff("officer", "dokki", principal="officer-e2e")
    for entry, original in zip(sorted(documents, key=lambda e: e["document"]), ("pdf", "jpeg"), strict=True):
        status, link = opened_by(
            f"{local_stack.api_url}/v1/office/requests/{tracking_number}/documents/{entry['document_id']}", officer
        )
        assert status == 303
        assert "X-Amz-Expires=300" in link
        with urllib.request.urlopen(link, timeout=30) as document:
            assert document.read() == files[original].read_bytes()
    history = documents_seen_by(local_stack, officer, tracking_number)["history"]
    assert [entry["event"] for entry in history][-2:] == ["document_opened", "document_opened"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1366"])
def test_with_javascript_the_same_forms_upload_the_same_way(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], viewport: dict[str, int]
) -> None:
    """Under the CSP CloudFront sends: the portal's script sends the track form with fetch, but lets
    the browser go to the API's own upload page, whose policy (not the portal's) names the bucket."""
    tracking_number = file_a_request(local_stack)
    page = no_javascript_page(browser, javascript=True, viewport=viewport)
    open_track_page(page, local_stack, tracking_number)
    assert page.url == f"{local_stack.portal_url}/track.html"  # the script answered the form in place

    upload(page, names(local_stack)["demolition_decision"], "PDF", files["pdf"], f"with-js-{viewport['width']}")

    assert [entry["status"] for entry in settled(local_stack, tracking_number, 1)] == ["clean"]


@pytest.mark.parametrize(
    ("file", "rejection_ar"),
    [
        ("oversized", "أكبر من 10 ميجابايت"),
        ("renamed", "ليس PDF أو صورة JPEG أو PNG"),
        ("eicar", "ليس PDF أو صورة JPEG أو PNG"),
        ("disguised", "ما يضر"),
    ],
)
def test_a_bad_file_sent_without_javascript_is_rejected_and_never_opens(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], file: str, rejection_ar: str
) -> None:
    tracking_number = file_a_request(local_stack)
    decision = names(local_stack)["demolition_decision"]
    page = no_javascript_page(browser)
    open_track_page(page, local_stack, tracking_number)

    upload(page, decision, "PDF", files[file], f"bad-{file}")

    documents = settled(local_stack, tracking_number, 1)
    assert [entry["status"] for entry in documents] == ["rejected"]
    status, _ = opened_by(
        f"{local_stack.api_url}/v1/office/requests/{tracking_number}/documents/{documents[0]['document_id']}",
        staff("manager", "dokki"),
    )
    assert status == 409
    open_track_page(page, local_stack, tracking_number)
    listed = page.get_by_role("listitem").filter(has_text=decision)
    expect(listed).to_contain_text(rejection_ar)
    expect(listed.get_by_role("button", name="التالي: اختيار الملف")).to_be_visible()  # it may be sent again
    screenshot(page, f"documents-bad-{file}-3-track")


def test_the_confirmation_page_offers_each_document_for_upload(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path]
) -> None:
    page = no_javascript_page(browser)
    page.goto(local_stack.portal_url)
    page.get_by_role("link", name="الدقي").click()
    page.get_by_role("link", name="ترخيص محل عام").click()
    page.get_by_role("button", name=re.compile("ابدأ الآن")).click()
    fill_shop_licence_form(page)
    page.get_by_role("button", name="متابعة").click()
    page.get_by_role("button", name="تأكيد وإرسال الطلب").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تم إرسال طلبك")
    expect(page.get_by_role("heading", name="المستندات المطلوبة")).to_be_visible()
    expect(page.get_by_role("button", name="التالي: اختيار الملف")).to_have_count(4)
    screenshot(page, "documents-confirmation")

    upload(page, "عقد ملكية المحل أو عقد الإيجار", "PDF", files["pdf"], "from-confirmation")


def test_any_window_intake_then_a_transfer_end_to_end_with_the_printed_receipt(
    local_stack: LocalStack, browser: Browser
) -> None:
    body = submission("shop_licence", "dokki")
    body["documents_received"] = [0]

    status, filed = call(
        f"{local_stack.api_url}/v1/office/requests", body, staff("clerk", "warraq", principal="clerk-warraq-e2e")
    )

    assert status == 201, filed
    tracking_number = filed["tracking_number"]
    receipt = browser.new_page()
    receipt.set_content(filed["receipt_html"])
    expect(receipt.get_by_text("محافظة الجيزة — الوراق — الشباك الواحد")).to_be_visible()
    expect(receipt.locator("dd", has_text="شباك الوراق")).to_be_visible()
    expect(receipt.locator("dd", has_text="الدقي (يُفحص الطلب هناك")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    receipt.pdf(path=str(ARTIFACTS / "window-receipt.pdf"))
    receipt.screenshot(path=str(ARTIFACTS / "window-receipt.png"), full_page=True)
    receipt.close()

    seen = documents_seen_by(local_stack, staff("officer", "dokki"), tracking_number)
    assert (seen["district_code"], seen["filed_at_office"]) == ("dokki", "warraq")
    assert [entry["status"] for entry in seen["documents"]] == ["received_at_window"]

    status, moved = call(
        f"{local_stack.api_url}/v1/office/requests/{tracking_number}/transfer",
        {"to_district": "omraniya", "reason": "العنوان في نطاق حي العمرانية", "version": seen["version"]},
        staff("hq", principal="hq-e2e"),
    )
    assert status == 200, moved
    assert (moved["district_code"], moved["history"][-1]["event"]) == ("omraniya", "transferred")
    status, queue = call(f"{local_stack.api_url}/v1/office/requests?status=awaiting_payment",
                         headers=staff("officer", "omraniya"))  # fmt: skip
    assert tracking_number in [entry["tracking_number"] for entry in queue["requests"]]
    assert (
        call(f"{local_stack.api_url}/v1/office/requests/{tracking_number}", headers=staff("officer", "dokki"))[0] == 404
    )

    # The citizen's phone (the local inbox) gets the news.
    deadline, page = time.monotonic() + SETTLE_S, ""
    while time.monotonic() < deadline and "إلى العمرانية للفحص" not in page:
        with urllib.request.urlopen(local_stack.inbox_url, timeout=10) as response:
            page = response.read().decode()
        time.sleep(0.5)
    assert "إلى العمرانية للفحص" in page


def test_with_javascript_the_type_follows_the_chosen_file_and_the_track_form_is_filled_in_again(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path]
) -> None:
    """A phone photo sent where PDF was left chosen: the page reads the file's first bytes, gets a form
    for a JPEG from the API, and sends it; back on the track page, nothing is typed again."""
    tracking_number = file_a_request(local_stack)
    decision = names(local_stack)["demolition_decision"]
    page = no_javascript_page(browser, javascript=True)
    open_track_page(page, local_stack, tracking_number)
    item = page.get_by_role("listitem").filter(has_text=decision)
    expect(item.get_by_label("نوع الملف")).to_have_value("application/pdf")
    item.get_by_role("button", name="التالي: اختيار الملف").click()

    page.get_by_label("الملف").set_input_files(str(files["jpeg"]))
    expect(page.locator("[data-type-name]")).to_have_text("JPEG")
    page.get_by_role("button", name="أرسل الملف").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("استلمنا المستند")
    assert_nothing_refused_by_csp(page)
    assert [entry["status"] for entry in settled(local_stack, tracking_number, 1)] == ["clean"]
    page.get_by_role("link", name="متابعة الطلب ورفع باقي المستندات").click()
    expect(page.get_by_label("رقم المتابعة")).to_have_value(tracking_number)
    expect(page.get_by_label("آخر أربعة أرقام من الرقم القومي")).to_have_value(national_id()[-4:])
    page.get_by_role("button", name="اعرض حالة الطلب").click()
    expect(page.get_by_role("listitem").filter(has_text=decision)).to_contain_text("وصل وقُبل")


@pytest.mark.parametrize(("file", "said"), [("oversized", "الملف أكبر من 10 ميجابايت."),
                                            ("eicar", "يُقبل ملف PDF أو صورة JPEG أو PNG فقط.")])  # fmt: skip
def test_with_javascript_a_file_that_cannot_pass_is_not_sent(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], file: str, said: str
) -> None:
    tracking_number = file_a_request(local_stack)
    page = no_javascript_page(browser, javascript=True)
    open_track_page(page, local_stack, tracking_number)
    item = page.get_by_role("listitem").filter(has_text=names(local_stack)["demolition_decision"])
    item.get_by_role("button", name="التالي: اختيار الملف").click()

    page.get_by_label("الملف").set_input_files(str(files[file]))
    expect(page.locator("#file-error")).to_have_text(f"خطأ: {said}")
    page.get_by_role("button", name="أرسل الملف").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^ارفع: "))
    assert settled(local_stack, tracking_number, 0) == []
