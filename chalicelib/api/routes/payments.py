"""Payment routes (CONTRACT.md): the gateways' callbacks, and starting a card payment.

Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.forms import or_form_page
from chalicelib.api.http.responses import answers_errors, error_response, json_response, time_left_s
from chalicelib.api.openapi import (
    Parameter,
    documented,
    error_answer,
    html_answer,
    json_answer,
    json_body,
    redirect_answer,
    ref,
    with_busy,
)
from chalicelib.api.openapi.schemas import NATIONAL_ID_LAST4, TRACKING_NUMBER_PARAMETER
from chalicelib.api.routes.portal_pages import pay_by_card
from chalicelib.observability.logs import logger

payments_api = Blueprint(__name__)


def _refused(reason: UnverifiedNotice) -> Response:
    # Anyone can post here: say no, change nothing, keep why for the logs.
    logger.warning("payment notice refused", extra={"reason": str(reason)})
    return error_response(
        401,
        "unverified_notice",
        "إشعار الدفع غير موثّق ولم يُعتد به.",
        "The payment notice could not be verified and was ignored.",
    )


_UNVERIFIED = error_answer("The notice's signature is wrong: nothing changed", "unverified_notice")


@payments_api.route("/v1/payments/fawry/callback", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES)
@documented(
    "Fawry's server notification V2",
    tag="payments",
    description="Signed with `messageSignature` (SHA-256 over the notice's fields and the secure key). "
    "`merchantRefNumber` is the `payment.reference` answered at submission.",
    body=json_body(
        "Fawry's notification",
        {"type": "object", "properties": {
            "fawryRefNumber": {"type": "string"}, "merchantRefNumber": {"type": "string"},
            "paymentAmount": {"type": "number"}, "orderAmount": {"type": "number"},
            "orderStatus": {"type": "string"}, "paymentMethod": {"type": "string"},
            "paymentRefrenceNumber": {"type": "string"}, "messageSignature": {"type": "string"}},
         "required": ["fawryRefNumber", "merchantRefNumber", "paymentAmount", "orderAmount", "orderStatus",
                      "paymentMethod", "messageSignature"]},
        {"fawryRefNumber": "9781234567", "merchantRefNumber": "482910735612201", "paymentAmount": 500.0,
         "orderAmount": 500.0, "orderStatus": "PAID", "paymentMethod": "PAYATFAWRY",
         "paymentRefrenceNumber": "", "messageSignature": "<sha-256 hex>"},
    ),
    answers=with_busy({
        200: json_answer("A genuine notice, applied or recorded (a repeat changes nothing)", ref("NoticeAnswer")),
        400: error_answer("Not a notice", "malformed_json"),
        401: _UNVERIFIED,
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
    }),
)  # fmt: skip
@answers_errors
def fawry_callback() -> Response:
    from chalicelib.services.payments import handle_fawry_notice

    body = json_object(payments_api.current_request)
    try:
        outcome = handle_fawry_notice(body, datetime.now(UTC))
    except UnverifiedNotice as reason:
        return _refused(reason)
    return json_response({"received": True, "outcome": outcome.value})


@payments_api.route("/v1/payments/paymob/callback", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES)
@documented(
    "Paymob's transaction-processed callback",
    tag="payments",
    parameters=(Parameter("hmac", "query", "HMAC-SHA512 (hex) of the transaction's signed fields", required=True),),
    body=json_body(
        "Paymob's callback",
        {"type": "object", "properties": {"type": {"type": "string"}, "obj": {"type": "object"}},
         "required": ["type", "obj"]},
        {"type": "TRANSACTION", "obj": {"id": 192837, "success": True, "amount_cents": 50000,
                                         "order": {"id": 556677, "merchant_order_id": "482910735612201"}}},
    ),
    answers=with_busy({
        200: json_answer("A genuine notice, applied or recorded (a repeat changes nothing)", ref("NoticeAnswer")),
        400: error_answer("Not a notice", "malformed_json"),
        401: _UNVERIFIED,
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
    }),
)  # fmt: skip
@answers_errors
def paymob_callback() -> Response:
    from chalicelib.services.payments import handle_paymob_notice

    request = payments_api.current_request
    body = json_object(request)
    try:
        outcome = handle_paymob_notice(body, (request.query_params or {}).get("hmac"), datetime.now(UTC))
    except UnverifiedNotice as reason:
        return _refused(reason)
    return json_response({"received": True, "outcome": outcome.value})


@payments_api.route(
    "/v1/requests/{tracking_number}/card-payments", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True
)
@documented(
    "Start paying by card (Paymob)",
    tag="payments",
    description="Registers a Paymob order for the request's unpaid invoice. The track page's button "
    "posts here as a form and is sent on to the card page (303).",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("Proof that the request is yours", {"type": "object", "properties": {
        "national_id_last4": NATIONAL_ID_LAST4}, "required": ["national_id_last4"]},
        {"national_id_last4": "٢٣٤٩"}, form={"type": "object", "additionalProperties": {"type": "string"}}),
    answers=with_busy({
        201: json_answer("Where the card page is", {"type": "object", "properties": {
            "tracking_number": {"type": "string"}, "redirect_url": {"type": "string"}},
            "required": ["tracking_number", "redirect_url"]}),
        303: redirect_answer("The form post: on to the card page"),
        400: error_answer("Nothing to pay, or invalid digits", "invalid_fields") | html_answer("Why not, as a page"),
        404: error_answer("No request matches these details", "not_found"),
            429: error_answer("Too many card attempts for this invoice (card_orders_exhausted), or too many failed "
                              "proofs of this tracking number this hour (too_many_attempts)", "card_orders_exhausted"),
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
        503: error_answer("The card gateway cannot be reached now; nothing was written", "card_gateway_unavailable")
        | html_answer("The same, as a page"),
    }, pages=True),
)  # fmt: skip
@or_form_page(pay_by_card, payments_api)  # the portal's "pay by card" button, a plain form
@answers_errors
def card_payment(tracking_number: str) -> Response:
    from chalicelib.services.payments import start_card_payment

    request = payments_api.current_request
    body = json_object(request)
    started = start_card_payment(tracking_number, body, datetime.now(UTC), time_left_s(request))
    return json_response(started, status_code=201)
