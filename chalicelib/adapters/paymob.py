"""Paymob: the transaction-processed callback's HMAC, and registering a card order.

The callback's HMAC is HMAC-SHA512, keyed with the merchant's HMAC secret, over the
concatenation (no separator) of SIGNED_FIELDS of `obj`, booleans written true/false.
Because nothing separates the values, the same HMAC also covers every other way of cutting
that text into fields (a digit of `id` moved into `integration_id` makes a "new"
transaction): so every signed field must have its one exact JSON type and shape before the
HMAC is even computed, and the integration and the owner (the merchant's account) must be
ours, which pins the two boundaries between integers that shapes alone cannot
(id | integration_id and order.id | owner).
merchant_order_id is not signed: it is only a hint; the signed order.id finds the invoice.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
_BOOLEANS = (
    "error_occured", "has_parent_transaction", "is_3d_secure", "is_auth", "is_capture", "is_refunded",
    "is_standalone_payment", "is_voided", "pending", "success",
)  # fmt: skip
_POSITIVE_INTEGERS = ("id", "integration_id", "order.id", "owner")
# Paymob writes created_at as an ISO moment, microseconds and an offset optional.
_ISO_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_CURRENCY = re.compile(r"[A-Z]{3}")
# The card's masked number, its brand and the source's type: short plain ASCII words, or absent.
_SOURCE_TEXT = re.compile(r"[0-9A-Za-z_*-]{0,40}")
_HMAC_HEX = re.compile(r"[0-9a-fA-F]{128}")
ORDER_ATTEMPT_SEPARATOR = "-"


def paymob_hmac(obj: Mapping[str, Any], secret: str) -> str:
    text = "".join(_written(_field(obj, path)) for path in SIGNED_FIELDS)
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


@dataclass(frozen=True)
class PaymobAccount:
    """Who we are at Paymob: the card integration and the merchant account owning it."""

    integration_id: int
    owner: int


def read_paymob_notice(
    callback: Mapping[str, Any], offered_hmac: str | None, secret: str, account: PaymobAccount
) -> GatewayNotice:
    """The notice, if its every signed field has its exact shape, it names our integration
    and owner, and the HMAC matches; UnverifiedNotice otherwise."""
    obj = callback.get("obj")
    if callback.get("type") != "TRANSACTION" or not isinstance(obj, Mapping):
        raise UnverifiedNotice("not a Paymob transaction callback")
    if not isinstance(offered_hmac, str) or not _HMAC_HEX.fullmatch(offered_hmac):
        raise UnverifiedNotice("paymob hmac missing or not 128 hex digits")
    _check_shapes(obj)
    if (obj["integration_id"], obj["owner"]) != (account.integration_id, account.owner):
        raise UnverifiedNotice("paymob notice for another integration or merchant")
    # compare_digest on two ASCII strings: the offered one is hex, checked above.
    if not hmac.compare_digest(paymob_hmac(obj, secret), offered_hmac.lower()):
        raise UnverifiedNotice("paymob hmac mismatch")
    order = obj["order"]
    merchant_order_id = order.get("merchant_order_id")
    hint = merchant_order_id if isinstance(merchant_order_id, str) else ""
    return GatewayNotice(
        gateway=GATEWAY,
        transaction_id=str(obj["id"]),
        kind=_kind(obj),
        amount_piasters=obj["amount_cents"],
        currency=obj["currency"],
        method=_field(obj, "source_data.type") or "card",
        reference=hint.split(ORDER_ATTEMPT_SEPARATOR)[0],
        card_order_id=str(order["id"]),
    )


def _check_shapes(obj: Mapping[str, Any]) -> None:
    """Every signed field as Paymob writes it, nothing else: a JSON true/false, a positive
    JSON integer, whole non-negative cents, an ISO created_at, a 3-letter currency."""
    if not isinstance(obj.get("order"), Mapping) or not isinstance(obj.get("source_data", {}), Mapping):
        raise UnverifiedNotice("paymob shape: no order or source_data object")
    wrong = [path for path in _BOOLEANS if type(_field(obj, path)) is not bool]
    wrong += [path for path in _POSITIVE_INTEGERS if not _is_whole(_field(obj, path), minimum=1)]
    if not _is_whole(obj.get("amount_cents"), minimum=0):
        wrong.append("amount_cents")
    if not _is_iso_moment(obj.get("created_at")):
        wrong.append("created_at")
    if not (isinstance(obj.get("currency"), str) and _CURRENCY.fullmatch(obj["currency"])):
        wrong.append("currency")
    for path in ("source_data.pan", "source_data.sub_type", "source_data.type"):
        value = _field(obj, path)
        if value is not None and not (isinstance(value, str) and _SOURCE_TEXT.fullmatch(value)):
            wrong.append(path)
    if wrong:
        raise UnverifiedNotice(f"paymob shape: {', '.join(wrong)}")


def _is_whole(value: Any, minimum: int) -> bool:
    # bool is an int in Python, and JSON's true is no id.
    return type(value) is int and value >= minimum


def _is_iso_moment(value: Any) -> bool:
    if not isinstance(value, str) or not _ISO_MOMENT.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


class PaymobUnavailable(Exception):
    """Paymob is down, slow, or answered something unexpected."""


@dataclass(frozen=True)
class CardCheckout:
    """A registered Paymob order and the address of its card page, where the citizen is sent."""

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

    def start_checkout(
        self, merchant_order_id: str, amount_piasters: int, expires_in_s: int, deadline: float
    ) -> CardCheckout:
        """Raises PaymobUnavailable if Paymob cannot be reached, answers what it should not, or
        has not finished by `deadline` (a time.monotonic() value) shared by all three calls."""
        try:
            return self._checkout(merchant_order_id, amount_piasters, expires_in_s, deadline)
        except (urllib.error.URLError, OSError, json.JSONDecodeError, KeyError, TypeError) as failure:
            raise PaymobUnavailable(type(failure).__name__) from failure

    def _checkout(
        self, merchant_order_id: str, amount_piasters: int, expires_in_s: int, deadline: float
    ) -> CardCheckout:
        token = self._post("/api/auth/tokens", {"api_key": self.api_key}, deadline)["token"]
        order = self._post(
            "/api/ecommerce/orders",
            {"auth_token": token, "delivery_needed": False, "amount_cents": amount_piasters, "currency": "EGP",
             "merchant_order_id": merchant_order_id, "items": []},
            deadline,
        )  # fmt: skip
        payment_key = self._post(
            "/api/acceptance/payment_keys",
            {"auth_token": token, "amount_cents": amount_piasters, "expiration": expires_in_s,
             "order_id": order["id"], "currency": "EGP", "integration_id": self.integration_id,
             "billing_data": {name: "NA" for name in _BILLING_FIELDS}},
            deadline,
        )["token"]  # fmt: skip
        redirect = f"{self.base_url}/api/acceptance/iframes/{self.iframe_id}?payment_token={payment_key}"
        return CardCheckout(order_id=str(order["id"]), redirect_url=redirect)

    def _post(self, path: str, body: dict[str, Any], deadline: float) -> dict[str, Any]:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the checkout's deadline passed before {path}")
        request = urllib.request.Request(  # noqa: S310 - the configured Paymob base URL, https when deployed
            self.base_url + path,
            data=json.dumps(body).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        # The socket's timeout is the time left for the whole checkout, not a fresh one per call.
        with urllib.request.urlopen(request, timeout=left) as answer:  # noqa: S310
            payload = answer.read()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} answered after the checkout's deadline")
        return json.loads(payload)


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
