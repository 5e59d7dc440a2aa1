"""The static portal as `make portal` builds it: every page, linked, Arabic, right to left, within budget."""

from __future__ import annotations

import hashlib
import json
import random
import re
import string
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import boto3
import pytest

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.documents import REJECTIONS_AR, UPLOAD_FORMS_PER_PAGE, DocumentStatus, Rejection
from chalicelib.portal import render
from chalicelib.portal.assets import STATIC_DIR, hashed_names
from chalicelib.services.document_checklist import DocumentState
from chalicelib.services.document_uploads import UploadBatch, UploadOutcome, UploadSlot
from portal_site.budget import BUDGET_BYTES, built_page_weights, page_weight
from portal_site.build import build
from tests.factories import CATALOGUE_DAY, submission

API = "https://api.example.test"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("portal")
    build(out, API, rollout_phase=1, today=CATALOGUE_DAY)
    return out


class _Page(HTMLParser):
    """What the tests look at in a page: its links, its h1s, its form fields' names and ids."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.h1s = 0
        self.ids: list[str] = []
        self.names: set[str] = set()
        self.forms: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"] or "")
        if tag == "h1":
            self.h1s += 1
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if tag in {"input", "textarea"} and attributes.get("name"):
            self.names.add(attributes["name"] or "")
        if tag == "form":
            self.forms.append(attributes.get("action") or "")


def parsed(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_is_built(site: Path) -> None:
    catalogue = load_catalogue(1)
    active = [district for district in catalogue.districts() if district.active]
    services = catalogue.services(on=CATALOGUE_DAY)
    expected = {"index.html", "track.html", "payment.html", "performance.html", "privacy.html"}
    expected |= {"accessibility.html", "404.html"}
    for district in active:
        expected.add(f"districts/{district.code}.html")
        for service in services:
            expected.add(f"districts/{district.code}/{service.code}.html")
            expected.add(f"districts/{district.code}/{service.code}/apply.html")
    assert {str(page.relative_to(site)) for page in pages(site)} == expected


def test_units_not_yet_online_are_listed_as_coming_soon_without_pages(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<li class="soon">الهرم <span class="tag tag-grey">قريبًا</span></li>' in home
    assert not (site / "districts" / "haram.html").exists()


def test_every_link_leads_to_a_built_page(site: Path) -> None:
    for page in pages(site):
        page_ids = set(parsed(page).ids)
        for href in parsed(page).links:
            target, _, fragment = href.partition("#")
            if not target:
                assert fragment in page_ids, f"{page}: {href} names nothing on the page"
                continue
            assert target.startswith("/"), f"{page}: {href} leaves the portal"
            built = site / (target.lstrip("/") or "index.html")
            assert built.is_file(), f"{page.relative_to(site)} links to {href}, which is not built"


def test_every_page_is_arabic_right_to_left_with_one_heading_and_a_description(site: Path) -> None:
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        assert text.startswith('<!doctype html>\n<html lang="ar" dir="rtl">'), page
        assert re.search(r'<meta name="description" content="[^"]*[\u0621-\u064a][^"]*">', text), page
        assert parsed(page).h1s == 1, page


def test_ids_are_unique_on_every_page(site: Path) -> None:
    for page in pages(site):
        ids = parsed(page).ids
        assert len(ids) == len(set(ids)), page


def test_the_form_asks_every_catalogue_field_and_posts_to_the_api(site: Path) -> None:
    service = load_catalogue(1).service("road_occupancy_new", on=CATALOGUE_DAY)
    assert service is not None
    form = parsed(site / "districts" / "warraq" / "road_occupancy_new" / "apply.html")
    assert form.forms == [f"{API}/v1/portal/applications"]
    expected = {"district_code", "service_code", "consent", "applicant.full_name", "applicant.national_id"}
    expected |= {"applicant.phone", "notify_by", *(f"details.{field.name}" for field in service.fields)}
    assert form.names == expected
    assert parsed(site / "track.html").forms == [f"{API}/v1/inquiries"]


def test_the_form_asks_how_to_be_told_with_sms_chosen_until_changed(site: Path) -> None:
    text = (site / "districts" / "dokki" / "shop_licence" / "apply.html").read_text(encoding="utf-8")
    assert re.search(r'<input type="radio" id="f-notify_by" name="notify_by" value="sms" checked>', text)
    assert 'value="voice"' in text
    assert 'value="none"' in text


def test_free_text_is_auto_directed_and_digits_left_to_right(site: Path) -> None:
    text = (site / "districts" / "dokki" / "shop_licence" / "apply.html").read_text(encoding="utf-8")
    assert re.search(r'<input[^>]*id="f-details-activity"[^>]*dir="auto"', text)
    assert re.search(r'<input[^>]*id="f-applicant-national_id"[^>]*dir="ltr"[^>]*inputmode="numeric"', text)
    # type=number would refuse Arabic-Indic digits in some browsers.
    assert 'type="number"' not in text


def test_assets_are_named_by_their_content(site: Path) -> None:
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["assets"] == hashed_names()
    for source, published in hashed_names().items():
        content = (site / "assets" / published).read_bytes()
        assert content == (STATIC_DIR / source).read_bytes()
        assert hashlib.sha256(content).hexdigest().startswith(published.split(".")[1])
    home = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="/assets/{hashed_names()["portal.css"]}"' in home
    assert f'src="/assets/{hashed_names()["portal.js"]}" defer' in home


def test_no_page_has_inline_style_or_script_which_the_portals_csp_refuses(site: Path) -> None:
    """The portal's CSP (infra/portal.yaml) lets in style and script from the portal's own files only:
    an inline <style>, style="…", <script> body or on…= handler would be refused, and the page left
    unstyled (issue 22: the performance page was) or inert. The templates cover the API's pages too."""
    inline = re.compile(r"<style\b|\sstyle=|<script\b(?![^>]*\bsrc=)|\son[a-z]+=|javascript:", re.IGNORECASE)
    pages = [*site.rglob("*.html"), *(STATIC_DIR.parent / "templates").glob("*.j2")]
    found = {str(page): inline.findall(page.read_text(encoding="utf-8")) for page in pages}
    assert {page: inlined for page, inlined in found.items() if inlined} == {}
    assert (site / "performance.html").is_file()


