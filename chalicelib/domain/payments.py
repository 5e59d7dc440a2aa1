"""Invoices and what a gateway's notice does to them: the rules of applying money exactly once.

A notice is judged against the invoice as it stands; the judgement (an Outcome) says whether
the request moves on, and whether reconciliation must look at it. Money is counted in
piasters (1/100 EGP) so that no float ever compares two amounts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from chalicelib.domain.statuses import Status
from chalicelib.domain.tracking import PAYLOAD_LENGTH, is_valid_tracking_number

INVOICE_SEQUENCE_DIGITS = 2
CURRENCY = "EGP"
PIASTERS_PER_POUND = 100


def first_invoice_reference(tracking_number: str) -> str:
    """The merchant reference of a request's first invoice.

    The tracking number followed by an invoice sequence, so that a gateway's callback leads
    straight to its request by key, and a re-issued invoice (after expiry) gets a new one.
    """
    return f"{tracking_number}{1:0{INVOICE_SEQUENCE_DIGITS}d}"


def tracking_number_of(reference: str) -> str:
    return reference[:-INVOICE_SEQUENCE_DIGITS]


# A reference as this service issues it: a tracking number (its payload and check digit) and
# the invoice sequence, ASCII digits only. Its length is fixed, which pins where it starts and
# ends inside a gateway's signed text.
_ISSUED_REFERENCE = re.compile(rf"[0-9]{{{PAYLOAD_LENGTH + 1 + INVOICE_SEQUENCE_DIGITS}}}")


def is_issued_reference(text: str) -> bool:
    return _ISSUED_REFERENCE.fullmatch(text) is not None and is_valid_tracking_number(tracking_number_of(text))


def piasters(amount: str | int | float | Decimal) -> int | None:
    """An amount in pounds as a gateway writes it ("1000.00", 1000) in piasters; None if it is no amount."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0:
        return None
    return int((value * PIASTERS_PER_POUND).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class NoticeKind(StrEnum):
    PAID = "paid"
    FAILED = "failed"
    PENDING = "pending"
    REFUNDED = "refunded"
    VOIDED = "voided"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class GatewayNotice:
    """A verified notice from a gateway, in this service's words."""

    gateway: str
    transaction_id: str
    kind: NoticeKind
    amount_piasters: int
    currency: str
    method: str
    reference: str  # the invoice reference the notice names
    card_order_id: str | None = None  # Paymob's signed order id, checked against the invoice
    # What the gateway signs that tells this notice from another of the same transaction and
    # kind: Fawry reports every refund of a payment under the payment's one reference number.
    told_apart_by: str | None = None

    @property
    def key(self) -> str:
        """One key per gateway transaction, what happened to it and, where the gateway sends
        several alike (Fawry's refunds), what tells them apart: the same notice twice has the
        same key, so it can be recorded only once, and a second refund has another."""
        key = f"{self.gateway}#{self.transaction_id}#{self.kind.value}"
        return f"{key}#{self.told_apart_by}" if self.told_apart_by else key

    @property
    def payment(self) -> str:
        """The payment the notice is about, which a refund or void names to undo it: Paymob
        pays an order once, so its signed order id names the payment (a refund is a
        transaction of its own on that order); Fawry's reference number lives as long as
        the payment does."""
        return f"{self.gateway}#{self.card_order_id or self.transaction_id}"


@dataclass(frozen=True)
class Invoice:
    """What a request owes and where its payment stands, in piasters."""

    reference: str
    amount_piasters: int
    status: str  # "unpaid", "paid" or "refunded" (docs/interfaces.md#inquiry's payment_status)
    expires_at: datetime
    paid_by: str | None  # the key of the notice applied
    paid_with: str | None  # the payment it was (GatewayNotice.payment)
    refunded_piasters: int  # how much of it has been given back so far
    request_status: Status


class Outcome(StrEnum):
    PAID = "paid"  # applied: the request moves on to review
    PAID_AFTER_EXPIRY = "paid_after_expiry"  # applied (the money is real), flagged
    PAID_TWICE = "paid_twice"  # another transaction already paid it: recorded, flagged for refund
    PAID_WHEN_CLOSED = "paid_when_closed"  # the request was cancelled: recorded, flagged for refund
    AMOUNT_MISMATCH = "amount_mismatch"  # recorded and alerted, never applied
    REFUNDED = "refunded"  # the invoice's payment was given back, all of it by now
    PARTIALLY_REFUNDED = "partially_refunded"  # part of it was given back: it stays paid
    REFUND_OF_UNAPPLIED = "refund_of_unapplied_payment"  # a payment never applied (paid twice) went back
    REFUND_AMOUNT_MISMATCH = "refund_amount_mismatch"  # more back than is left of the payment: flagged
    REFUND_WITHOUT_PAYMENT = "refund_without_payment"  # recorded, flagged
    REFUND_UNKNOWN_INVOICE = "refund_unknown_invoice"  # money back naming no invoice of ours: flagged
    UNKNOWN_INVOICE = "unknown_invoice"  # genuine, but names no invoice of ours: recorded, flagged
    NO_MONEY = "no_money"  # failed, pending, expired or cancelled: recorded only
    ALREADY_APPLIED = "already_applied"  # this very transaction paid it before: nothing to do


APPLIED = frozenset({Outcome.PAID, Outcome.PAID_AFTER_EXPIRY})
UNDONE = frozenset({Outcome.REFUNDED, Outcome.PARTIALLY_REFUNDED})  # a refund of the applied payment
MONEY_IN = frozenset(
    {Outcome.PAID, Outcome.PAID_AFTER_EXPIRY, Outcome.PAID_TWICE, Outcome.PAID_WHEN_CLOSED, Outcome.AMOUNT_MISMATCH,
     Outcome.UNKNOWN_INVOICE}
)  # fmt: skip
FLAGGED = frozenset(
    {Outcome.PAID_AFTER_EXPIRY, Outcome.PAID_TWICE, Outcome.PAID_WHEN_CLOSED, Outcome.AMOUNT_MISMATCH,
     Outcome.REFUND_WITHOUT_PAYMENT, Outcome.REFUND_AMOUNT_MISMATCH, Outcome.REFUND_UNKNOWN_INVOICE,
     Outcome.UNKNOWN_INVOICE}
)  # fmt: skip
MONEY_BACK = frozenset({NoticeKind.REFUNDED, NoticeKind.VOIDED})


def judge(notice: GatewayNotice, invoice: Invoice | None, now: datetime) -> Outcome:
    """What a verified notice means for the invoice it names (None: it names none of ours)."""
    if notice.kind in MONEY_BACK:
        return _judge_money_back(notice, invoice)
    if invoice is None:
        return Outcome.UNKNOWN_INVOICE if notice.kind is NoticeKind.PAID else Outcome.NO_MONEY
    if notice.kind is not NoticeKind.PAID:
        return Outcome.NO_MONEY
    if invoice.paid_by is not None:
        return Outcome.ALREADY_APPLIED if invoice.paid_by == notice.key else Outcome.PAID_TWICE
    if notice.currency != CURRENCY or notice.amount_piasters != invoice.amount_piasters:
        return Outcome.AMOUNT_MISMATCH
    if invoice.request_status is not Status.AWAITING_PAYMENT:
        return Outcome.PAID_WHEN_CLOSED
    return Outcome.PAID_AFTER_EXPIRY if now > invoice.expires_at else Outcome.PAID


def _judge_money_back(notice: GatewayNotice, invoice: Invoice | None) -> Outcome:
    """A refund or void undoes only the payment it names, and only as much as it says."""
    if invoice is None:
        return Outcome.REFUND_UNKNOWN_INVOICE
    if invoice.paid_with is None:
        return Outcome.REFUND_WITHOUT_PAYMENT
    if invoice.paid_with != notice.payment:
        return Outcome.REFUND_OF_UNAPPLIED
    left = invoice.amount_piasters - invoice.refunded_piasters
    if notice.currency != CURRENCY or notice.amount_piasters > left:
        return Outcome.REFUND_AMOUNT_MISMATCH
    return Outcome.REFUNDED if notice.amount_piasters == left else Outcome.PARTIALLY_REFUNDED


@dataclass(frozen=True)
class ReconciledLine:
    """A day's money for one district and service: pounds only (money in another currency is flagged)."""

    district_code: str  # "unknown" for money naming no invoice
    service_code: str
    received_piasters: int
    refunded_piasters: int
    payments: int


@dataclass(frozen=True)
class ReconciliationFlag:
    """A notice reconciliation must look at (its outcome is in FLAGGED)."""

    outcome: str
    gateway: str
    transaction_id: str
    reference: str
    tracking_number: str | None
    amount_piasters: int
    currency: str


@dataclass(frozen=True)
class DayReconciliation:
    """A Cairo day's money, per district and service, and the notices that need a look."""

    day: date
    notices: int
    lines: tuple[ReconciledLine, ...]  # by district, then service
    received_piasters: int
    refunded_piasters: int
    flags: tuple[ReconciliationFlag, ...]
