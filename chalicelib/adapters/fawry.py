"""Fawry's server notification V2: its signature checked exactly as Fawry computes it.

messageSignature = hex SHA-256 (a plain hash, not an HMAC) of fawryRefNumber +
merchantRefNumber + paymentAmount (2 decimals) + orderAmount (2 decimals) + orderStatus +
paymentMethod + (paymentRefrenceNumber, sic, or "") + the merchant's secure key.

Nothing separates the values, so the same signature covers every other way of cutting the
text into fields (a digit of fawryRefNumber moved into merchantRefNumber). Each signed field
must therefore have its one exact shape before the signature is checked: the reference is one
this service issues (fixed length, so its edges are pinned), the status one Fawry defines.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.domain.payments import CURRENCY, GatewayNotice, NoticeKind, is_issued_reference, piasters

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
_FAWRY_NUMBER = re.compile(r"[0-9]{1,20}")
_AMOUNT_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,6})?")
_METHOD = re.compile(r"[A-Z][A-Z_]{0,31}")
_PAYMENT_REFERENCE = re.compile(r"[0-9A-Za-z-]{0,40}")
_SIGNATURE_HEX = re.compile(r"[0-9a-fA-F]{64}")


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
    offered = notice.get("messageSignature")
    if not isinstance(offered, str) or not _SIGNATURE_HEX.fullmatch(offered):
        raise UnverifiedNotice("fawry signature missing or not 64 hex digits")
    _check_shapes(notice)
    # compare_digest on two ASCII strings: the offered one is hex, checked above.
    if not hmac.compare_digest(fawry_signature(notice, secure_key), offered.lower()):
        raise UnverifiedNotice("fawry signature mismatch")
    # Only what the signature covers may count: an amount finer than the two signed decimals
    # would be read as another amount than the one signed.
    if Decimal(str(notice["paymentAmount"])) != Decimal(_two_decimals(notice["paymentAmount"])):
        raise UnverifiedNotice("fawry amount with more than two decimals")
    amount = piasters(notice["paymentAmount"])
    if amount is None:
        raise UnverifiedNotice("fawry notice without an amount")
    kind = _KINDS[notice["orderStatus"].upper()]
    return GatewayNotice(
        gateway=GATEWAY,
        transaction_id=notice["fawryRefNumber"],
        kind=kind,
        amount_piasters=amount,
        # Fawry settles in pounds only, and does not sign any currency field a notice may carry.
        currency=CURRENCY,
        method=str(notice["paymentMethod"]),
        reference=str(notice["merchantRefNumber"]),
        told_apart_by=_refund_of(amount, notice) if kind is NoticeKind.REFUNDED else None,
    )


def _refund_of(amount_piasters: int, notice: Mapping[str, Any]) -> str:
    """Fawry reports each refund of a payment under the payment's own fawryRefNumber, and both
    refund statuses mean money back: a refund is told apart by its amount and Fawry's payment
    reference, both covered by the signature (an unsigned field would let a replayed notice
    count twice). A repeat of the same notice has the same of both, and changes nothing."""
    return f"{amount_piasters}#{notice.get('paymentRefrenceNumber') or ''}"


def _check_shapes(notice: Mapping[str, Any]) -> None:
    """Every signed field as Fawry writes it, nothing else."""
    wrong = []
    if not _matches(_FAWRY_NUMBER, notice.get("fawryRefNumber")):
        wrong.append("fawryRefNumber")
    reference = notice.get("merchantRefNumber")
    if not (isinstance(reference, str) and is_issued_reference(reference)):
        wrong.append("merchantRefNumber")
    wrong += [name for name in ("paymentAmount", "orderAmount") if not _is_amount(notice.get(name))]
    status = notice.get("orderStatus")
    if not (isinstance(status, str) and status.upper() in _KINDS):
        wrong.append("orderStatus")
    if not _matches(_METHOD, notice.get("paymentMethod")):
        wrong.append("paymentMethod")
    payment_reference = notice.get("paymentRefrenceNumber")
    if payment_reference is not None and not _matches(_PAYMENT_REFERENCE, payment_reference):
        wrong.append("paymentRefrenceNumber")
    if wrong:
        raise UnverifiedNotice(f"fawry shape: {', '.join(wrong)}")


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _is_amount(value: Any) -> bool:
    """A JSON number, or a plain decimal written as text; never a boolean, NaN or padding."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        try:
            return Decimal(str(value)).is_finite()
        except InvalidOperation:
            return False
    return _matches(_AMOUNT_TEXT, value)


def _two_decimals(amount: Any) -> str:
    if isinstance(amount, bool):
        raise ValueError("an amount, not a boolean")
    return f"{Decimal(str(amount)):.2f}"
