"""Fawry's server notification V2: its signature checked exactly as Fawry computes it.

messageSignature = hex SHA-256 (a plain hash, not an HMAC) of fawryRefNumber +
merchantRefNumber + paymentAmount (2 decimals) + orderAmount (2 decimals) + orderStatus +
paymentMethod + (paymentRefrenceNumber, sic, or "") + the merchant's secure key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.domain.payments import CURRENCY, GatewayNotice, NoticeKind, piasters

GATEWAY = "fawry"
_KINDS = {
    "PAID": NoticeKind.PAID,
    "NEW": NoticeKind.PENDING,
    "UNPAID": NoticeKind.PENDING,
    "CANCELED": NoticeKind.CANCELLED,
    "CANCELLED": NoticeKind.CANCELLED,
    "EXPIRED": NoticeKind.EXPIRED,
    "REFUNDED": NoticeKind.REFUNDED,
    "PARTIAL_REFUNDED": NoticeKind.REFUNDED,
    "FAILED": NoticeKind.FAILED,
}
_SIGNED_TEXT = ("fawryRefNumber", "merchantRefNumber")


def fawry_signature(notice: Mapping[str, Any], secure_key: str) -> str:
    parts = [
        str(notice["fawryRefNumber"]),
        str(notice["merchantRefNumber"]),
        _two_decimals(notice["paymentAmount"]),
        _two_decimals(notice["orderAmount"]),
        str(notice["orderStatus"]),
        str(notice["paymentMethod"]),
        str(notice.get("paymentRefrenceNumber") or ""),
        secure_key,
    ]
    return hashlib.sha256("".join(parts).encode("utf-8")).hexdigest()


def read_fawry_notice(notice: Mapping[str, Any], secure_key: str) -> GatewayNotice:
    try:
        expected = fawry_signature(notice, secure_key)
    except (KeyError, TypeError, InvalidOperation, ValueError):
        raise UnverifiedNotice("fawry notice lacks a signed field") from None
    offered = notice.get("messageSignature")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not isinstance(offered, str) or not hmac.compare_digest(expected.encode(), offered.lower().encode("utf-8")):
        raise UnverifiedNotice("fawry signature mismatch")
    # Only what the signature covers may count: an amount finer than the two signed decimals
    # would be read as another amount than the one signed.
    if Decimal(str(notice["paymentAmount"])) != Decimal(_two_decimals(notice["paymentAmount"])):
        raise UnverifiedNotice("fawry amount with more than two decimals")
    amount = piasters(notice["paymentAmount"])
    if amount is None or any(not str(notice[name]).strip() for name in _SIGNED_TEXT):
        raise UnverifiedNotice("fawry notice with an empty reference or amount")
    return GatewayNotice(
        gateway=GATEWAY,
        transaction_id=str(notice["fawryRefNumber"]),
        kind=_KINDS.get(str(notice["orderStatus"]).upper(), NoticeKind.FAILED),
        amount_piasters=amount,
        # Fawry settles in pounds only, and does not sign any currency field a notice may carry.
        currency=CURRENCY,
        method=str(notice["paymentMethod"]),
        reference=str(notice["merchantRefNumber"]),
    )


def _two_decimals(amount: Any) -> str:
    if isinstance(amount, bool):
        raise ValueError("an amount, not a boolean")
    return f"{Decimal(str(amount)):.2f}"
