"""`make portal`: every static page of the citizen portal, from the templates and the catalogue.

Writes into portal_site/build/ (or --out): the pages as plain .html files, the stylesheet and script under
content-hashed names in assets/, robots.txt, and manifest.json (each asset's source and published name,
for the deployment's cache headers). Only units switched on by ROLLOUT_PHASE get service and application
pages; the others are listed on the home page as coming soon. The forms post to --api-base-url, by
default API_BASE_URL (chalicelib/config.py); pages link to each other "/"-based.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from chalicelib.config import portal_settings, settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import Catalogue, load_catalogue
from chalicelib.domain.figures import (
    MONTHS_PUBLISHED,
    OpenData,
    months_back,
    open_data_csv,
    open_data_document,
    open_data_json,
)
from chalicelib.portal import render, urls
from chalicelib.portal.assets import ASSET_DIR, STATIC_DIR, hashed_names

DEFAULT_OUT = Path(__file__).resolve().parent / "build"
ROBOTS = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class Built:
    pages: int
    seconds: float


def site_pages(catalogue: Catalogue, site: render.Site, today: date) -> dict[str, str]:
    """Every static page by its "/"-based URL."""
    districts = catalogue.districts()
    pages = {
        "/index.html": render.home_page(site, districts),
        urls.TRACK: render.track_page(site),
        urls.PAYMENT: render.payment_page(site),
        # Until the daily publication (services/open_data.py) replaces it: the same page, no figures yet.
        urls.PERFORMANCE: render.performance_page(site, _no_figures_yet(catalogue, today)),
        urls.PRIVACY: render.privacy_page(site),
        urls.ACCESSIBILITY: render.accessibility_page(site),
        urls.NOT_FOUND: render.not_found_page(site),
    }
    for district in districts:
        if not district.active:
            continue
        services = catalogue.services(on=today, district_code=district.code)
        groups: dict[str, list] = {}
        for service in services:
            groups.setdefault(catalogue.group_name_ar(service.group), []).append(service)
        pages[urls.district_url(district)] = render.district_page(site, district, list(groups.items()))
        for service in services:
            pages[urls.service_url(district, service)] = render.service_page(site, district, service)
            pages[urls.apply_url(district, service)] = render.application_page(site, district, service)
    return pages


def _no_figures_yet(catalogue: Catalogue, today: date) -> dict[str, Any]:
    first = months_back(today.replace(day=1), MONTHS_PUBLISHED - 1)
    active = [district for district in catalogue.districts() if district.active]
    generated_at = datetime.combine(today, datetime.min.time(), UTC)
    return open_data_document(OpenData(generated_at, first, today, active, tuple(catalogue.services(on=today)), {}))


def build(out: Path, api_base_url: str, rollout_phase: int, today: date) -> Built:
    started = time.perf_counter()
    site = render.Site(portal="", api=api_base_url.rstrip("/"))
    pages = site_pages(load_catalogue(rollout_phase), site, today)
    if out.exists():
        shutil.rmtree(out)  # assets of an earlier build would otherwise linger under their old names
    for url, page in pages.items():
        _write(out / url.lstrip("/"), page)
    names = hashed_names()
    for source, published in names.items():
        target = out / ASSET_DIR.lstrip("/") / published
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(STATIC_DIR / source, target)
    empty = _no_figures_yet(load_catalogue(rollout_phase), today)
    _write(out / urls.OPEN_DATA_JSON.lstrip("/"), open_data_json(empty))
    _write(out / urls.OPEN_DATA_CSV.lstrip("/"), open_data_csv(empty))
    _write(out / "robots.txt", ROBOTS)
    _write(out / "manifest.json", json.dumps({"assets": names, "api_base_url": site.api}, indent=2) + "\n")
    return Built(pages=len(pages), seconds=time.perf_counter() - started)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--api-base-url", default=None, help="where the forms post (default: API_BASE_URL)")
    arguments = parser.parse_args(argv)
    api_base_url = portal_settings().api_base_url if arguments.api_base_url is None else arguments.api_base_url
    built = build(arguments.out, api_base_url, settings().rollout_phase, cairo_today(datetime.now(UTC)))
    posts_to = api_base_url or "/"
    print(f"portal: {built.pages} pages in {arguments.out} ({built.seconds:.2f} s), forms post to {posts_to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
