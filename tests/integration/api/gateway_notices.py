"""Gateway notices signed the way DOMAIN.md says Fawry and Paymob sign them, written out by
hand here (hashlib and hmac, never the adapters' own signing functions), and the posting,
counting and reading helpers the payment tests share."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import boto3
from chalice.test import Client

from chalicelib.store.payments import record_card_order
from chalicelib.store.requests.changes import load_request
from chalicelib.store.requests.checkout_attempts import reserve_checkout_attempt
from tests.factories import national_id, submission
from tests.integration.api.calls import post_json

# The local stage's documented defaults (docs/interfaces.md#local-secrets, chalicelib/adapters/secrets.py).
FAWRY_SECURE_KEY = "local-fawry-secure-key"
PAYMOB_HMAC_SECRET = "local-paymob-hmac-secret"

FAWRY_CALLBACK = "/v1/payments/fawry/callback"
PAYMOB_CALLBACK = "/v1/payments/paymob/callback"
REQUESTS_TABLE = "shobbak-local-requests"
PAYMENTS_TABLE = "shobbak-local-payments"


def two_decimals(amount: Any) -> str:
    return f"{Decimal(str(amount)):.2f}"


def fawry_signature_by_hand(notice: dict[str, Any], secure_key: str) -> str:
    """DOMAIN.md: hex SHA-256 (a plain hash) of fawryRefNumber + merchantRefNumber +
    paymentAmount (2 decimals) + orderAmount (2 decimals) + orderStatus + paymentMethod +
    (paymentRefrenceNumber or "") + secureKey."""
    text = (
        str(notice["fawryRefNumber"])
        + str(notice["merchantRefNumber"])
        + two_decimals(notice["paymentAmount"])
        + two_decimals(notice["orderAmount"])
        + str(notice["orderStatus"])
        + str(notice["paymentMethod"])
        + str(notice.get("paymentRefrenceNumber") or "")
        + secure_key
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fawry_notice(
    reference: str,
    amount_egp: Any,
    status: str = "PAID",
    fawry_ref: str = "9990000001",
    method: str = "PAYATFAWRY",
    payment_reference: str | None = "FWR-0001",
    secure_key: str = FAWRY_SECURE_KEY,
    **unsigned: Any,
) -> dict[str, Any]:
    """A Fawry server notification V2 for the invoice `reference`, signed with `secure_key`."""
    notice: dict[str, Any] = {
        "requestId": "c72827d084ea4b88949d91dd2db4996e",
        "fawryRefNumber": fawry_ref,
        "merchantRefNumber": reference,
        "customerMobile": "01000000000",
        "customerMail": "",
        "paymentAmount": amount_egp,
        "orderAmount": amount_egp,
        "fawryFees": 0.0,
        "orderStatus": status,
        "paymentMethod": method,
        "paymentTime": 1764230400000,
        "customerName": "",
        **unsigned,
    }
    if payment_reference is not None:
        notice["paymentRefrenceNumber"] = payment_reference
    notice["messageSignature"] = fawry_signature_by_hand(notice, secure_key)
    return notice


PAYMOB_SIGNED = (
    "amount_cents", "created_at", "currency", "error_occured", "has_parent_transaction", "id",
    "integration_id", "is_3d_secure", "is_auth", "is_capture", "is_refunded", "is_standalone_payment",
    "is_voided", "order.id", "owner", "pending", "source_data.pan", "source_data.sub_type",
    "source_data.type", "success",
)  # fmt: skip


def paymob_written(value: Any) -> str:
    """DOMAIN.md: booleans are written true / false; an absent value contributes nothing."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def paymob_value(obj: dict[str, Any], path: str) -> Any:
    head, _, rest = path.partition(".")
    value = obj.get(head)
    if rest:
        return value.get(rest) if isinstance(value, dict) else None
    return value


def paymob_hmac_by_hand(obj: dict[str, Any], secret: str) -> str:
    """DOMAIN.md: HMAC-SHA512 keyed with the HMAC secret over the listed values, no separator."""
    text = "".join(paymob_written(paymob_value(obj, path)) for path in PAYMOB_SIGNED)
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha512).hexdigest()


