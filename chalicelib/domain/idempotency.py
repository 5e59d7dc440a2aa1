"""Idempotency keys: what a client may send, and what makes two submissions "the same"."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from chalicelib.domain.errors import InvalidInput

_KEY = re.compile(r"[A-Za-z0-9._:-]{8,128}")


def read_idempotency_key(raw: str | None) -> str | None:
    """The key a client sent with a submission, or None when it sent none."""
    if raw is None:
        return None
    if not _KEY.fullmatch(raw):
        raise InvalidInput(
            code="invalid_idempotency_key",
            message_ar="مفتاح منع التكرار غير صالح: من 8 إلى 128 حرفًا لاتينيًا أو رقمًا.",
            message_en="Invalid Idempotency-Key: 8 to 128 Latin letters, digits, '.', '_', ':' or '-'.",
        )
    return raw


def body_digest(body: Mapping[str, Any]) -> str:
    """Two bodies with the same content have the same digest, however their JSON was spaced or ordered."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    # surrogatepass: a lone surrogate from a JSON escape still digests rather than raising.
    return hashlib.sha256(canonical.encode("utf-8", errors="surrogatepass")).hexdigest()


def key_reused(key: str) -> InvalidInput:
    return InvalidInput(
        code="idempotency_key_reused",
        message_ar="سبق استخدام مفتاح منع التكرار هذا مع طلب مختلف.",
        message_en=f"The Idempotency-Key {key} was already used with a different request body.",
    )
