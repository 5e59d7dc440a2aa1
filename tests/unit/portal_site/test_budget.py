"""The portal's weight budget: a page with every stylesheet and script it loads, gzipped as a CDN
gzips them (portal_site/budget.py)."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from portal_site.budget import BUDGET_BYTES, built_page_weights, gzipped_size, page_weight

PAGE = """<!doctype html><html lang="ar" dir="rtl"><head>
<link rel="stylesheet" href="/assets/site.1a2b.css">
<script src="https://portal.example/assets/form.3c4d.js" defer></script>
<link rel="icon" href="/favicon.ico">
</head><body><h1>شباك</h1><script src="/assets/form.3c4d.js"></script></body></html>"""


def assets(root: Path) -> tuple[bytes, bytes]:
    (root / "assets").mkdir(parents=True, exist_ok=True)
    css, script = b"body{margin:0}" * 40, os.urandom(600)  # random bytes: gzip cannot shrink them
    (root / "assets" / "site.1a2b.css").write_bytes(css)
    (root / "assets" / "form.3c4d.js").write_bytes(script)
    return css, script


def test_the_budget_is_what_a_first_round_trip_carries() -> None:
    assert BUDGET_BYTES == 14 * 1024


def test_a_size_is_the_same_every_time_and_is_the_gzipped_length() -> None:
    data = "طلب ترخيص محل".encode() * 50
    assert gzipped_size(data) == gzipped_size(data) == len(gzip.compress(data, compresslevel=6, mtime=0))
    assert gzipped_size(data) < len(data)


def test_a_page_weighs_itself_and_each_asset_it_loads_once(tmp_path: Path) -> None:
    css, script = assets(tmp_path)

    weight = page_weight(PAGE, tmp_path)

    # The script linked twice (once by the portal's full address) counts once; the icon is not an asset.
    assert weight == gzipped_size(PAGE.encode()) + gzipped_size(css) + gzipped_size(script)


def test_every_built_page_is_weighed_by_its_path(tmp_path: Path) -> None:
    assets(tmp_path)
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "shop.html").write_text("<html><body>بلا أصول</body></html>", encoding="utf-8")

    weights = built_page_weights(tmp_path)

    assert weights == {
        "index.html": page_weight(PAGE, tmp_path),
        "services/shop.html": gzipped_size("<html><body>بلا أصول</body></html>".encode()),
    }