def paymob_obj(
    merchant_order_id: str,
    amount_cents: int,
    order_id: int | str,
    transaction_id: int = 192036465,
    success: bool = True,
    pending: bool = False,
    is_refunded: bool = False,
    is_voided: bool = False,
    currency: str = "EGP",
) -> dict[str, Any]:
    """The `obj` of a Paymob transaction-processed callback, shaped as Paymob sends it."""
    return {
        "id": transaction_id,
        "pending": pending,
        "amount_cents": amount_cents,
        "success": success,
        "is_auth": False,
        "is_capture": False,
        "is_standalone_payment": True,
        "is_voided": is_voided,
        "is_refunded": is_refunded,
        "is_3d_secure": True,
        "integration_id": 1,  # the local stage's configured integration and merchant (.chalice/config.json)
        "profile_id": 164295,
        "has_parent_transaction": False,
        "order": {
            "id": order_id,
            "created_at": "2026-11-27T10:31:02.112233",
            "delivery_needed": False,
            "merchant_order_id": merchant_order_id,
            "amount_cents": amount_cents,
            "currency": currency,
        },
        "created_at": "2026-11-27T10:33:44.592345",
        "currency": currency,
        "source_data": {"pan": "2346", "type": "card", "sub_type": "MasterCard"},
        "error_occured": False,
        "owner": 4242,
        "data": {"message": "Approved"},
    }


def paymob_callback(obj: dict[str, Any], secret: str = PAYMOB_HMAC_SECRET) -> tuple[dict[str, Any], str]:
    """The callback body and its `?hmac=`."""
    return {"type": "TRANSACTION", "obj": obj}, paymob_hmac_by_hand(obj, secret)


def post_fawry(client: Client, notice: dict[str, Any]) -> Any:
    return post_json(client, FAWRY_CALLBACK, notice)


def post_paymob(client: Client, body: dict[str, Any], offered_hmac: str | None) -> Any:
    path = PAYMOB_CALLBACK if offered_hmac is None else f"{PAYMOB_CALLBACK}?hmac={offered_hmac}"
    return post_json(client, path, body)


def submit(client: Client, service_code: str | None = None, district_code: str = "dokki") -> dict[str, Any]:
    """A fee-bearing request, submitted online: its answer, with the invoice."""
    response = post_json(client, "/v1/requests", submission(service_code, district_code=district_code))
    assert response.status_code == 201, response.body
    answer = response.json_body
    assert answer["payment"] is not None, answer
    return answer


def register_card_order(tracking_number: str, order_id: str) -> None:
    """What starting a card checkout leaves behind: the invoice's next card attempt holding
    the Paymob order id, and the order filed under its id."""
    stored = load_request(tracking_number)
    assert stored is not None
    assert stored.request.payment is not None
    now = datetime.now(UTC)
    attempt = reserve_checkout_attempt(
        tracking_number, stored.request.payment.reference, len(stored.checkout_attempts) + 1, now
    )
    record_card_order(attempt, order_id, now)


def inquiry(client: Client, tracking_number: str) -> dict[str, Any]:
    body = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    response = post_json(client, "/v1/inquiries", body)
    assert response.status_code == 200, response.body
    return response.json_body


def table_items(table: str) -> list[dict[str, Any]]:
    dynamodb = boto3.client("dynamodb")
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = dynamodb.scan(**kwargs)
        items.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return items
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def snapshot() -> str:
    """Every item of the requests and payments tables, canonically: equal snapshots, nothing changed."""
    return json.dumps(
        {table: sorted(table_items(table), key=json.dumps) for table in (REQUESTS_TABLE, PAYMENTS_TABLE)},
        sort_keys=True,
    )


def recorded_notices() -> list[dict[str, Any]]:
    """The payment notices recorded so far, as plain values."""
    notices = []
    for item in table_items(PAYMENTS_TABLE):
        if item["key"]["S"].startswith("notice#"):
            notices.append({name: next(iter(value.values())) for name, value in item.items()})
    return notices
