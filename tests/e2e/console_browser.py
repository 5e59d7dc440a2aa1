"""The office console in chromium: signing a member of staff in through the local staff pool, and
what every console page must be (issue 21, section 6). The tests of each role's day use these.

A page's checks: axe-clean, nothing refused by the CSP, its gzipped size recorded (at most 14 KB),
a visible focus on everything Tab reaches, targets of at least 24 px, no sideways scroll at 200%
zoom; and its screenshots at 1366x768, 360 px and 200% under test-artifacts/console/.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect

from chalicelib.domain.staff import Role
from tests.e2e.browser import assert_accessible, assert_fits_width, assert_nothing_refused_by_csp, new_page
from tests.e2e.stack import PROJECT, LocalStack
from tools.local.staff_pool import account_email, local_staff_password, totp_code

ARTIFACTS = PROJECT / "test-artifacts" / "console"
OFFICE_PC = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 640}
ZOOMED = {"width": 683, "height": 384}  # 1366x768 at 200%: half the CSS pixels, each drawn twice
GZIPPED_LIMIT = 14 * 1024
MIN_TARGET_PX = 24
TAB_STOPS_CHECKED = 12
# Counts pointer presses across the tab's pages (sessionStorage outlives a same-origin navigation):
# a keyboard never makes a pointerdown, even when Enter or Space "clicks" a button.
POINTER_COUNTER = """
addEventListener("pointerdown", (event) => {
  if (event.isTrusted) sessionStorage.setItem("pointer", String(Number(sessionStorage.getItem("pointer") || 0) + 1));
}, true);
"""


SignIn = Callable[..., Page]


@pytest.fixture(scope="module")
def sizes(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Each page's gzipped size, written at the module's end to test-artifacts/console/<name>.json,
    the name the module gives as GZIPPED_SIZES."""
    measured: dict[str, Any] = {}
    yield measured
    record(request.module.GZIPPED_SIZES, measured)


@pytest.fixture
def pages() -> Iterator[list[Page]]:
    """The pages a test opened, their contexts closed after it."""
    opened: list[Page] = []
    yield opened
    for page in opened:
        page.context.close()


@pytest.fixture
def signed_in(browser: Browser, local_stack: LocalStack, pages: list[Page]) -> SignIn:
    """Signs a member of staff of a role (and district) in, in a context of their own: `signed_in(role,
    district=None, javascript=True)` gives their page."""

    def sign_in_as(role: Role, district: str | None = None, javascript: bool = True) -> Page:
        page = signed_in_page(browser, local_stack, role, district, javascript)
        pages.append(page)
        return page

    return sign_in_as


def console_url(stack: LocalStack, path: str = "") -> str:
    """The console behind the portal's origin, as CloudFront serves /v1/ beside the portal."""
    return f"{stack.portal_url}/v1/console/{path}"


def current_code(stack: LocalStack, email: str) -> str:
    """What `make totp USER=<email>` prints: the account's TOTP code now."""
    secrets = json.loads(stack.totp_secrets.read_text(encoding="utf-8"))
    return totp_code(secrets[email])


def sign_in(page: Page, stack: LocalStack, email: str) -> None:
    """Email and password, then the TOTP code, typed as a member of staff types them: keyboard only,
    plain forms, so it works with JavaScript off as well as on."""
    page.goto(console_url(stack))
    expect(page.get_by_role("heading", level=1)).to_have_text("تسجيل الدخول إلى وحدة العمل")
    page.get_by_label("البريد الإلكتروني الوظيفي").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(local_staff_password())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("رمز التحقق")
    page.get_by_label("الرمز (6 أرقام)").focus()
    page.keyboard.type(current_code(stack, email))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("وحدة العمل")


def signed_in_page(
    browser: Browser, stack: LocalStack, role: Role, district: str | None, javascript: bool = True
) -> Page:
    page = new_page(browser, javascript, viewport=OFFICE_PC)
    if javascript:
        page.add_init_script(POINTER_COUNTER)
    sign_in(page, stack, account_email(role, district))
    return page


def pointer_actions(page: Page) -> int:
    return int(page.evaluate("() => Number(sessionStorage.getItem('pointer') || 0)"))


