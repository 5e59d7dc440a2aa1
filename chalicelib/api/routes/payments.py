"""Payment routes (docs/interfaces.md#payment-callbacks): the gateways' callbacks, and starting a card payment.

Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.adapters.notices import UnverifiedNotice
from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.forms import or_form_page
from chalicelib.api.http.responses import answers_errors, error_response, json_response, time_left_s
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


@payments_api.route("/v1/payments/fawry/callback", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES)
@answers_errors
def fawry_callback() -> Response:
    from chalicelib.services.payment_notices import handle_fawry_notice

    body = json_object(payments_api.current_request)
    try:
        outcome = handle_fawry_notice(body, datetime.now(UTC))
    except UnverifiedNotice as reason:
        return _refused(reason)
    return json_response({"received": True, "outcome": outcome.value})


@payments_api.route("/v1/payments/paymob/callback", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES)
@answers_errors
def paymob_callback() -> Response:
    from chalicelib.services.payment_notices import handle_paymob_notice

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
@or_form_page(pay_by_card, payments_api)  # the portal's "pay by card" button, a plain form
@answers_errors
def card_payment(tracking_number: str) -> Response:
    from chalicelib.services.card_checkout import start_card_payment

    request = payments_api.current_request
    body = json_object(request)
    started = start_card_payment(tracking_number, body, datetime.now(UTC), time_left_s(request))
    return json_response(started, status_code=201)
