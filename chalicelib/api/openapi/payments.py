"""The OpenAPI entries of chalicelib/api/routes/payments.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    Parameter,
    error_answer,
    html_answer,
    json_answer,
    json_body,
    redirect_answer,
    ref,
    with_busy,
)
from chalicelib.api.openapi.schemas import (
    NATIONAL_ID_LAST4,
    TRACKING_NUMBER_PARAMETER,
)

_UNVERIFIED = error_answer("The notice's signature is wrong: nothing changed", "unverified_notice")

ENTRIES: dict[tuple[str, str], Entry] = {
    # fawry_callback
    ("POST", "/v1/payments/fawry/callback"): Entry(
        "Fawry's server notification V2",
        tag="payments",
        description="Signed with `messageSignature` (SHA-256 over the notice's fields and the secure key). "
        "`merchantRefNumber` is the `payment.reference` answered at submission.",
        body=json_body(
            "Fawry's notification",
            {
                "type": "object",
                "properties": {
                    "fawryRefNumber": {"type": "string"},
                    "merchantRefNumber": {"type": "string"},
                    "paymentAmount": {"type": "number"},
                    "orderAmount": {"type": "number"},
                    "orderStatus": {"type": "string"},
                    "paymentMethod": {"type": "string"},
                    "paymentRefrenceNumber": {"type": "string"},
                    "messageSignature": {"type": "string"},
                },
                "required": [
                    "fawryRefNumber",
                    "merchantRefNumber",
                    "paymentAmount",
                    "orderAmount",
                    "orderStatus",
                    "paymentMethod",
                    "messageSignature",
                ],
            },
            {
                "fawryRefNumber": "9781234567",
                "merchantRefNumber": "482910735612201",
                "paymentAmount": 500.0,
                "orderAmount": 500.0,
                "orderStatus": "PAID",
                "paymentMethod": "PAYATFAWRY",
                "paymentRefrenceNumber": "",
                "messageSignature": "<sha-256 hex>",
            },
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "A genuine notice, applied or recorded (a repeat changes nothing)", ref("NoticeAnswer")
                ),
                400: error_answer("Not a notice", "malformed_json"),
                401: _UNVERIFIED,
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
            }
        ),
    ),
    # paymob_callback
    ("POST", "/v1/payments/paymob/callback"): Entry(
        "Paymob's transaction-processed callback",
        tag="payments",
        parameters=(Parameter("hmac", "query", "HMAC-SHA512 (hex) of the transaction's signed fields", required=True),),
        body=json_body(
            "Paymob's callback",
            {
                "type": "object",
                "properties": {"type": {"type": "string"}, "obj": {"type": "object"}},
                "required": ["type", "obj"],
            },
            {
                "type": "TRANSACTION",
                "obj": {
                    "id": 192837,
                    "success": True,
                    "amount_cents": 50000,
                    "order": {"id": 556677, "merchant_order_id": "482910735612201"},
                },
            },
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "A genuine notice, applied or recorded (a repeat changes nothing)", ref("NoticeAnswer")
                ),
                400: error_answer("Not a notice", "malformed_json"),
                401: _UNVERIFIED,
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
            }
        ),
    ),
    # card_payment
    ("POST", "/v1/requests/{tracking_number}/card-payments"): Entry(
        "Start paying by card (Paymob)",
        tag="payments",
        description="Registers a Paymob order for the request's unpaid invoice. The track page's button "
        "posts here as a form and is sent on to the card page (303).",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "Proof that the request is yours",
            {
                "type": "object",
                "properties": {"national_id_last4": NATIONAL_ID_LAST4},
                "required": ["national_id_last4"],
            },
            {"national_id_last4": "٢٣٤٩"},
            form={"type": "object", "additionalProperties": {"type": "string"}},
        ),
        answers=with_busy(
            {
                201: json_answer(
                    "Where the card page is",
                    {
                        "type": "object",
                        "properties": {"tracking_number": {"type": "string"}, "redirect_url": {"type": "string"}},
                        "required": ["tracking_number", "redirect_url"],
                    },
                ),
                303: redirect_answer("The form post: on to the card page"),
                400: error_answer("Nothing to pay, or invalid digits", "invalid_fields")
                | html_answer("Why not, as a page"),
                404: error_answer("No request matches these details", "not_found"),
                429: error_answer(
                    "Too many card attempts for this invoice (card_orders_exhausted), or too many failed "
                    "proofs of this tracking number this hour (too_many_attempts)",
                    "card_orders_exhausted",
                ),
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
                503: error_answer(
                    "The card gateway cannot be reached now; nothing was written", "card_gateway_unavailable"
                )
                | html_answer("The same, as a page"),
            },
            pages=True,
        ),
    ),
}
