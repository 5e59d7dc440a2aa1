"""The portal's weight budget: each page with the stylesheet and script it loads, gzipped.

14 KB is about what a new connection's first round trip can carry (TCP's initial window of ten
segments), so a page within it shows after one round trip on a slow phone connection. Sizes are
deterministic, unlike timings, so the tests assert them and `make bench` reports them.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

BUDGET_BYTES = 14 * 1024
_LINKED_ASSET = re.compile(r'(?:href|src)="(?:https?://[^/"]+)?(/assets/[^"]+)"')


def gzipped_size(data: bytes) -> int:
    # zlib's default level, what a CDN compressing on the fly typically uses; mtime fixed for repeatable sizes.
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def page_weight(html: str, asset_root: Path) -> int:
    """Gzipped bytes of the page and of every stylesheet and script it links from /assets/."""
    assets = sorted(set(_LINKED_ASSET.findall(html)))
    return gzipped_size(html.encode("utf-8")) + sum(
        gzipped_size((asset_root / path.lstrip("/")).read_bytes()) for path in assets
    )


def built_page_weights(build_dir: Path) -> dict[str, int]:
    """Each built page's weight, by its path in the build."""
    return {
        str(page.relative_to(build_dir)): page_weight(page.read_text(encoding="utf-8"), build_dir)
        for page in sorted(build_dir.rglob("*.html"))
    }
