"""Payment routes (CONTRACT.md): the gateways' callbacks, and starting a card payment."""

from __future__ import annotations

import json
import urllib.error
from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.api.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.responses import answers_errors, error_response, json_response
from chalicelib.observability.logs import logger
from chalicelib.services.payments import handle_fawry_notice, handle_paymob_notice, start_card_payment

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


@payments_api.route("/v1/payments/fawry/callback", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES)
@answers_errors
def fawry_callback() -> Response:
    body = json_object(payments_api.current_request)
    try:
        outcome = handle_fawry_notice(body, datetime.now(UTC))
    except UnverifiedNotice as reason:
        return _refused(reason)
    return json_response({"received": True, "outcome": outcome.value})


@payments_api.route("/v1/payments/paymob/callback", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES)
@answers_errors
def paymob_callback() -> Response:
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
@answers_errors
def card_payment(tracking_number: str) -> Response:
    body = json_object(payments_api.current_request)
    try:
        checkout = start_card_payment(tracking_number, body, datetime.now(UTC))
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError, KeyError) as failure:
        # The gateway is down, slow, or answered something unexpected: nothing was written.
        logger.warning("card gateway unavailable", extra={"reason": type(failure).__name__})
        return error_response(
            503,
            "card_gateway_unavailable",
            "الدفع بالبطاقة غير متاح الآن. يمكنك السداد نقدًا بالرقم المرجعي في أي منفذ فوري، أو المحاولة لاحقًا.",
            "Card payment is unavailable right now; pay with the Fawry reference at any outlet, or try later.",
        )
    return json_response(checkout, status_code=201)
