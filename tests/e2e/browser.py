"""Debian's chromium, driven by Playwright for Python, and axe-core injected into the pages it shows."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary, WeakSet

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.e2e.stack import PROJECT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = PROJECT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts" / "portal"
PHONE = {"width": 360, "height": 640}
_HEAD = re.compile(r"<head\b[^>]*>")
_SCRIPT = re.compile(r"<script\b[^>]*></script>")
_CSP = "Content Security Policy"  # in each of chromium's console messages about a refusal
_REFUSED: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()
_AUDITORS: WeakKeyDictionary[Browser, Page] = WeakKeyDictionary()
_WITHOUT_JAVASCRIPT: WeakSet[Page] = WeakSet()


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def worker_chromium() -> Iterator[Browser]:
    """One chromium a pytest process (an xdist worker), launched when a module first asks for it."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def browser(worker_chromium: Browser) -> Iterator[Browser]:
    """The process's chromium for the module's tests, each of which opens its pages in contexts of its
    own (fresh cookies and storage); whatever contexts the module leaves open are closed at its end,
    as closing a chromium of its own would, so no page of it runs on beside the next module's."""
    yield worker_chromium
    for context in worker_chromium.contexts:
        context.close()


def new_page(browser: Browser, javascript: bool = True, viewport: dict[str, int] | None = None) -> Page:
    """A page under the Content-Security-Policy citizens' browsers get: the portal server applies the
    template's (tools/local/portal_server.py), the API's pages carry their own; axe is evaluated in
    the page, which the policy does not govern (axe_violations). What the policy refuses is kept for
    assert_nothing_refused_by_csp."""
    context = browser.new_context(viewport=viewport or PHONE, java_script_enabled=javascript, locale="ar-EG")
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if _CSP in message.text else None)
    _REFUSED[page] = refused
    if not javascript:
        _WITHOUT_JAVASCRIPT.add(page)
    return page


