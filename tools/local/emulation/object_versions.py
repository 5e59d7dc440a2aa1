"""The local AWS emulation's ListObjectVersions, listing each version without copying its content
(tools/local/emulation/server.py applies it).

moto answers every ListObjectVersions by deep-copying every version of every key in the bucket
(`S3Backend.list_object_versions`), content included, only to mark each copy `is_latest`; and each
copy, made through moto's model classes, is kept for ever for its dashboard, with its content,
its ACL and its grants. The local document scanner (tools/local/document_scanner.py) lists the
documents bucket's versions every half second, as S3's event delivery would watch it: so a stack
that had taken a few dozen uploads copied them all twice a second, the moto server (one call at a
time) grew by every copy, and `/moto-api/data.json`, which the message inbox reads every two
seconds, serialized every copy ever made. After one e2e module it held 2,820 copies of a few dozen
objects (4.4 MB, read in 1.4 s), and a CI run saw the inbox's read of it time out after 10 s.

Here a version is copied for the listing without its content: the copy carries what the listing
shows (name, version, dates, ETag, size, storage class) and a buffer of its own, so that freeing
the copy never closes the stored object's. The answers are moto's own
(tests/integration/tools/local/emulation/test_object_versions.py compares them). Applied to the
emulation's process only.
"""

from __future__ import annotations

import io
import threading
from typing import Any


def _listed_copy(key: Any, memo: dict[int, Any]) -> Any:
    """`key` as the listing needs it, made without the model class's constructor (which keeps every
    instance for the dashboard) and without its content."""
    listed = object.__new__(type(key))
    listed.__dict__.update(key.__dict__)
    listed._etag = key.etag.strip('"')  # moto's ETag of the stored content, which the copy has none of
    listed._value_buffer = io.BytesIO()
    listed.lock = threading.Lock()
    listed.multipart = None  # disposing of the copy must not dispose of the stored object's parts
    listed.disposed = True  # nothing of the stored object's to release when it is freed
    return listed


def list_versions_without_content() -> None:
    from moto.s3.models import FakeKey

    # moto.s3.models deep-copies keys only in list_object_versions.
    FakeKey.__deepcopy__ = _listed_copy  # type: ignore[attr-defined]
