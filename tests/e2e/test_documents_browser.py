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
from pathlib import Path
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from chalicelib.domain.staff import Role
from tests.e2e.browser import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    PHONE,
    assert_fits_width,
    assert_nothing_refused_by_csp,
    new_page,
    screenshot,
)
from tests.e2e.stack import LocalStack
from tests.e2e.test_portal_browser import fill_shop_licence_form
from tests.factories import national_id, submission
from tools.local.document_scanner import EICAR
from tools.local.staff_token import local_signing_key, mint_token

pytestmark = pytest.mark.e2e

SERVICE = "demolition_licence"  # free, three documents: the owner's ID copy, the decision, a report
BUCKET = "shobbak-local-documents-123456789012"
DESKTOP = {"width": 1280, "height": 800}
LARGEST = "road_occupancy_renewal"  # six documents: more than one page of forms (UPLOAD_FORMS_PER_PAGE)
SETTLE_S = 30  # how long the scanner may take to deliver its events; never a timing assertion


@pytest.fixture(scope="module")
def files(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Real files: a PDF printed by chromium, a JPEG and a PNG it photographed, and the bad ones."""
    assert "--headless" in CHROMIUM_ARGS  # chromium prints a PDF only headless
    folder = tmp_path_factory.mktemp("files")
    page = browser.new_page()
    page.set_content('<html lang="ar" dir="rtl"><body><h1>قرار هدم نهائي رقم ١٢٣</h1></body></html>')
    made = {"pdf": folder / "decision.pdf", "jpeg": folder / "report.jpg"}
    page.pdf(path=str(made["pdf"]))
    page.screenshot(path=str(made["jpeg"]), type="jpeg")
    page.close()
    oversized = folder / "big.pdf"
    oversized.write_bytes(b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"\n%%EOF\n")
    renamed = folder / "notes.pdf"  # a text file renamed .pdf
    renamed.write_text("ملاحظات المهندس، مكتوبة نصًا\n", encoding="utf-8")
    png = folder / "plan.png"
    page = browser.new_page()
    page.set_content('<html lang="ar" dir="rtl"><body><h1>رسم الموقع</h1></body></html>')
    page.screenshot(path=str(png))
    page.close()
    eicar = folder / "eicar.pdf"  # the EICAR test file as it is published, renamed .pdf
    eicar.write_bytes(EICAR)
    disguised = folder / "report.pdf"  # EICAR behind a PDF header: only the scanner can tell
    disguised.write_bytes(b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")
    return {**made, "png": png, "oversized": oversized, "renamed": renamed, "eicar": eicar, "disguised": disguised}


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


def file_a_request(stack: LocalStack, service: str = SERVICE) -> str:
    status, filed = call(f"{stack.api_url}/v1/requests", submission(service, "dokki"))
    assert status == 201, filed
    return filed["tracking_number"]


def open_track_page(page: Page, stack: LocalStack, tracking_number: str) -> None:
    page.goto(f"{stack.portal_url}/track.html")
    page.get_by_label("رقم المتابعة").fill(tracking_number)
    page.get_by_label("آخر أربعة أرقام من الرقم القومي").fill(national_id()[-4:])
    page.get_by_role("button", name="اعرض حالة الطلب").click()
    expect(page.get_by_role("heading", name="المستندات المطلوبة")).to_be_visible()


def open_upload_page(page: Page, stack: LocalStack, tracking_number: str, shot: str) -> None:
    """From the track page: «ارفع المستندات», the digits carried, to the API's upload page."""
    open_track_page(page, stack, tracking_number)
    page.get_by_role("button", name="ارفع المستندات").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ارفع المستندات")
    assert_fits_width(page)
    assert_nothing_refused_by_csp(page)
    screenshot(page, f"documents-{shot}-upload")


def page_loads(page: Page) -> list[str]:
    """Every page the tab loads from now on (a script's fetch is not one)."""
    loaded: list[str] = []
    page.on("framenavigated", lambda frame: loaded.append(frame.url) if frame == page.main_frame else None)
    return loaded


def send_each_without_javascript(page: Page, files: list[Path]) -> None:
    """Each file through the first form shown, back on the page S3 returns to, which shows the others."""
    for file in files:
        form = page.locator("form[data-upload]").first
        name = form.locator("label").inner_text()
        form.locator("input[type=file]").set_input_files(str(file))
        form.get_by_role("button", name="أرسل هذا الملف").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("استلمنا المستند")
        expect(page.locator("[data-arrived]")).to_contain_text(name)
        assert_nothing_refused_by_csp(page)


def send_chosen_with_javascript(page: Page, files: list[Path]) -> None:
    """A file chosen for every form shown, all sent by one press, without leaving the page."""
    forms = page.locator("form[data-upload]")
    expect(forms).to_have_count(len(files))
    for at, file in enumerate(files):
        forms.nth(at).locator("input[type=file]").set_input_files(str(file))
    expect(page.get_by_role("button", name="أرسل هذا الملف")).to_have_count(0)  # hidden: one press sends all
    page.get_by_role("button", name="أرسل الملفات المختارة").click()
    sent_note = f"استلمنا {len(files)} من {len(files)}"  # each file and its slot's page, in turn
    expect(page.locator("[data-sent-note]")).to_contain_text(sent_note, timeout=SETTLE_S * 1000)
    assert_nothing_refused_by_csp(page)


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


def names(stack: LocalStack, service: str = SERVICE) -> dict[str, str]:
    status, answer = call(f"{stack.api_url}/v1/services?district=dokki")
    assert status == 200
    documents = next(listed for listed in answer["services"] if listed["code"] == service)["documents"]
    return {document["code"]: document["name_ar"] for document in documents}


def officer_opens(stack: LocalStack, tracking_number: str, entry: dict[str, Any]) -> bytes:
    officer = staff("officer", "dokki", principal="officer-e2e")
    status, link = opened_by(f"{stack.api_url}/v1/office/requests/{tracking_number}/documents/{entry['document_id']}",
                             officer)  # fmt: skip
    assert status == 303
    assert "X-Amz-Expires=300" in link
    with urllib.request.urlopen(link, timeout=30) as document:
        return document.read()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_without_javascript_every_document_goes_from_one_proof_a_load_apiece(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], viewport: dict[str, int]
) -> None:
    """The digits typed once; then each file from the page S3 returns to, which shows the others. A
    phone photo, sent with no type chosen, is kept as the JPEG it is."""
    tracking_number = file_a_request(local_stack)
    by_code = names(local_stack)
    page = no_javascript_page(browser, viewport=viewport)
    open_track_page(page, local_stack, tracking_number)
    loaded = page_loads(page)
    page.get_by_role("button", name="ارفع المستندات").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ارفع المستندات")
    expect(page.locator("form[data-upload] label")).to_have_text(list(by_code.values()))
    expect(page.get_by_label("نوع الملف")).to_have_count(0)  # no type asked: the file's bytes say it
    assert_fits_width(page)
    screenshot(page, f"documents-upload-{viewport['width']}")

    send_each_without_javascript(page, [files["pdf"], files["jpeg"], files["png"]])

    expect(page.locator("form[data-upload]")).to_have_count(0)
    assert len(loaded) == 1 + len(by_code)  # the upload page, then S3's return page per document
    assert_fits_width(page)
    screenshot(page, f"documents-upload-{viewport['width']}-done")
    documents = settled(local_stack, tracking_number, 3)
    assert sorted((entry["document"], entry["status"]) for entry in documents) == [
        (code, "clean") for code in sorted(by_code)
    ]
    photo = next(entry for entry in documents if entry["document"] == list(by_code)[1])
    assert officer_opens(local_stack, tracking_number, photo) == files["jpeg"].read_bytes()
    open_track_page(page, local_stack, tracking_number)
    for name in by_code.values():
        expect(page.get_by_role("listitem").filter(has_text=name)).to_contain_text("وصل وقُبل")
    expect(page.get_by_role("button", name="ارفع المستندات")).to_have_count(0)  # nothing more to upload


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_with_javascript_every_chosen_file_goes_from_the_one_page_without_leaving_it(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], viewport: dict[str, int]
) -> None:
    """Under the CSP CloudFront sends: the portal's script answers the track form in place, lets the
    browser go to the API's upload page (whose policy, not the portal's, names the bucket), and
    upload.js sends the chosen files in turn; back on the track page, nothing is typed again."""
    tracking_number = file_a_request(local_stack)
    by_code = names(local_stack)
    page = no_javascript_page(browser, javascript=True, viewport=viewport)
    open_track_page(page, local_stack, tracking_number)
    assert page.url == f"{local_stack.portal_url}/track.html"  # the script answered the form in place
    loaded = page_loads(page)
    page.get_by_role("button", name="ارفع المستندات").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ارفع المستندات")
    upload_url = page.url

    send_chosen_with_javascript(page, [files["pdf"], files["jpeg"], files["png"]])

    assert (page.url, len(loaded)) == (upload_url, 1)  # one page load for every document
    expect(page.locator("[data-received] p")).to_have_text([f"استلمنا: {name}" for name in by_code.values()])
    assert_fits_width(page)
    screenshot(page, f"documents-with-js-{viewport['width']}-sent")
    documents = settled(local_stack, tracking_number, 3)
    assert sorted(entry["status"] for entry in documents) == ["clean"] * 3
    page.get_by_role("link", name="عودة إلى متابعة الطلب").click()
    expect(page.get_by_label("رقم المتابعة")).to_have_value(tracking_number)
    expect(page.get_by_label("آخر أربعة أرقام من الرقم القومي")).to_have_value(national_id()[-4:])
    page.get_by_role("button", name="اعرض حالة الطلب").click()
    expect(page.get_by_role("listitem").filter(has_text=by_code["demolition_decision"])).to_contain_text("وصل وقُبل")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_more_documents_than_a_page_holds_come_after_the_first_are_sent(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], viewport: dict[str, int], javascript: bool
) -> None:
    from chalicelib.domain.documents import UPLOAD_FORMS_PER_PAGE

    tracking_number = file_a_request(local_stack, LARGEST)
    listed = list(names(local_stack, LARGEST).values())
    waiting = len(listed) - UPLOAD_FORMS_PER_PAGE
    page = no_javascript_page(browser, javascript=javascript, viewport=viewport)
    open_track_page(page, local_stack, tracking_number)
    loaded = page_loads(page)
    page.get_by_role("button", name="ارفع المستندات").click()
    expect(page.locator("form[data-upload] label")).to_have_text(listed[:UPLOAD_FORMS_PER_PAGE])
    expect(page.locator("[data-waiting]")).to_contain_text(f"وعددها {waiting}")
    assert_fits_width(page)
    screenshot(page, f"documents-largest-{'js' if javascript else 'no-js'}-{viewport['width']}")
    photos = [files["jpeg"], files["pdf"], files["png"], files["jpeg"], files["pdf"], files["jpeg"]]

    if javascript:
        send_chosen_with_javascript(page, photos[:UPLOAD_FORMS_PER_PAGE])
        expect(page.locator("form[data-upload] label")).to_have_text(listed[UPLOAD_FORMS_PER_PAGE:])
        expect(page.locator("[data-waiting]")).to_have_count(0)
        screenshot(page, f"documents-largest-js-{viewport['width']}-next")
        send_chosen_with_javascript(page, photos[UPLOAD_FORMS_PER_PAGE:])
        assert len(loaded) == 1
    else:
        send_each_without_javascript(page, photos)
        assert len(loaded) == 1 + len(listed)

    expect(page.locator("form[data-upload]")).to_have_count(0)
    assert sorted(entry["status"] for entry in settled(local_stack, tracking_number, len(listed))) == ["clean"] * 6