def tab_to(page: Page, selector: str, presses: int = 40) -> None:
    """Tab forward until the focus is on `selector`, as a member of staff would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{presses} presses of Tab never reached {selector} on {page.url}")


def gzipped_size(page: Page, html: bytes) -> dict[str, int]:
    """The page, and the page with the stylesheet and script it loads (the first visit's bytes)."""
    total = len(gzip.compress(html))
    assets = page.eval_on_selector_all(
        "link[rel=stylesheet][href], script[src]",
        "nodes => nodes.map(node => node.getAttribute('href') || node.getAttribute('src'))",
    )
    for asset in assets:
        total += len(gzip.compress(page.request.get(urljoin(page.url, asset)).body()))
    return {"html": len(gzip.compress(html)), "with_assets": total}


def assert_focus_visible(page: Page) -> None:
    """Everything Tab reaches first is drawn with a focus indicator and is on the screen."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    for _ in range(TAB_STOPS_CHECKED):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => {
              const element = document.activeElement;
              if (!element || element === document.body) return null;
              const style = getComputedStyle(element);
              const box = element.getBoundingClientRect();
              const shown = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                || style.boxShadow !== "none" || style.backgroundColor === "rgb(255, 221, 0)";
              const x = Math.min(Math.max(box.left + box.width / 2, 0), innerWidth - 1);
              const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
              const onTop = document.elementFromPoint(x, y);
              return {
                what: element.outerHTML.slice(0, 120), shown,
                inView: box.bottom > 0 && box.top < innerHeight && box.width > 0,
                notHidden: !!onTop && (element.contains(onTop) || onTop.contains(element)
                  || (element.labels && [...element.labels].some((label) => label.contains(onTop)))),
              };
            }"""
        )
        if focused is None:
            break
        assert focused["shown"], f"{page.url}: no visible focus on {focused['what']}"
        assert focused["inView"], f"{page.url}: focus off the screen on {focused['what']}"
        assert focused["notHidden"], f"{page.url}: focus hidden under something on {focused['what']}"
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")


def small_targets(page: Page) -> list[str]:
    """Links, buttons and fields smaller than 24x24 CSS px, save links inside a sentence (WCAG 2.5.8's
    inline exception) and inputs drawn by their label (a radio's or checkbox's label is its target)."""
    return page.evaluate(
        """(minimum) => [...document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea")]
          .filter((element) => element.getClientRects().length > 0)
          .filter((element) => !(element.tagName === "A" && element.parentElement.closest("p, dd, li")
            && element.parentElement.textContent.trim() !== element.textContent.trim()))
          .map((element) => {
            let box = element.getBoundingClientRect();
            if ((element.type === "checkbox" || element.type === "radio") && element.labels.length) {
              const label = element.labels[0].getBoundingClientRect();
              box = {width: Math.max(box.width, label.width), height: Math.max(box.height, label.height)};
            }
            return {what: element.outerHTML.slice(0, 100), width: box.width, height: box.height};
          })
          .filter((target) => target.width < minimum || target.height < minimum)
          .map((target) => `${Math.round(target.width)}x${Math.round(target.height)} ${target.what}`)""",
        MIN_TARGET_PX,
    )


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def at_200_percent(page: Page, name: str) -> None:
    """1366x768 zoomed to 200%: 683 CSS px wide, two device pixels each; nothing scrolls sideways."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setDeviceMetricsOverride", {**ZOOMED, "deviceScaleFactor": 2, "mobile": False})
    try:
        assert_fits_width(page)
        screenshot(page, f"{name}-200pc")
    finally:
        cdp.send("Emulation.clearDeviceMetricsOverride")
        cdp.detach()
    page.set_viewport_size(OFFICE_PC)


def check_console_page(page: Page, name: str, html: bytes, sizes: dict[str, Any]) -> None:
    """What every console page must be, and its screenshots; `html` is the body the server sent."""
    assert_accessible(page)
    assert_nothing_refused_by_csp(page)
    sizes[name] = gzipped_size(page, html)
    assert sizes[name]["with_assets"] <= GZIPPED_LIMIT, f"{name}: {sizes[name]}"
    small = small_targets(page)
    assert small == [], f"{page.url}: targets under {MIN_TARGET_PX} px: " + "\n".join(small)
    page.set_viewport_size(OFFICE_PC)
    assert_fits_width(page)
    screenshot(page, f"{name}-1366")
    assert_focus_visible(page)
    at_200_percent(page, name)
    page.set_viewport_size(PHONE)
    assert_fits_width(page)
    screenshot(page, f"{name}-360")
    page.set_viewport_size(OFFICE_PC)
    assert_nothing_refused_by_csp(page)


def record(name: str, measured: dict[str, Any]) -> None:
    """What a test measured, for the closing note: test-artifacts/console/<name>.json."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(measured, indent=1, sort_keys=True), encoding="utf-8")


class Documents:
    """The last HTML document the page's main frame received (after any redirect), as the server sent it."""

    def __init__(self, page: Page) -> None:
        self.last: Any = None
        page.on("response", self._seen)
        self._page = page

    def _seen(self, response: Any) -> None:
        request = response.request
        redirect = 300 <= response.status < 400
        if request.is_navigation_request() and request.frame == self._page.main_frame and not redirect:
            self.last = response

    def last_body(self) -> bytes:
        assert self.last is not None, "no page loaded yet"
        return self.last.body()
