"""A card payment started through the service, against a stand-in Paymob on a local port: the order
registered for the invoice's next attempt, for the fee in piasters, and where the citizen is sent;
the refusals that register nothing; the cap on attempts, a racing click included; and a Paymob
that cannot be reached, whose reserved attempt stays counted.

The route, its answers and its races with other writes are tests/integration/api/test_card_payments.py's.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.errors import InvalidInput, NotFound, Unavailable
from chalicelib.domain.payments import PIASTERS_PER_POUND
from chalicelib.domain.tracking import new_tracking_number
from chalicelib.services import card_checkout
from chalicelib.services.card_checkout import CHECKOUT_MARGIN_S, checkout_time_s, start_card_payment
from chalicelib.services.payment_notices import handle_fawry_notice
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.payments import CardOrder
from chalicelib.store.requests.changes import load_request
from chalicelib.store.requests.checkout_attempts import CheckoutAttempt, reserve_checkout_attempt
from tests.factories import free_service_code, national_id, submission
from tests.integration.api.gateway_notices import fawry_notice
from tests.integration.fake_paymob import FakePaymob
from tools.testing.ports import free_port

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PROOF = {"national_id_last4": national_id()[-4:]}


def filed(service_code: str | None = None) -> tuple[str, str, int]:
    """A request filed online at NOW: its tracking number, invoice reference ("" with no fee) and fee in pounds."""
    answer = submit_request(submission(service_code), None, ONLINE, NOW)
    return answer.tracking_number, answer.payment.reference if answer.payment else "", int(answer.fee_egp)


def attempts(tracking_number: str) -> list[tuple[int, str | None]]:
    """The request's checkout attempts as stored: each number, and the Paymob order it holds."""
    found = load_request(tracking_number)
    assert found is not None
    return sorted((int(attempt.attempt), attempt.order_id) for attempt in found.checkout_attempts)


# --- The one time budget (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "time_left", "budget"),
    [
        pytest.param(8.0, None, 8.0, id="no function limit: as configured"),
        pytest.param(8.0, 60.0, 8.0, id="plenty left: as configured"),
        pytest.param(8.0, 8.0 + CHECKOUT_MARGIN_S, 8.0, id="exactly enough: as configured"),
        pytest.param(8.0, 5.0, 5.0 - CHECKOUT_MARGIN_S, id="less left: what is left, less the margin"),
        pytest.param(8.0, CHECKOUT_MARGIN_S, 0.0, id="only the margin left: none"),
        pytest.param(8.0, 1.0, 0.0, id="less than the margin: none, never negative"),
    ],
)
def test_the_checkout_budget_is_the_configured_time_within_what_the_function_has_left(
    configured: float, time_left: float | None, budget: float
) -> None:
    assert checkout_time_s(configured, time_left) == pytest.approx(budget)


# --- A checkout started ---------------------------------------------------------------------------------


def test_a_checkout_registers_the_invoices_first_attempt_for_the_fee_and_sends_the_citizen_to_pay(
    aws: None, fake_paymob: FakePaymob, log_lines: io.StringIO
) -> None:
    tracking_number, reference, fee = filed()
    request_before = load_request(tracking_number).request.serialize()

    answer = start_card_payment(tracking_number, PROOF, NOW)

    assert answer == {
        "tracking_number": tracking_number,
        "redirect_url": f"{fake_paymob.url}/api/acceptance/iframes/1?payment_token=payment-key-880001",
    }
    [order] = fake_paymob.orders
    assert (order["merchant_order_id"], order["amount_cents"], order["currency"]) == (
        f"{reference}-1",
        fee * PIASTERS_PER_POUND,
        "EGP",
    )
    assert attempts(tracking_number) == [(1, "880001")]
    filed_order = CardOrder.get(CardOrder.key_for("880001"))
    assert (filed_order.tracking_number, filed_order.reference, filed_order.registered_at) == (
        tracking_number,
        reference,
        NOW,
    )
    assert load_request(tracking_number).request.serialize() == request_before  # the request item is not written
    [started] = [line for line in map(json.loads, log_lines.getvalue().splitlines()) if line["message"] ==
                 "card checkout started"]  # fmt: skip
    assert started["tracking_number"] == tracking_number


