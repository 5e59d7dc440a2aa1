"""Payments: gateway notices applied exactly once, and card checkouts started.

A notice is recorded in the same transaction as what it does to the request, on condition
that it was never recorded: a repeat finds its own record and changes nothing. If the
request changed between reading and writing (two gateways paying at once), the notice is
judged again against the new state.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.adapters.fawry import read_fawry_notice
from chalicelib.adapters.paymob import (
    ORDER_ATTEMPT_SEPARATOR,
    PaymobAccount,
    PaymobClient,
    PaymobUnavailable,
    read_paymob_notice,
)
from chalicelib.adapters.secrets import secret
from chalicelib.config import card_orders_per_invoice, paymob_settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import Busy, InvalidInput, Unavailable
from chalicelib.domain.inquiry import read_inquiry
from chalicelib.domain.payments import (
    APPLIED,
    FLAGGED,
    PIASTERS_PER_POUND,
    UNDONE,
    GatewayNotice,
    Invoice,
    Outcome,
    judge,
    tracking_number_of,
)
from chalicelib.domain.statuses import Status
from chalicelib.domain.tracking import is_valid_tracking_number
from chalicelib.observability.logs import logger
from chalicelib.observability.metrics import Metric, count
from chalicelib.services.limits import proven_request
from chalicelib.store.payments import (
    NoticeAlreadyRecorded,
    PaymentNotice,
    load_card_order,
    record_card_order,
    record_notice,
)
from chalicelib.store.requests.changes import VersionConflict
from chalicelib.store.requests.checkout_attempts import AttemptTaken, CheckoutAttempt, reserve_checkout_attempt
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord, load_request_record

JUDGEMENTS = 3
# Time kept back from the function's limit after Paymob's calls, to write the order and answer.
CHECKOUT_MARGIN_S = 3.0
_CARD_GATEWAY_DOWN_AR = (
    "الدفع بالبطاقة غير متاح الآن. يمكنك السداد نقدًا بالرقم المرجعي في أي منفذ فوري، أو المحاولة لاحقًا."
)
_CARD_GATEWAY_DOWN_EN = (
    "Card payment is unavailable right now; pay with the Fawry reference at any outlet, or try later."
)
GATEWAY_NAMES_AR = {"fawry": "فوري", "paymob": "بطاقة بنكية عبر باي موب"}


def handle_fawry_notice(body: Mapping[str, Any], now: datetime) -> Outcome:
    return apply_notice(read_fawry_notice(body, secret("FAWRY_SECURE_KEY")), now)


def handle_paymob_notice(body: Mapping[str, Any], offered_hmac: str | None, now: datetime) -> Outcome:
    configured = paymob_settings()
    ours = PaymobAccount(integration_id=configured.integration_id, owner=configured.merchant_id)
    notice = read_paymob_notice(body, offered_hmac, secret("PAYMOB_HMAC_SECRET"), ours)
    return apply_notice(notice, now)


def apply_notice(notice: GatewayNotice, now: datetime) -> Outcome:
    """Judges a verified notice against its invoice and records both, once."""
    for _ in range(JUDGEMENTS):
        request = _request_named_by(notice)
        outcome = judge(notice, _invoice(request), now)
        if outcome is Outcome.ALREADY_APPLIED:
            return outcome
        moved = _what_it_does(request, notice, outcome, now)
        # No message: the gateway's receipt confirms the payment, and the reminder comes if it never reached us.
        try:
            record_notice(_notice_record(notice, request, outcome, now), moved)
        except NoticeAlreadyRecorded:
            return Outcome.ALREADY_APPLIED
        except VersionConflict:
            continue
        _log(notice, request, outcome)
        return outcome
    # The request kept changing under the notice (other notices, moves): nothing was recorded,
    # and the gateway, told to try again, sends the notice again later.
    raise Busy(contended=True)


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


def _request_named_by(notice: GatewayNotice) -> RequestRecord | None:
    """The request whose invoice the notice is about, found by what the gateway signed.

    Fawry signs the invoice reference. Paymob signs only its own order id, which leads to the
    invoice the order was registered for (the unsigned merchant_order_id is never trusted).
    """
    if notice.card_order_id is None:
        return _request_by_reference(notice.reference)
    order = load_card_order(notice.card_order_id)
    return _request_by_reference(order.reference) if order is not None else None


def _request_by_reference(reference: str) -> RequestRecord | None:
    tracking_number = tracking_number_of(reference)
    if not reference.isascii() or not is_valid_tracking_number(tracking_number):
        return None
    request = load_request_record(tracking_number)
    if request is None or request.payment is None or request.payment.reference != reference:
        return None
    return request


def _invoice(request: RequestRecord | None) -> Invoice | None:
    if request is None or request.payment is None:
        return None
    payment = request.payment
    return Invoice(
        reference=payment.reference,
        amount_piasters=int(payment.amount_egp) * PIASTERS_PER_POUND,
        status=payment.status,
        expires_at=payment.expires_at,
        paid_by=payment.paid_by,
        paid_with=payment.paid_with,
        refunded_piasters=int(payment.refunded_piasters or 0),
        request_status=Status(request.status),
    )


def _notice_record(
    notice: GatewayNotice, request: RequestRecord | None, outcome: Outcome, now: datetime
) -> PaymentNotice:
    district = request.district_code if request else "unknown"
    service = request.service_code if request else "unknown"
    return PaymentNotice(
        f"notice#{notice.key}",
        gateway=notice.gateway,
        transaction_id=notice.transaction_id,
        kind=notice.kind.value,
        reference=notice.reference,
        tracking_number=request.tracking_number if request else None,
        district_code=request.district_code if request else None,
        service_code=request.service_code if request else None,
        amount_piasters=notice.amount_piasters,
        currency=notice.currency,
        method=notice.method,
        outcome=outcome.value,
        received_at=now,
        ledger_day=cairo_today(now).isoformat(),
        ledger_order=f"{district}#{service}#{notice.key}",
    )


def _what_it_does(
    request: RequestRecord | None, notice: GatewayNotice, outcome: Outcome, now: datetime
) -> tuple[RequestRecord, HistoryEntry, int] | None:
    """The request as the notice leaves it, with its history entry; None when it is untouched."""
    if request is None or request.payment is None or outcome not in APPLIED | UNDONE:
        return None
    read_version = request.version
    before = request.status
    if outcome in APPLIED:
        request.status = Status.IN_REVIEW.value
        request.payment.status = "paid"
        request.payment.paid_by = notice.key
        request.payment.paid_with = notice.payment
        request.payment.paid_at = now
        note = f"سُددت الرسوم عبر {GATEWAY_NAMES_AR[notice.gateway]}، رقم العملية {notice.transaction_id}"
    else:
        request.payment.refunded_piasters = int(request.payment.refunded_piasters or 0) + notice.amount_piasters
        what = "رُدّت الرسوم" if outcome is Outcome.REFUNDED else "رُدّ جزء من الرسوم"
        if outcome is Outcome.REFUNDED:
            request.payment.status = "refunded"
        pounds = f"{notice.amount_piasters / PIASTERS_PER_POUND:.2f}"
        note = f"{what} ({pounds} جنيه) عبر {GATEWAY_NAMES_AR[notice.gateway]}، رقم العملية {notice.transaction_id}"
    request.version = read_version + 1
    request.updated_at = now
    request.place_in_queues()
    event = HistoryEntry.STATUS_CHANGE if outcome in APPLIED else HistoryEntry.PAYMENT_REFUNDED
    entry = HistoryEntry.on(request, event, now, from_status=before, actor_role="payment", actor=notice.gateway,
                            note=note)  # fmt: skip
    return request, entry, read_version


def _log(notice: GatewayNotice, request: RequestRecord | None, outcome: Outcome) -> None:
    details = {
        "gateway": notice.gateway,
        "transaction_id": notice.transaction_id,
        "notice_kind": notice.kind.value,
        "outcome": outcome.value,
        "tracking_number": request.tracking_number if request else None,
    }
    if outcome in FLAGGED:
        # The alarm on this key (infra) calls someone to look: money came that was not applied as is.
        logger.error("payment notice needs attention", extra={**details, "alert": "payment_flagged"})
        count(Metric.PAYMENT_FLAGGED, by=notice.gateway)
    else:
        logger.info("payment notice recorded", extra=details)
    if outcome in APPLIED:
        count(Metric.PAYMENT_APPLIED, by=notice.gateway)