@pytest.mark.parametrize(
    ("file", "rejection_ar"),
    [
        ("oversized", "الملف أكبر من 10 ميجابايت."),
        ("renamed", "الملف ليس PDF أو صورة JPEG أو PNG."),
        ("eicar", "الملف ليس PDF أو صورة JPEG أو PNG."),
        ("disguised", "ما يضر"),
    ],
)
def test_a_bad_file_sent_without_javascript_is_rejected_and_never_opens(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], file: str, rejection_ar: str
) -> None:
    """The server's checks, whatever the browser let through: a text file renamed .pdf is no PDF."""
    tracking_number = file_a_request(local_stack)
    decision = names(local_stack)["demolition_decision"]
    page = no_javascript_page(browser)
    open_upload_page(page, local_stack, tracking_number, f"bad-{file}")

    form = page.locator("form[data-upload]").filter(has_text=decision)
    form.locator("input[type=file]").set_input_files(str(files[file]))
    form.get_by_role("button", name="أرسل هذا الملف").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("استلمنا المستند")

    documents = settled(local_stack, tracking_number, 1)
    assert [(entry["status"], entry["rejection"]) for entry in documents] == [
        ("rejected", {"oversized": "too_large", "disguised": "malware"}.get(file, "wrong_type"))
    ]
    status, _ = opened_by(
        f"{local_stack.api_url}/v1/office/requests/{tracking_number}/documents/{documents[0]['document_id']}",
        staff("manager", "dokki"),
    )
    assert status == 409
    open_track_page(page, local_stack, tracking_number)
    listed = page.get_by_role("listitem").filter(has_text=decision)
    expect(listed).to_contain_text(rejection_ar)
    page.get_by_role("button", name="ارفع المستندات").click()  # it may be sent again
    expect(page.locator("form[data-upload] label", has_text=decision)).to_have_count(1)
    screenshot(page, f"documents-bad-{file}-again")


