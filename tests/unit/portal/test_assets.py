"""The portal's static files named by their content (chalicelib/portal/assets.py)."""

from __future__ import annotations

import hashlib
import re

from chalicelib.portal.assets import SOURCES, STATIC_DIR, asset_path, hashed_names


def test_each_source_is_published_under_its_stem_a_hash_of_its_bytes_and_its_suffix() -> None:
    names = hashed_names()

    assert set(names) == set(SOURCES)
    for source, published in names.items():
        digest = hashlib.sha256((STATIC_DIR / source).read_bytes()).hexdigest()[:10]
        stem, suffix = source.rsplit(".", 1)
        assert published == f"{stem}.{digest}.{suffix}"


def test_a_page_links_the_published_name_under_assets() -> None:
    assert re.fullmatch(r"/assets/portal\.[0-9a-f]{10}\.css", asset_path("portal.css"))
    assert asset_path("upload.js") == f"/assets/{hashed_names()['upload.js']}"
