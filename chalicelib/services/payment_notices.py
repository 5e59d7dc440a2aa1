"""Payment notices from the gateways (Fawry, and Paymob's card payments), applied exactly once.

A notice is recorded in the same transaction as what it does to the request, on condition
that it was never recorded: a repeat finds its own record and changes nothing. If the
request changed between reading and writing (two gateways paying at once), the notice is
judged again against the new state. Starting a card payment is services/card_checkout.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.adapters.fawry import read_fawry_notice
from chalicelib.adapters.paymob import PaymobAccount, read_paymob_notice
from chalicelib.adapters.secrets import secret
from chalicelib.config import paymob_settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import Busy
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
from chalicelib.store.payments import NoticeAlreadyRecorded, PaymentNotice, load_card_order, record_notice
from chalicelib.store.requests.changes import VersionConflict
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord, load_request_record

JUDGEMENTS = 3
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