@pytest.mark.parametrize(("file", "said"), [("oversized", "الملف أكبر من 10 ميجابايت."),
                                            ("renamed", "يُقبل ملف PDF أو صورة JPEG أو PNG فقط."),
                                            ("eicar", "يُقبل ملف PDF أو صورة JPEG أو PNG فقط.")])  # fmt: skip
def test_with_javascript_a_file_that_cannot_pass_is_not_sent(
    local_stack: LocalStack, browser: Browser, files: dict[str, Path], file: str, said: str
) -> None:
    tracking_number = file_a_request(local_stack)
    page = no_javascript_page(browser, javascript=True)
    open_upload_page(page, local_stack, tracking_number, f"js-bad-{file}")
    form = page.locator("form[data-upload]").filter(has_text=names(local_stack)["demolition_decision"])

    form.locator("input[type=file]").set_input_files(str(files[file]))
    expect(form.locator(".error-message")).to_have_text(f"خطأ: {said}")
    page.get_by_role("button", name="أرسل الملفات المختارة").click()

    expect(form.locator(".error-message")).to_have_text(f"خطأ: {said}")
    expect(page.locator("[data-sent-note]")).to_contain_text("استلمنا 0 من 1")
    assert settled(local_stack, tracking_number, 0) == []


def test_the_confirmation_page_offers_the_upload_page(
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
    screenshot(page, "documents-confirmation")

    page.get_by_role("button", name="ارفع المستندات").click()
    expect(page.locator("form[data-upload]")).to_have_count(4)
    send_each_without_javascript(page, [files["pdf"]])
    expect(page.locator("form[data-upload]")).to_have_count(3)


def test_lighthouse_scores_the_upload_page_100(local_stack: LocalStack) -> None:
    """The upload page as S3's return page shows it (a GET, which Lighthouse can load): the same
    forms, script and stylesheet as the page the proof opens, with several documents."""
    from urllib.parse import urlencode

    from tools.testing.lighthouse import audit

    tracking_number = file_a_request(local_stack, LARGEST)
    form = urllib.request.Request(f"{local_stack.api_url}/v1/requests/{tracking_number}/documents",
                                  data=urlencode({"national_id_last4": national_id()[-4:]}).encode())  # fmt: skip
    with urllib.request.urlopen(form, timeout=30) as answer:
        page = answer.read().decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)[:8])
    fields = {name: value.replace("&amp;", "&") for name, value in fields.items()}
    assert "policy" in fields
    action = re.search(r'<form method="post" action="([^"]+)" enctype', page).group(1)  # type: ignore[union-attr]
    requests.post(action, data=fields, files={"file": ("scan.pdf", b"%PDF-1.4\n%%EOF\n")}, allow_redirects=False,
                  timeout=30)  # fmt: skip

    scores = audit(fields["success_action_redirect"])

    # Performance is a timing: reported (test-artifacts/portal/lighthouse-upload.json), not asserted.
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "lighthouse-upload.json").write_text(json.dumps(scores), encoding="utf-8")
    assert {name: scores[name] for name in ("accessibility", "best-practices", "seo")} == {
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }


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
    page = local_stack.inbox_once_it_holds("إلى العمرانية للفحص", within_s=SETTLE_S)
    assert "إلى العمرانية للفحص" in page
