"""`make lighthouse`: Lighthouse's four scores for the portal's key pages, into bench/lighthouse.json.

Lighthouse 12.2.3 (package.json) with Debian's chromium, mobile profile (its default: a mid-range phone
on a slow 4G connection, simulated). The portal is built and served here by the local stack's own
portal server; the pages audited make no request to the API while loading.

Performance is a timing: it is reported, never asserted. Accessibility, best practices and SEO are
deterministic checks, which tests/e2e/test_lighthouse.py holds at 100.
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, cast

from chalicelib.config import settings
from chalicelib.domain.calendar import cairo_today
from portal_site.build import build as build_portal
from tools import PROJECT
from tools.local.portal_server import serve
from tools.local.stack import REGION, STAGE

AUDITS = Path(__file__).with_name("lighthouse_audits.mjs")
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The deterministic checks, which the tests hold at 100; performance, a timing, only `make lighthouse`
# reports (and auditing without it spares its trace's processing: about a third of an audit's CPU).
CHECKS = ("accessibility", "best-practices", "seo")
RESULTS_PATH = PROJECT / "bench" / "lighthouse.json"
# Home, a service page, the application form, the track page and the performance page.
PAGES = {
    "home": "/",
    "service": "/districts/dokki/shop_licence.html",
    "form": "/districts/dokki/shop_licence/apply.html",
    "track": "/track.html",
    "performance": "/performance.html",  # issue 9: the public performance page
}


class Lighthouse:
    """One Node process running Lighthouse, and one chromium, for as many audits as it is asked for
    (tools/testing/lighthouse_audits.mjs): Node's start, Lighthouse's loading and chromium's launch,
    about 4 CPU-seconds, once rather than once a page. Each audit is the CLI's, in a tab of its own."""

    def __init__(self) -> None:
        self._node = subprocess.Popen(
            ["node", str(AUDITS), CHROMIUM, CHROME_FLAGS],
            cwd=PROJECT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )  # fmt: skip
        # Both pipes, as asked above (Popen types them as optional).
        self._asked, self._answers = cast(IO[str], self._node.stdin), cast(IO[str], self._node.stdout)

    def audit(self, url: str, categories: tuple[str, ...] = CATEGORIES) -> dict[str, int]:
        """Each category's score out of 100 for one page."""
        self._asked.write(json.dumps({"url": url, "categories": categories}) + "\n")
        self._asked.flush()
        answer = self._answers.readline()
        if not answer:
            raise RuntimeError(f"Lighthouse stopped (exit {self._node.wait()}) on {url}: its error is above")
        scores = json.loads(answer)
        return {name: round(scores[name] * 100) for name in categories}

    @property
    def running(self) -> bool:
        return self._node.poll() is None

    def close(self) -> None:
        """The end of the audits: the script closes its chromium and exits."""
        self._asked.close()
        self._node.wait(timeout=60)

    def __enter__(self) -> Lighthouse:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()


_SHARED: dict[str, Lighthouse] = {}


def audit(url: str, categories: tuple[str, ...] = CATEGORIES) -> dict[str, int]:
    """`categories`' scores out of 100 for one page, by this process's one Lighthouse (a pytest
    worker's modules share it), started again if an audit that failed stopped it."""
    lighthouse = _SHARED.get("lighthouse")
    if lighthouse is None or not lighthouse.running:
        lighthouse = _SHARED["lighthouse"] = Lighthouse()
        atexit.register(lighthouse.close)
    return lighthouse.audit(url, categories)


def audit_pages(portal_url: str) -> dict[str, dict[str, int]]:
    with Lighthouse() as lighthouse:
        return {page: lighthouse.audit(portal_url + path) for page, path in PAGES.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as portal_dir:
        build_portal(Path(portal_dir), "", settings().rollout_phase, cairo_today(datetime.now(UTC)))
        # The pages audited ask the API nothing: no API runs behind the portal server's /v1/.
        with serve(Path(portal_dir), 0, "http://127.0.0.1:9", stage=STAGE, region=REGION) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            scores = audit_pages(f"http://127.0.0.1:{server.server_address[1]}")
            server.shutdown()
    RESULTS_PATH.write_text(json.dumps(scores, indent=2) + "\n", encoding="utf-8")
    print(f"{'page':10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    for page, page_scores in scores.items():
        print(f"{page:10}" + "".join(f"{page_scores[name]:>16}" for name in CATEGORIES))
    print(f"written to {RESULTS_PATH.relative_to(PROJECT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
