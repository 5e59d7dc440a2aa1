"""The track result page in each status, as chromium draws it at 360 and 1280 px: what the citizen
must do now is in view without scrolling, nothing sticks out sideways, axe finds nothing, and a
screenshot of each is kept in test-artifacts/portal/ (track-<status>-<width>.png) to be looked at.

No stack is needed: the page is rendered as the API renders it, and served beside the portal's
stylesheet and script by a small local server."""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.domain.documents import REJECTIONS_AR, DocumentStatus, Rejection
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.portal import render
from chalicelib.portal.assets import ASSET_DIR, STATIC_DIR, hashed_names
from chalicelib.services.document_checklist import DocumentState
from chalicelib.services.inquiry import FeeDue
from tests.e2e.browser import assert_accessible, assert_fits_width, new_page, screenshot
from tests.factories import CATALOGUE_DAY

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WIDTHS = {"360": {"width": 360, "height": 640}, "1280": {"width": 1280, "height": 800}}
ASKED = "صورة عقد الإيجار غير واضحة: ارفع صورة أوضح للصفحة الأولى، وصورة للصفحة التي فيها توقيع المالك."
REFUSED = "النشاط المطلوب غير مسموح به في هذا الشارع وفق قرار التخطيط."


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A local origin serving the assets under /assets/ and the pages written into its folder."""
    root = tmp_path_factory.mktemp("track-pages")
    (root / ASSET_DIR.strip("/")).mkdir()
    for source, name in hashed_names().items():
        shutil.copyfile(STATIC_DIR / source, root / ASSET_DIR.strip("/") / name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()


def _history(*steps: tuple[str, str | None]) -> list[dict[str, str]]:
    entries = []
    for day, (status, message) in enumerate(steps):
        entry = {"status": status, "at": (NOW - timedelta(days=len(steps) - day)).isoformat().replace("+00:00", "Z")}
        if message:
            entry["message_ar"] = message
        entries.append(entry)
    return entries


def _page(portal: str, status: str, steps: tuple[tuple[str, str | None], ...], fee: FeeDue | None = None,
          documents: tuple[DocumentStatus, ...] = ()) -> str:  # fmt: skip
    catalogue = load_catalogue(1)
    service = catalogue.service("shop_licence", on=CATALOGUE_DAY)
    district = catalogue.district("dokki")
    assert service is not None
    assert district is not None
    payment = {"awaiting_payment": "unpaid"}.get(status, "paid")
    result = {
        "tracking_number": "1234567890123",
        "status": status,
        "status_ar": STATUS_NAMES_AR[Status(status)],
        "service_code": service.code,
        "district_code": district.code,
        "submitted_at": "2026-11-24T08:00:00Z",
        "sla_due_date": "2026-12-20",
        "payment_status": payment,
        "history": _history(*steps),
    }
    states = [
        DocumentState(
            document, shown, REJECTIONS_AR[Rejection.WRONG_TYPE] if shown is DocumentStatus.REJECTED else None
        )
        for document, shown in zip(service.documents, documents, strict=False)
    ]
    site = render.Site(portal=portal, api="http://api.test")
    return render.track_result_page(site, result, service.name_ar, district.name_ar, "2349", states, fee, NOW)


FEE = FeeDue(reference="123456789012301", amount_egp=750, expires_at=NOW + timedelta(days=5, hours=3, minutes=5))
PAID = (("awaiting_payment", None), ("in_review", None))
PAGES: dict[str, Any] = {
    "awaiting_payment": lambda portal: _page(portal, "awaiting_payment", PAID[:1], FEE),
    "awaiting_payment-expired": lambda portal: _page(
        portal, "awaiting_payment", PAID[:1], FeeDue(FEE.reference, 750, NOW - timedelta(hours=1))
    ),
    "in_review": lambda portal: _page(portal, "in_review", PAID),
    "needs_info": lambda portal: _page(
        portal,
        "needs_info",
        (*PAID, ("needs_info", ASKED)),
        documents=(DocumentStatus.REJECTED, DocumentStatus.CLEAN, DocumentStatus.AWAITING_UPLOAD),
    ),
    "approved": lambda portal: _page(portal, "approved", (*PAID, ("approved", None))),
    "ready": lambda portal: _page(
        portal,
        "ready",
        (*PAID, ("approved", None), ("ready", None)),
        documents=(DocumentStatus.CLEAN, DocumentStatus.CLEAN, DocumentStatus.RECEIVED_AT_WINDOW),
    ),
    "rejected": lambda portal: _page(portal, "rejected", (*PAID, ("rejected", REFUSED))),
}


def _open(browser: Browser, portal: tuple[str, Path], name: str, html: str, width: str, javascript: bool) -> Page:
    origin, root = portal
    (root / f"{name}.html").write_text(html, encoding="utf-8")
    page = new_page(browser, javascript, viewport=WIDTHS[width])
    page.goto(f"{origin}/{name}.html")
    return page


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("status", list(PAGES))
def test_what_to_do_now_is_in_view_first(browser: Browser, portal: tuple[str, Path], status: str, width: str) -> None:
    # The page is the same with JavaScript or without: one width is drawn with it, the other without.
    page = _open(browser, portal, status, PAGES[status](portal[0]), width, javascript=width == "360")
    next_step = page.locator(".next")
    box = next_step.bounding_box()
    heading = next_step.locator("h2").bounding_box()
    assert box is not None
    assert heading is not None
    # Its heading is on the first screen, below the status alone.
    assert heading["y"] + heading["height"] <= WIDTHS[width]["height"], status
    if status in ("awaiting_payment", "ready"):  # everything it asks is in view at once
        assert box["y"] + box["height"] <= WIDTHS[width]["height"] * 1.5, (status, box)
    assert_fits_width(page)
    assert_accessible(page)
    screenshot(page, f"track-{status}-{width}")


@pytest.mark.parametrize("status", ["awaiting_payment", "needs_info", "ready"])
def test_the_track_result_scores_100_in_lighthouse(portal: tuple[str, Path], status: str) -> None:
    """Its accessibility, best practices and SEO, as tests/e2e/test_lighthouse.py asks of the static pages
    (the result page answers a form, so it is audited here, rendered as the API renders it)."""
    from tools.testing.lighthouse import CHECKS, audit

    origin, root = portal
    (root / f"lighthouse-{status}.html").write_text(PAGES[status](origin), encoding="utf-8")

    scores = audit(f"{origin}/lighthouse-{status}.html", CHECKS)

    assert scores == {
        "accessibility": 100,
        "best-practices": 100,
        "seo": 100,
    }
