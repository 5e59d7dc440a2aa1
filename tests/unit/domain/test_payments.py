"""judge(): what a verified gateway notice means for the invoice it names, and piasters().

The judgement table below reads as a sentence per row: a notice of this kind, against an
invoice in this state, is this outcome. Together its rows give every Outcome at least once.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from chalicelib.domain.payments import (
    APPLIED,
    FLAGGED,
    MONEY_IN,
    GatewayNotice,
    Invoice,
    NoticeKind,
    Outcome,
    first_invoice_reference,
    judge,
    piasters,
    tracking_number_of,
)
from chalicelib.domain.statuses import Status

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
FEE = 100_000  # 1,000 EGP in piasters
REFERENCE = "12345678901201"

FAWRY_PAID = GatewayNotice(
    gateway="fawry",
    transaction_id="6523456789",
    kind=NoticeKind.PAID,
    amount_piasters=FEE,
    currency="EGP",
    method="PAYATFAWRY",
    reference=REFERENCE,
)
CARD_PAID = dataclasses.replace(
    FAWRY_PAID, gateway="paymob", transaction_id="192036465", method="card", card_order_id="217503754"
)
UNPAID = Invoice(
    reference=REFERENCE,
    amount_piasters=FEE,
    status="unpaid",
    expires_at=NOW + timedelta(days=7),
    paid_by=None,
    paid_with=None,
    refunded_piasters=0,
    request_status=Status.AWAITING_PAYMENT,
)
PAID_BY_THIS = dataclasses.replace(
    UNPAID, status="paid", paid_by=FAWRY_PAID.key, paid_with=FAWRY_PAID.payment, request_status=Status.IN_REVIEW
)
PAID_BY_OTHER = dataclasses.replace(
    UNPAID, status="paid", paid_by="paymob#1#paid", paid_with="paymob#1", request_status=Status.IN_REVIEW
)
PAID_BY_CARD = dataclasses.replace(PAID_BY_OTHER, paid_by=CARD_PAID.key, paid_with=CARD_PAID.payment)
QUARTER_BACK = dataclasses.replace(PAID_BY_THIS, refunded_piasters=FEE // 4)
REFUNDED_ALREADY = dataclasses.replace(PAID_BY_THIS, status="refunded", refunded_piasters=FEE)
EXPIRED = dataclasses.replace(UNPAID, expires_at=NOW - timedelta(seconds=1))
NO_INVOICE = None


def fawry(kind: NoticeKind = NoticeKind.PAID, **changes: Any) -> GatewayNotice:
    return dataclasses.replace(FAWRY_PAID, kind=kind, **changes)


def card(kind: NoticeKind = NoticeKind.PAID, **changes: Any) -> GatewayNotice:
    return dataclasses.replace(CARD_PAID, kind=kind, **changes)


def invoice(base: Invoice, **changes: Any) -> Invoice:
    return dataclasses.replace(base, **changes)


K = NoticeKind
R = Outcome  # the judgement
# A card refund is a transaction of its own on the order it gives money back for.
CARD_REFUND = card(K.REFUNDED, transaction_id="192036999")
QUARTER_REFUND = fawry(K.REFUNDED, amount_piasters=FEE // 4)
REST_REFUND = fawry(K.REFUNDED, amount_piasters=FEE - FEE // 4)
LAST_INSTANT = invoice(UNPAID, expires_at=NOW)
CANCELLED = invoice(UNPAID, request_status=Status.CANCELLED)
MOVED_ON = invoice(UNPAID, request_status=Status.IN_REVIEW)
EXPIRED_CANCELLED = invoice(EXPIRED, request_status=Status.CANCELLED)
CASES: list[tuple[str, GatewayNotice, Invoice | None, Outcome]] = [
    # what happened                      notice                          invoice            outcome
    ("paid in full before expiry",       fawry(),                        UNPAID,            R.PAID),
    ("paid by card, registered order",   card(),                         UNPAID,            R.PAID),
    ("paid on the very last instant",    fawry(),                        LAST_INSTANT,      R.PAID),
    ("paid after the invoice expired",   fawry(),                        EXPIRED,           R.PAID_AFTER_EXPIRY),
    ("the same transaction again",       fawry(),                        PAID_BY_THIS,      R.ALREADY_APPLIED),
    ("a second transaction pays",        card(),                         PAID_BY_THIS,      R.PAID_TWICE),
    ("paid twice, and a wrong amount",   fawry(amount_piasters=1),       PAID_BY_OTHER,     R.PAID_TWICE),
    ("paid again after a refund",        card(),                         REFUNDED_ALREADY,  R.PAID_TWICE),
    ("paid after cancellation",          fawry(),                        CANCELLED,         R.PAID_WHEN_CLOSED),
    ("unpaid, but request moved on",     fawry(),                        MOVED_ON,          R.PAID_WHEN_CLOSED),
    ("paid after expiry, cancelled",     fawry(),                        EXPIRED_CANCELLED, R.PAID_WHEN_CLOSED),
    ("underpaid",                        fawry(amount_piasters=FEE - 1), UNPAID,            R.AMOUNT_MISMATCH),
    ("overpaid",                         fawry(amount_piasters=FEE + 1), UNPAID,            R.AMOUNT_MISMATCH),
    ("paid in another currency",         card(currency="USD"),           UNPAID,            R.AMOUNT_MISMATCH),
    ("egp spelt in lower case",          card(currency="egp"),           UNPAID,            R.AMOUNT_MISMATCH),
    ("underpaid after expiry",           fawry(amount_piasters=1),       EXPIRED,           R.AMOUNT_MISMATCH),
    ("underpaid after cancellation",     fawry(amount_piasters=1),       CANCELLED,         R.AMOUNT_MISMATCH),
    ("refund of the payment",            fawry(K.REFUNDED),              PAID_BY_THIS,      R.REFUNDED),
    ("card payment voided",              card(K.VOIDED),                 PAID_BY_CARD,      R.REFUNDED),
    ("card refund, its own transaction", CARD_REFUND,                    PAID_BY_CARD,      R.REFUNDED),
    ("a quarter refunded",               QUARTER_REFUND,                 PAID_BY_THIS,      R.PARTIALLY_REFUNDED),
    ("the rest refunded",                REST_REFUND,                    QUARTER_BACK,      R.REFUNDED),
    ("more back than is left",           fawry(K.REFUNDED),              QUARTER_BACK,      R.REFUND_AMOUNT_MISMATCH),
    ("refunded in another currency",     card(K.REFUNDED, currency="USD"), PAID_BY_CARD,    R.REFUND_AMOUNT_MISMATCH),
    ("refund of a refunded invoice",     fawry(K.REFUNDED),              REFUNDED_ALREADY,  R.REFUND_AMOUNT_MISMATCH),
    ("void of the duplicate payment",    card(K.VOIDED),                 PAID_BY_THIS,      R.REFUND_OF_UNAPPLIED),
    ("refund of the duplicate payment",  fawry(K.REFUNDED),              PAID_BY_CARD,      R.REFUND_OF_UNAPPLIED),
    ("refund of an unpaid invoice",      fawry(K.REFUNDED),              UNPAID,            R.REFUND_WITHOUT_PAYMENT),
    ("void of an unpaid invoice",        card(K.VOIDED),                 UNPAID,            R.REFUND_WITHOUT_PAYMENT),
    ("payment naming no invoice",        fawry(),                        NO_INVOICE,        R.UNKNOWN_INVOICE),
    ("refund naming no invoice",         fawry(K.REFUNDED),              NO_INVOICE,        R.REFUND_UNKNOWN_INVOICE),
    ("void naming no invoice",           card(K.VOIDED),                 NO_INVOICE,        R.REFUND_UNKNOWN_INVOICE),
    ("pending",                          fawry(K.PENDING),               UNPAID,            R.NO_MONEY),
    ("failed",                           card(K.FAILED),                 UNPAID,            R.NO_MONEY),
    ("expired",                          fawry(K.EXPIRED),               UNPAID,            R.NO_MONEY),
    ("cancelled",                        fawry(K.CANCELLED),             UNPAID,            R.NO_MONEY),
    ("expired, after payment (stale)",   fawry(K.EXPIRED),               PAID_BY_THIS,      R.NO_MONEY),
    ("pending, after payment (stale)",   card(K.PENDING),                PAID_BY_OTHER,     R.NO_MONEY),
    ("failed, naming no invoice",        fawry(K.FAILED),                NO_INVOICE,        R.NO_MONEY),
]  # fmt: skip


@pytest.mark.parametrize(("notice", "invoice_now", "outcome"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_judge(notice: GatewayNotice, invoice_now: Invoice | None, outcome: Outcome) -> None:
    assert judge(notice, invoice_now, NOW) is outcome


def test_the_table_gives_every_outcome() -> None:
    assert {case[3] for case in CASES} == set(Outcome)


def test_the_outcome_families() -> None:
    assert {Outcome.PAID, Outcome.PAID_AFTER_EXPIRY} == APPLIED
    assert APPLIED <= MONEY_IN
    assert Outcome.REFUNDED not in MONEY_IN
    assert Outcome.NO_MONEY not in MONEY_IN | FLAGGED
    assert Outcome.ALREADY_APPLIED not in MONEY_IN | FLAGGED  # a repeat is neither counted nor flagged
    assert Outcome.PAID not in FLAGGED
    assert MONEY_IN - APPLIED <= FLAGGED  # money that came in but was not applied is always flagged
    assert Outcome.REFUND_WITHOUT_PAYMENT in FLAGGED
    # Money going back is never money received, whatever invoice it names or does not.
    assert not {o for o in Outcome if o.value.startswith("refund")} & MONEY_IN
    assert Outcome.REFUND_UNKNOWN_INVOICE in FLAGGED


def test_a_refund_names_the_payment_it_undoes() -> None:
    assert fawry(K.REFUNDED).payment == fawry().payment == "fawry#6523456789"
    assert CARD_REFUND.payment == card().payment == "paymob#217503754"  # the order, not the transaction


def test_the_key_is_one_per_gateway_transaction_and_kind() -> None:
    assert fawry().key == "fawry#6523456789#paid"
    assert fawry(K.REFUNDED).key == "fawry#6523456789#refunded"
    assert card().key == "paymob#192036465#paid"
    assert fawry(amount_piasters=1, currency="USD", reference="x").key == fawry().key


def test_the_invoice_reference_leads_back_to_its_request() -> None:
    assert first_invoice_reference("123456789012") == "12345678901201"
    assert tracking_number_of(first_invoice_reference("123456789012")) == "123456789012"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1000.00", 100_000),
        ("1000", 100_000),
        (1000, 100_000),
        (1000.0, 100_000),
        (Decimal("1000.00"), 100_000),
        ("0.1", 10),
        (0.1, 10),  # the float 0.1 is read as written, not as 0.1000000000000000055...
        ("0.01", 1),
        ("0", 0),
        (0, 0),
        ("250.5", 25_050),
        ("0.005", 1),  # half a piaster rounds up
        ("0.004", 0),
        ("12.345", 1235),
        (" 12 ", 1200),
        ("1e3", 100_000),
    ],
)
def test_piasters_reads_an_amount_in_pounds(amount: Any, expected: int) -> None:
    assert piasters(amount) == expected


@pytest.mark.parametrize(
    "amount",
    ["", "abc", "1,000.00", "EGP 10", None, [1000], {"amount": 1000}, "-1", -1, "-0.01", -0.5,
     "NaN", float("nan"), "sNaN", "Infinity", float("inf"), "-Infinity"],
)  # fmt: skip
def test_piasters_is_none_for_what_is_no_amount(amount: Any) -> None:
    assert piasters(amount) is None


def test_piasters_refuses_a_boolean() -> None:
    assert piasters(True) is None
    assert piasters(False) is None