def test_the_stylesheet_uses_logical_properties_only() -> None:
    css = (STATIC_DIR / "portal.css").read_text(encoding="utf-8")
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right|top|bottom)\b|[{;](?:left|right|top|bottom|float)\s*:"
        r"|text-align\s*:\s*(?:left|right)|(?<![-\w])(?:width|height)\s*:",
        css,
    )
    assert physical == []


def test_no_page_asks_a_third_party_or_downloads_a_font(site: Path) -> None:
    for path in [*pages(site), *(site / "assets").iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:src|href)=\"(?:https?:)?//", text), path
        assert "@font-face" not in text
        assert "url(" not in text


def test_every_built_page_is_within_the_budget(site: Path) -> None:
    weights = built_page_weights(site)
    assert len(weights) == len(pages(site))
    assert max(weights.values()) <= BUDGET_BYTES, max(weights.items(), key=lambda item: item[1])


def test_the_pages_the_api_renders_are_within_the_budget_too(site: Path) -> None:
    catalogue = load_catalogue(1)
    district = catalogue.district("dokki")
    assert district is not None
    site_urls = render.Site(portal="http://127.0.0.1:8080", api=API)
    # The service with the most questions, every one of them answered wrongly at its longest.
    service = max(catalogue.services(on=CATALOGUE_DAY), key=lambda candidate: len(candidate.fields))
    body = submission(service.code)
    values = {f"details.{name}": "ب" * 200 for name in body["details"]}
    errors = {name: "الرقم القومي يتكون من أربعة عشر رقمًا فقط، يرجى مراجعته وإعادة إدخاله." for name in values}
    answer = {
        "tracking_number": "1234567890123",
        "submitted_at": "2026-11-27T08:00:00Z",
        "sla_due_date": "2027-01-20",
        "payment": {"reference": "123456789012301", "amount_egp": 5000, "status": "unpaid"},
    }
    inquiry = {**answer, "status": "in_review", "status_ar": "قيد الفحص", "payment_status": "paid"}
    inquiry["history"] = [{"status": "in_review", "at": "2026-11-28T08:00:00Z", "message_ar": "ب" * 300}] * 8
    # The service listing the most documents, each still to upload (a form apiece), one refused.
    most = max(catalogue.services(on=CATALOGUE_DAY), key=lambda candidate: len(candidate.documents))
    states = [DocumentState(document, DocumentStatus.AWAITING_UPLOAD, None) for document in most.documents]
    states[0] = DocumentState(most.documents[0], DocumentStatus.REJECTED, REJECTIONS_AR[Rejection.WRONG_TYPE])
    # One presigned POST per document on the upload page, as boto signs them for a Lambda role: one
    # session token (random base64, which does not compress), inside every policy as well.
    noise = random.Random(24)
    token = "".join(noise.choice(string.ascii_letters + string.digits + "+/") for _ in range(1100))
    signer = boto3.client(
        "s3",
        region_name="eu-central-1",
        aws_access_key_id="ASIA" + "X" * 16,
        aws_secret_access_key="s" * 40,
        aws_session_token=token,
    )

    def presigned() -> dict[str, Any]:
        document_id = "".join(noise.choice("0123456789abcdef") for _ in range(32))
        redirect = f"{API}/v1/requests/1234567890123/documents/{document_id}/uploaded"
        conditions: list[Any] = [["content-length-range", 1, 10 * 1024 * 1024], {"success_action_redirect": redirect}]
        form = signer.generate_presigned_post(
            Bucket="shobbak-prod-documents-123456789012", Key=f"uploads/{document_id}",
            Fields={"success_action_redirect": redirect}, Conditions=conditions, ExpiresIn=3600,
        )  # fmt: skip
        return {"url": form["url"], "fields": form["fields"]}

    slots = [UploadSlot(document, "f" * 32, presigned()) for document in most.documents]
    outcome = UploadOutcome("1234567890123", most.documents[0], "ب" * 120, 10 * 1024 * 1024,
                            DocumentStatus.REJECTED, REJECTIONS_AR[Rejection.MALWARE])  # fmt: skip
    rendered = [
        render.application_page(site_urls, district, service, values, errors),
        render.check_page(site_urls, district, service, values, "portal-" + "k" * 32),
        render.confirmation_page(site_urls, district, most, answer, states, "2349"),
        render.track_result_page(site_urls, inquiry, most.name_ar, district.name_ar, "2349", states),
        render.track_page(site_urls, {"tracking_number": "1"}, {"tracking_number": "خطأ"}),
        render.upload_page(site_urls, "1234567890123", UploadBatch(slots[:UPLOAD_FORMS_PER_PAGE], 2)),
        render.uploaded_page(site_urls, outcome, UploadBatch(slots[1 : UPLOAD_FORMS_PER_PAGE + 1], 1)),
    ]
    assert "ارفع المستندات" in rendered[3]
    assert len(most.documents) > UPLOAD_FORMS_PER_PAGE  # the catalogue's largest needs two pages
    assert rendered[5].count('type="file"') == rendered[6].count('type="file"') == UPLOAD_FORMS_PER_PAGE
    assert rendered[5].count(token) == UPLOAD_FORMS_PER_PAGE  # in each form's field (and, base64, its policy)
    for page in rendered:
        assert page_weight(page, site) <= BUDGET_BYTES


def test_the_build_reflects_the_rollout_phase(tmp_path: Path) -> None:
    build(tmp_path, API, rollout_phase=2, today=date(2026, 11, 27))
    assert (tmp_path / "districts" / "haram.html").is_file()
    assert not (tmp_path / "districts" / "awsim.html").exists()
