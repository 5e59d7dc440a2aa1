"""`make lighthouse`: Lighthouse's four scores for the portal's key pages, into bench/lighthouse.json.

Lighthouse 12.2.3 (package.json) with Debian's chromium, mobile profile (its default: a mid-range phone
on a slow 4G connection, simulated). The portal is built and served here by the local stack's own
portal server; the pages audited make no request to the API while loading.

Performance is a timing: it is reported, never asserted. Accessibility, best practices and SEO are
deterministic checks, which tests/e2e/test_lighthouse.py holds at 100.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

from chalicelib.config import settings
from chalicelib.domain.calendar import cairo_today
from portal_site.build import build as build_portal
from tools import PROJECT
from tools.local.portal_server import serve
from tools.local.stack import REGION, STAGE

LIGHTHOUSE = PROJECT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RESULTS_PATH = PROJECT / "bench" / "lighthouse.json"
# Home, a service page, the application form, the track page and the performance page.
PAGES = {
    "home": "/",
    "service": "/districts/dokki/shop_licence.html",
    "form": "/districts/dokki/shop_licence/apply.html",
    "track": "/track.html",
    "performance": "/performance.html",  # issue 9: the public performance page
}


def audit(url: str) -> dict[str, int]:
    """Each category's score out of 100 for one page."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                f"--output-path={report}",
                f"--chrome-path={CHROMIUM}",
                f"--chrome-flags={CHROME_FLAGS}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--quiet",
            ],
            check=True,
            cwd=PROJECT,
        )
        categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: round(categories[name]["score"] * 100) for name in CATEGORIES}


def audit_pages(portal_url: str) -> dict[str, dict[str, int]]:
    return {page: audit(portal_url + path) for page, path in PAGES.items()}


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
