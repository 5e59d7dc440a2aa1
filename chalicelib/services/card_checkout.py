"""A card payment started: a Paymob order registered for a request's invoice, and where to send
the citizen to pay it. Paymob's word that it was paid is services/payment_notices.py's."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.adapters.paymob import ORDER_ATTEMPT_SEPARATOR, PaymobClient, PaymobUnavailable
from chalicelib.adapters.secrets import secret
from chalicelib.config import card_orders_per_invoice, paymob_settings
from chalicelib.domain.errors import InvalidInput, Unavailable
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.payments import PIASTERS_PER_POUND
from chalicelib.domain.statuses import Status
from chalicelib.observability.logs import logger
from chalicelib.services.limits import proven_request
from chalicelib.store.payments import record_card_order
from chalicelib.store.requests.checkout_attempts import AttemptTaken, CheckoutAttempt, reserve_checkout_attempt

# Time kept back from the function's limit after Paymob's calls, to write the order and answer.
CHECKOUT_MARGIN_S = 3.0
_CARD_GATEWAY_DOWN_AR = (
    "الدفع بالبطاقة غير متاح الآن. يمكنك السداد نقدًا بالرقم المرجعي في أي منفذ فوري، أو المحاولة لاحقًا."
)
_CARD_GATEWAY_DOWN_EN = (
    "Card payment is unavailable right now; pay with the Fawry reference at any outlet, or try later."
)


def start_card_payment(
    tracking_number: str, body: Mapping[str, Any], now: datetime, time_left_s: float | None = None
) -> dict[str, Any]:
    """Registers a Paymob order for the request's invoice and says where to send the citizen.

    `time_left_s` is what is left of the function's own time limit, when it runs under one:
    Paymob's calls all end well before it, so that a slow gateway is answered (503), never
    cut off mid-request."""
    stored = proven_request(read_inquiry({**body, "tracking_number": tracking_number}), now)
    request = stored.request
    payment = request.payment
    if payment is None or payment.status != "unpaid" or request.status != Status.AWAITING_PAYMENT.value:
        raise InvalidInput(
            code="nothing_to_pay",
            message_ar="لا توجد رسوم مستحقة السداد على هذا الطلب.",
            message_en="There is no fee due on this request.",
        )
    if now > payment.expires_at:
        raise InvalidInput(
            code="invoice_expired",
            message_ar="انتهت صلاحية فاتورة السداد. تواصل مع مركز الخدمات لإصدار فاتورة جديدة.",
            message_en="The invoice has expired; contact the service centre for a new one.",
        )
    configured = paymob_settings()
    deadline = time.monotonic() + checkout_time_s(configured.checkout_seconds, time_left_s)
    attempt = _reserve_attempt(request.tracking_number, payment.reference, stored.checkout_attempts, now)
    client = PaymobClient(
        configured.api_base, secret("PAYMOB_API_KEY"), configured.integration_id, configured.iframe_id
    )
    try:
        checkout = client.start_checkout(
            f"{payment.reference}{ORDER_ATTEMPT_SEPARATOR}{attempt.attempt}",
            int(payment.amount_egp) * PIASTERS_PER_POUND,
            int((payment.expires_at - now).total_seconds()),
            deadline,
        )
    except PaymobUnavailable as failure:
        logger.warning("card gateway unavailable", extra={"reason": str(failure)})
        raise Unavailable("card_gateway_unavailable", _CARD_GATEWAY_DOWN_AR, _CARD_GATEWAY_DOWN_EN) from failure
    record_card_order(attempt, checkout.order_id, now)
    logger.info("card checkout started", extra={"tracking_number": request.tracking_number})
    return {"tracking_number": request.tracking_number, "redirect_url": checkout.redirect_url}


def checkout_time_s(configured_s: float, time_left_s: float | None) -> float:
    """The one time budget all of a checkout's Paymob calls share."""
    if time_left_s is None:
        return configured_s
    return max(0.0, min(configured_s, time_left_s - CHECKOUT_MARGIN_S))


def _reserve_attempt(
    tracking_number: str, reference: str, attempts: list[CheckoutAttempt], now: datetime
) -> CheckoutAttempt:
    """The next free attempt number for the invoice, reserved, up to the configured cap: every
    reserved number counts, since Paymob may have registered an order whose answer was lost."""
    cap = card_orders_per_invoice()
    taken = {attempt.attempt for attempt in attempts if attempt.reference == reference}
    for number in range(1, cap + 1):
        if number in taken:
            continue
        try:
            return reserve_checkout_attempt(tracking_number, reference, number, now)
        except AttemptTaken:
            continue  # a click racing this one took it: try the next
    raise InvalidInput(
        code="card_orders_exhausted",
        message_ar=(
            "بلغت محاولات الدفع بالبطاقة لهذه الفاتورة حدها الأقصى. "
            "يمكنك السداد نقدًا بالرقم المرجعي في أي منفذ فوري، أو التواصل مع مركز الخدمات."
        ),
        message_en=(
            "This invoice has reached its limit of card payment attempts; pay with the Fawry reference at any "
            "outlet, or contact the service centre."
        ),
    )