def test_each_checkout_of_an_invoice_registers_its_next_attempt(aws: None, fake_paymob: FakePaymob) -> None:
    tracking_number, reference, _ = filed()

    answers = [start_card_payment(tracking_number, PROOF, NOW) for _ in range(2)]

    assert [answer["redirect_url"][-6:] for answer in answers] == ["880001", "880002"]
    assert fake_paymob.merchant_order_ids == [f"{reference}-1", f"{reference}-2"]
    assert attempts(tracking_number) == [(1, "880001"), (2, "880002")]


# --- Refusals that register nothing ------------------------------------------------------------------------


def test_the_wrong_last_four_digits_are_not_found_and_register_nothing(aws: None, fake_paymob: FakePaymob) -> None:
    tracking_number, _, _ = filed()
    wrong = f"{(int(PROOF['national_id_last4']) + 1) % 10_000:04d}"

    with pytest.raises(NotFound) as refused:
        start_card_payment(tracking_number, {"national_id_last4": wrong}, NOW)

    assert refused.value.message_ar
    assert refused.value.message_en
    assert fake_paymob.orders == []
    assert attempts(tracking_number) == []


def test_an_unknown_tracking_number_is_not_found_alike(aws: None, fake_paymob: FakePaymob) -> None:
    tracking_number, _, _ = filed()
    with pytest.raises(NotFound) as wrong_digits:
        start_card_payment(tracking_number, {"national_id_last4": "0000"}, NOW)

    with pytest.raises(NotFound) as no_such_request:
        start_card_payment(new_tracking_number(), PROOF, NOW)

    assert no_such_request.value == wrong_digits.value
    assert fake_paymob.orders == []


def paid_by_fawry(tracking_number: str, reference: str, fee: int) -> datetime:
    handle_fawry_notice(fawry_notice(reference, fee), NOW)
    return NOW


def past_expiry(tracking_number: str, reference: str, fee: int) -> datetime:
    found = load_request(tracking_number)
    return found.request.payment.expires_at + timedelta(seconds=1)


def no_fee(tracking_number: str, reference: str, fee: int) -> datetime:
    return NOW


@pytest.mark.parametrize(
    ("service", "first", "code", "words_ar", "words_en"),
    [
        pytest.param(None, paid_by_fawry, "nothing_to_pay", "لا توجد رسوم", "no fee due", id="already paid"),
        pytest.param("free", no_fee, "nothing_to_pay", "لا توجد رسوم", "no fee due", id="a service with no fee"),
        pytest.param(None, past_expiry, "invoice_expired", "انتهت صلاحية", "has expired", id="invoice expired"),
    ],
)
def test_an_invoice_that_cannot_be_paid_by_card_is_refused_in_arabic_and_english_and_registers_nothing(
    aws: None, fake_paymob: FakePaymob, service: str | None, first: Any, code: str, words_ar: str, words_en: str
) -> None:
    tracking_number, reference, fee = filed(free_service_code() if service == "free" else None)
    now = first(tracking_number, reference, fee)

    with pytest.raises(InvalidInput) as refused:
        start_card_payment(tracking_number, PROOF, now)

    assert refused.value.code == code
    assert words_ar in refused.value.message_ar
    assert words_en in refused.value.message_en
    assert fake_paymob.orders == []
    assert attempts(tracking_number) == []


# --- The cap on attempts ----------------------------------------------------------------------------------