def assert_nothing_refused_by_csp(page: Page) -> None:
    """Nothing the page loaded, ran, styled or sent was refused by its Content-Security-Policy."""
    assert _REFUSED[page] == [], f"{page.url}: " + "\n".join(_REFUSED[page])


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Every axe-core violation on the page as it stands now, WCAG 2.2 target size included.

    axe runs in the page itself, once loaded into each document (a navigation brings a new window):
    what the page's scripts did to its DOM, and its fonts, images and styles as it loaded them, are
    what is audited. It is evaluated through the DevTools protocol (page.evaluate), as a browser
    extension's script is, which the page's Content-Security-Policy does not govern: the policy still
    refuses whatever the page itself would run, and assert_nothing_refused_by_csp still sees it.

    A page opened without JavaScript runs no timers, which axe needs, and no script of its own has
    touched its DOM: that DOM is audited in a page of its own that runs scripts (_audit_copy).
    """
    if page in _WITHOUT_JAVASCRIPT:
        return _audit_copy(page)
    if not page.evaluate("() => typeof axe === 'object'"):
        page.evaluate(_axe_source())
    return _violations(page)


def _violations(page: Page) -> list[dict[str, Any]]:
    results = page.evaluate("() => axe.run(document, {rules: {'target-size': {enabled: true}}})")
    violations = [
        {"id": violation["id"], "help": violation["help"], "nodes": [node["target"] for node in violation["nodes"]]}
        for violation in results["violations"]
    ]
    faint_arabic = page.evaluate(_ARABIC_CONTRAST)
    if faint_arabic:
        contrast = next((violation for violation in violations if violation["id"] == "color-contrast"), None)
        if contrast is None:
            contrast = {"id": "color-contrast", "help": _CONTRAST_HELP, "nodes": []}
            violations.append(contrast)
        contrast["nodes"] += [target for target in faint_arabic if target not in contrast["nodes"]]
    return violations


_CONTRAST_HELP = "Elements must meet minimum color contrast ratio thresholds"
# axe-core 4.14.1 leaves short Arabic words out of its contrast check: their letters, joined, render
# narrower than apart, which its isIconLigature takes for an icon font's ligature (axe-core's own
# note on the risk: pull request 3871). Every visible element holding Arabic text is measured here
# with axe's own colour functions and WCAG's thresholds (4.5:1, and 3:1 for large text); where axe
# cannot tell the background (text over an image or a gradient) it would ask for a review, not
# report a violation, and neither does this.
_ARABIC_CONTRAST = """() => {
    axe.setup(document);
    try {
        const faint = [];
        const measured = new Set();
        const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (texts.nextNode()) {
            const element = texts.currentNode.parentElement;
            if (!/[\u0600-\u06ff]/.test(texts.currentNode.nodeValue) || !element || measured.has(element)) continue;
            measured.add(element);
            if (!axe.commons.dom.isVisibleOnScreen(element)) continue;
            const background = axe.commons.color.getBackgroundColor(element, []);
            const foreground = background && axe.commons.color.getForegroundColor(element, false, background);
            if (!foreground) continue;
            const style = getComputedStyle(element);
            const points = parseFloat(style.fontSize) * 0.75;
            const large = points >= 18 || (parseInt(style.fontWeight, 10) >= 700 && points >= 14);
            if (axe.commons.color.getContrast(background, foreground) < (large ? 3 : 4.5)) {
                faint.push([axe.utils.getSelector(element)]);
            }
        }
        return faint;
    } finally {
        axe.teardown();
    }
}"""


def _audit_copy(page: Page) -> list[dict[str, Any]]:
    """The DOM of a page without JavaScript in the browser's one auditing page, at its viewport, under a
    <base> naming the page: its stylesheets, and the fonts and images they name, load from where the
    page's did. Nothing in it runs: the page's scripts are left out, as the page left them unrun."""
    assert page.context.browser is not None
    assert page.viewport_size is not None
    auditor = _auditor(page.context.browser, page.viewport_size)
    auditor.set_content(_standalone(page))
    if not auditor.evaluate("() => typeof axe === 'object'"):
        auditor.evaluate(_axe_source())
    return _violations(auditor)


def _auditor(browser: Browser, viewport: ViewportSize) -> Page:
    """The browser's one auditing page, in a context of its own, at `viewport`. Each audit writes its
    document anew (set_content: document.open and write), which keeps the window, and so axe loaded
    into it: a context and axe's half a megabyte of script once a browser, not once a page audited."""
    auditor = _AUDITORS.get(browser)
    if auditor is None or auditor.is_closed():
        auditor = browser.new_context(viewport=viewport).new_page()
        _AUDITORS[browser] = auditor
    auditor.set_viewport_size(viewport)
    return auditor


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def _standalone(page: Page) -> str:
    base = f'<base href="{html.escape(page.url)}">'
    return _HEAD.sub(lambda head: head.group(0) + base, _SCRIPT.sub("", page.content()), count=1)


# What seed_violations adds, as axe names it, and on how many elements: the proof that the audit
# sees the page it is given.
SEEDED_VIOLATIONS = {"image-alt": 1, "color-contrast": 2, "button-name": 1}


def seed_violations(page: Page) -> None:
    """An image without alt text, faint text in Latin and in Arabic (which axe alone passes over, see
    _ARABIC_CONTRAST) and a button without a name, added to the page's main content through the DOM
    (styled through CSSOM, which a Content-Security-Policy lets through)."""
    page.evaluate(
        """() => {
            const image = Object.assign(document.createElement('img'), {width: 48, height: 48});
            image.src = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
            const faint = Object.assign(document.createElement('p'), {textContent: 'Faint text'});
            const faintArabic = Object.assign(document.createElement('p'), {textContent: 'نص باهت'});
            for (const text of [faint, faintArabic]) {
                Object.assign(text.style, {color: '#b0b0b0', background: '#ffffff'});
            }
            const nameless = document.createElement('button');
            Object.assign(nameless.style, {width: '48px', height: '48px'});
            (document.querySelector('main') || document.body).append(image, faint, faintArabic, nameless);
        }"""
    )


def seeded_found(violations: list[dict[str, Any]]) -> dict[str, int]:
    """What an audit reported, as SEEDED_VIOLATIONS counts it."""
    return {violation["id"]: len(violation["nodes"]) for violation in violations}


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: " + json.dumps(violations, ensure_ascii=False, indent=1)


def assert_fits_width(page: Page) -> None:
    """Nothing sticks out sideways: no horizontal scrolling at the viewport's width."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the screen"


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
