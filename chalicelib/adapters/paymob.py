"""Paymob: the transaction-processed callback's HMAC, and registering a card order.

The callback's HMAC is HMAC-SHA512, keyed with the merchant's HMAC secret, over the
concatenation (no separator) of SIGNED_FIELDS of `obj`, booleans written true/false.
merchant_order_id is not signed: it is only a hint to find the invoice, whose recorded
Paymob order ids must then include the signed order.id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.domain.payments import GatewayNotice, NoticeKind

GATEWAY = "paymob"
SIGNED_FIELDS = (
    "amount_cents", "created_at", "currency", "error_occured", "has_parent_transaction", "id",
    "integration_id", "is_3d_secure", "is_auth", "is_capture", "is_refunded", "is_standalone_payment",
    "is_voided", "order.id", "owner", "pending", "source_data.pan", "source_data.sub_type",
    "source_data.type", "success",
)  # fmt: skip
ORDER_ATTEMPT_SEPARATOR = "-"
REQUEST_TIMEOUT_S = 10


def paymob_hmac(obj: Mapping[str, Any], secret: str) -> str:
    text = "".join(_written(_field(obj, path)) for path in SIGNED_FIELDS)
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


def read_paymob_notice(callback: Mapping[str, Any], offered_hmac: str | None, secret: str) -> GatewayNotice:
    obj = callback.get("obj")
    if callback.get("type") != "TRANSACTION" or not isinstance(obj, Mapping) or not offered_hmac:
        raise UnverifiedNotice("not a signed Paymob transaction callback")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not hmac.compare_digest(paymob_hmac(obj, secret).encode(), offered_hmac.lower().encode("utf-8")):
        raise UnverifiedNotice("paymob hmac mismatch")
    order = obj.get("order")
    amount = obj.get("amount_cents")
    if not isinstance(order, Mapping) or isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise UnverifiedNotice("paymob callback without an order or an amount")
    merchant_order_id = str(order.get("merchant_order_id") or "")
    return GatewayNotice(
        gateway=GATEWAY,
        transaction_id=str(obj.get("id")),
        kind=_kind(obj),
        amount_piasters=amount,
        currency=str(obj.get("currency") or ""),
        method=str(_field(obj, "source_data.type") or "card"),
        reference=merchant_order_id.split(ORDER_ATTEMPT_SEPARATOR)[0],
        card_order_id=str(order.get("id")),
    )


class PaymobUnavailable(Exception):
    """Paymob is down, slow, or answered something unexpected."""


@dataclass(frozen=True)
class CardCheckout:
    order_id: str
    redirect_url: str


@dataclass(frozen=True)
class PaymobClient:
    """Paymob's accept API: authenticate, register the order, get a payment key, send the
    citizen to the card iframe. The billing data Paymob requires is sent as "NA": the gateway
    needs no part of the applicant's identity to take a card payment."""

    base_url: str
    api_key: str
    integration_id: int
    iframe_id: int

    def start_checkout(self, merchant_order_id: str, amount_piasters: int, expires_in_s: int) -> CardCheckout:
        """Raises PaymobUnavailable if Paymob cannot be reached or answers what it should not."""
        try:
            return self._checkout(merchant_order_id, amount_piasters, expires_in_s)
        except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, KeyError, TypeError) as failure:
            raise PaymobUnavailable(type(failure).__name__) from failure

    def _checkout(self, merchant_order_id: str, amount_piasters: int, expires_in_s: int) -> CardCheckout:
        token = self._post("/api/auth/tokens", {"api_key": self.api_key})["token"]
        order = self._post(
            "/api/ecommerce/orders",
            {"auth_token": token, "delivery_needed": False, "amount_cents": amount_piasters, "currency": "EGP",
             "merchant_order_id": merchant_order_id, "items": []},
        )  # fmt: skip
        payment_key = self._post(
            "/api/acceptance/payment_keys",
            {"auth_token": token, "amount_cents": amount_piasters, "expiration": expires_in_s,
             "order_id": order["id"], "currency": "EGP", "integration_id": self.integration_id,
             "billing_data": {name: "NA" for name in _BILLING_FIELDS}},
        )["token"]  # fmt: skip
        redirect = f"{self.base_url}/api/acceptance/iframes/{self.iframe_id}?payment_token={payment_key}"
        return CardCheckout(order_id=str(order["id"]), redirect_url=redirect)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - the configured Paymob base URL, https when deployed
            self.base_url + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as answer:  # noqa: S310
            return json.loads(answer.read())


_BILLING_FIELDS = (
    "first_name", "last_name", "email", "phone_number", "apartment", "floor", "street", "building",
    "shipping_method", "postal_code", "city", "country", "state",
)  # fmt: skip


def _kind(obj: Mapping[str, Any]) -> NoticeKind:
    if obj.get("is_voided") is True:
        return NoticeKind.VOIDED
    if obj.get("is_refunded") is True:
        return NoticeKind.REFUNDED
    if obj.get("pending") is True:
        return NoticeKind.PENDING
    return NoticeKind.PAID if obj.get("success") is True else NoticeKind.FAILED


def _field(obj: Mapping[str, Any], path: str) -> Any:
    value: Any = obj
    for name in path.split("."):
        value = value.get(name) if isinstance(value, Mapping) else None
    return value


def _written(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