def test_an_invoice_starts_no_more_checkouts_than_the_cap(
    aws: None, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARD_ORDERS_PER_INVOICE", "2")
    tracking_number, _, _ = filed()
    for _ in range(2):
        start_card_payment(tracking_number, PROOF, NOW)

    with pytest.raises(InvalidInput) as refused:
        start_card_payment(tracking_number, PROOF, NOW)

    assert refused.value.code == "card_orders_exhausted"
    assert "فوري" in refused.value.message_ar
    assert "Fawry" in refused.value.message_en
    assert len(fake_paymob.orders) == 2
    assert attempts(tracking_number) == [(1, "880001"), (2, "880002")]


def racing_click_takes(tracking_number: str, reference: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another click reserves the number this checkout is about to reserve, after this one read the
    request (so this one did not see it taken)."""
    reserve = card_checkout.reserve_checkout_attempt

    def after_a_racing_click(tracking: str, ref: str, number: int, now: datetime) -> CheckoutAttempt:
        monkeypatch.setattr(card_checkout, "reserve_checkout_attempt", reserve)  # once
        reserve_checkout_attempt(tracking_number, reference, number, now)
        return reserve(tracking, ref, number, now)

    monkeypatch.setattr(card_checkout, "reserve_checkout_attempt", after_a_racing_click)


def test_an_attempt_number_taken_by_a_racing_click_moves_this_checkout_to_the_next(
    aws: None, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking_number, reference, _ = filed()
    racing_click_takes(tracking_number, reference, monkeypatch)

    start_card_payment(tracking_number, PROOF, NOW)

    assert fake_paymob.merchant_order_ids == [f"{reference}-2"]
    assert attempts(tracking_number) == [(1, None), (2, "880001")]  # the racing click's own is still pending


def test_a_racing_click_taking_the_last_attempt_leaves_none_for_this_checkout(
    aws: None, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARD_ORDERS_PER_INVOICE", "1")
    tracking_number, reference, _ = filed()
    racing_click_takes(tracking_number, reference, monkeypatch)

    with pytest.raises(InvalidInput) as refused:
        start_card_payment(tracking_number, PROOF, NOW)

    assert refused.value.code == "card_orders_exhausted"
    assert fake_paymob.orders == []
    assert attempts(tracking_number) == [(1, None)]


# --- Paymob unavailable -------------------------------------------------------------------------------------


def test_paymob_unreachable_is_the_friendly_unavailable_and_its_reserved_attempt_stays_counted(
    aws: None, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch, log_lines: io.StringIO
) -> None:
    tracking_number, reference, _ = filed()
    monkeypatch.setenv("PAYMOB_API_BASE", f"http://127.0.0.1:{free_port()}")  # nothing listens there

    with pytest.raises(Unavailable) as down:
        start_card_payment(tracking_number, PROOF, NOW)

    assert down.value.code == "card_gateway_unavailable"
    assert "غير متاح" in down.value.message_ar
    assert "فوري" in down.value.message_ar
    assert down.value.message_en.startswith("Card payment is unavailable right now")
    [warning] = [line for line in map(json.loads, log_lines.getvalue().splitlines()) if line["message"] ==
                 "card gateway unavailable"]  # fmt: skip
    assert warning["level"] == "WARNING"
    assert attempts(tracking_number) == [(1, None)]  # Paymob may have registered it: it counts
    # Paymob back: the next checkout takes the next number.
    monkeypatch.setenv("PAYMOB_API_BASE", fake_paymob.url)
    start_card_payment(tracking_number, PROOF, NOW)
    assert fake_paymob.merchant_order_ids == [f"{reference}-2"]
    assert attempts(tracking_number) == [(1, None), (2, "880001")]


def test_with_no_time_left_under_the_functions_limit_paymob_is_not_called(aws: None, fake_paymob: FakePaymob) -> None:
    tracking_number, _, _ = filed()

    with pytest.raises(Unavailable) as down:
        start_card_payment(tracking_number, PROOF, NOW, time_left_s=CHECKOUT_MARGIN_S)

    assert down.value.code == "card_gateway_unavailable"
    assert fake_paymob.orders == []
    assert attempts(tracking_number) == [(1, None)]
