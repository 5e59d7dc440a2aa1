"""The code of the portal's not-found function (infra/portal-not-found.js) for one stage.

`make package` writes into the function what it must know and CloudFront cannot ask: the pages
`make publish` uploads for the stage, and the 404 page it answers everything else with. Both come
from the portal's own build (portal_site/build.py), run as `make publish` runs it. A district's
pages are allowed for every service it may offer, today or under a version that takes effect
later, so that a page published after this package is not answered 404 before the next deploy.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import load_catalogue
from chalicelib.portal.assets import ASSET_DIR
from portal_site.build import build
from tools import PROJECT
from tools.build.publish_portal import NOT_PUBLISHED, deployed_rollout_phase

SOURCE = PROJECT / "infra" / "portal-not-found.js"
NOT_FOUND_PAGE = "404.html"
SITE_LINE = re.compile(r"^var SITE = .*;$", re.MULTILINE)
# CloudFront's limit on a function's code (Quotas on CloudFront Functions).
MAX_CODE_BYTES = 10 * 1024


def function_code(stage: str, security_headers: dict[str, Any]) -> str:
    """infra/portal-not-found.js with SITE written for `stage`; `security_headers` is the
    SecurityHeadersConfig of the portal's response headers policy, which the 404 carries too."""
    rollout_phase = deployed_rollout_phase(stage)
    with tempfile.TemporaryDirectory() as directory:
        site = Path(directory) / "site"
        build(site, api_base_url="/", rollout_phase=rollout_phase, today=cairo_today(datetime.now(UTC)))
        published = [path.relative_to(site).as_posix() for path in site.rglob("*")
                     if path.is_file() and path.name not in NOT_PUBLISHED]  # fmt: skip
        not_found = (site / NOT_FOUND_PAGE).read_bytes()
    asset_prefix = ASSET_DIR.strip("/") + "/"
    pages = {"/": 1} | {f"/{key}": 1 for key in sorted(published)
                        if not key.startswith(asset_prefix) and not key.startswith("districts/")}  # fmt: skip
    offered = district_services(rollout_phase)
    services = sorted({code for codes in offered.values() for code in codes})
    values = {
        "pages": pages,
        "services": services,
        "districts": {district: [services.index(code) for code in codes] for district, codes in offered.items()},
        "notFound": base64.b64encode(not_found).decode("ascii"),
        "headers": {name: {"value": value} for name, value in _headers(security_headers).items()},
    }
    source = SOURCE.read_text(encoding="utf-8")
    code = SITE_LINE.sub(lambda _: f"var SITE = {json.dumps(values, separators=(',', ':'))};", source, count=1)
    if code == source:
        raise SystemExit(f"{SOURCE}: no `var SITE = …;` line to write the stage's pages into")
    size = len(code.encode("utf-8"))
    if size > MAX_CODE_BYTES:
        raise SystemExit(f"{SOURCE} for {stage} is {size} bytes; CloudFront takes {MAX_CODE_BYTES}")
    return code


def district_services(rollout_phase: int) -> dict[str, list[str]]:
    """Each active district's code to the codes of the services it offers now or will under a
    version already in the catalogue."""
    catalogue = load_catalogue(rollout_phase)
    today = cairo_today(datetime.now(UTC))
    offered: dict[str, list[str]] = {}
    for district in catalogue.districts():
        if district.active:
            days = (today, date.max)
            offered[district.code] = sorted(
                {service.code for day in days for service in catalogue.services(on=day, district_code=district.code)}
            )
    return offered


def _headers(config: dict[str, Any]) -> dict[str, str]:
    """The response headers policy's security headers, as the lower-case names CloudFront Functions use."""
    hsts = config["StrictTransportSecurity"]
    return {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        "content-security-policy": config["ContentSecurityPolicy"]["ContentSecurityPolicy"],
        "strict-transport-security": f"max-age={hsts['AccessControlMaxAgeSec']}"
        + ("; includeSubDomains" if hsts.get("IncludeSubdomains") else "")
        + ("; preload" if hsts.get("Preload") else ""),
        "x-content-type-options": "nosniff",
        "x-frame-options": config["FrameOptions"]["FrameOption"],
        "referrer-policy": config["ReferrerPolicy"]["ReferrerPolicy"],
    }
