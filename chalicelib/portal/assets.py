"""The portal's stylesheet and script, named by their content so browsers may cache them for ever.

The sources live here, inside the Lambda package, because the API's pages link the very same files:
both the generator and the API compute the names from the bytes, so they always agree.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
ASSET_DIR = "/assets"
SOURCES = ("portal.css", "portal.js", "upload.js")
HASH_LENGTH = 10


@functools.cache
def hashed_names() -> dict[str, str]:
    """Each source file's published name, e.g. ``{"portal.css": "portal.3f2a9c1b07.css"}``."""
    names = {}
    for source in SOURCES:
        digest = hashlib.sha256((STATIC_DIR / source).read_bytes()).hexdigest()[:HASH_LENGTH]
        stem, suffix = source.rsplit(".", 1)
        names[source] = f"{stem}.{digest}.{suffix}"
    return names


def asset_path(source: str) -> str:
    """The "/"-based path a page links to."""
    return f"{ASSET_DIR}/{hashed_names()[source]}"
