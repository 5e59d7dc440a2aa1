"""Starting a card payment (issue 10, items 3 and 4): an order registered is never lost to
another write of the request, an invoice starts at most a few, and a slow Paymob is answered
with the friendly 503 within one deadline well inside the function's time limit."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.services import card_checkout, office_moves, payment_notices
from tests.conftest import PROJECT
from tests.factories import national_id
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import (
    fawry_notice,
    paymob_callback,
    paymob_obj,
    post_fawry,
    post_paymob,
    submit,
)
from tests.integration.fake_paymob import FakePaymob
from tools.testing.aws_call_recorder import serving

# A citizen's card checkout interleaved with another function's work runs, in production, in the
# citizen API's own function: its AWS calls are checked against that function's role, not against
# the role of the function it interrupts (tests/iam_enforcement.py).
CHECKOUT_ROUTE = "route POST /v1/requests/{tracking_number}/card-payments"


def start_card_payment(client: Client, tracking_number: str) -> Any:
    body = {"national_id_last4": national_id()[-4:]}
    return post_json(client, f"/v1/requests/{tracking_number}/card-payments", body)


def card_paid(invoice: dict[str, Any], order_id: int, transaction_id: int) -> tuple[dict[str, Any], str]:
    obj = paymob_obj(f"{invoice['payment']['reference']}-1", invoice["fee_egp"] * 100, order_id, transaction_id)
    return paymob_callback(obj)


def test_a_card_order_is_never_lost_to_a_payment_notice_saving_the_request_it_read_before(
    client: Client, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Fawry payment reads the request; the citizen starts a card checkout; then the Fawry
    notice saves the request it read. The card order must still belong to the invoice: a
    card payment on it is this invoice's second payment (flagged for refund), not money
    naming no invoice."""
    invoice = submit(client)
    record_notice = payment_notices.record_notice

    def card_checkout_between_read_and_write(*args: Any) -> None:
        monkeypatch.setattr(payment_notices, "record_notice", record_notice)  # once
        with serving(CHECKOUT_ROUTE):
            answer = card_checkout.start_card_payment(
                invoice["tracking_number"], {"national_id_last4": national_id()[-4:]}, datetime.now(UTC)
            )
        assert answer["redirect_url"]
        record_notice(*args)

    monkeypatch.setattr(payment_notices, "record_notice", card_checkout_between_read_and_write)
    fawry = post_fawry(client, fawry_notice(invoice["payment"]["reference"], invoice["fee_egp"], fawry_ref="777"))
    assert fawry.json_body["outcome"] == "paid"
    order_id = 880_001  # the first order the fake Paymob registers

    card = post_paymob(client, *card_paid(invoice, order_id, transaction_id=31))

    assert card.json_body["outcome"] == "paid_twice"


def test_a_card_order_is_never_lost_to_an_office_move_saving_the_request_it_read_before(
    client: Client, fake_paymob: FakePaymob, staff: StaffHeaders, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manager cancels the request; between the move's read and its write the citizen
    starts a card checkout and pays. The payment must still be known as this invoice's (paid
    after the request was closed: flagged for a refund), not as money naming no invoice."""
    invoice = submit(client)
    record_move = office_moves.record_move

    def card_checkout_between_read_and_write(*args: Any, **kwargs: Any) -> None:
        monkeypatch.setattr(office_moves, "record_move", record_move)  # once
        with serving(CHECKOUT_ROUTE):
            card_checkout.start_card_payment(
                invoice["tracking_number"], {"national_id_last4": national_id()[-4:]}, datetime.now(UTC)
            )
        record_move(*args, **kwargs)

    monkeypatch.setattr(office_moves, "record_move", card_checkout_between_read_and_write)
    cancelled = post_json(
        client,
        f"/v1/office/requests/{invoice['tracking_number']}/transitions",
        {"to": "cancelled", "note": "ألغى المواطن الطلب", "version": 1},
        staff("manager", "dokki"),
    )
    assert cancelled.status_code == 200, cancelled.body

    card = post_paymob(client, *card_paid(invoice, 880_001, transaction_id=32))

    assert card.json_body["outcome"] == "paid_when_closed"


def test_the_card_orders_an_invoice_may_start_are_capped(
    client: Client, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CARD_ORDERS_PER_INVOICE", "3")
    invoice = submit(client)

    answers = [start_card_payment(client, invoice["tracking_number"]) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [201, 201, 201, 429]
    refusal = answers[-1].json_body["error"]
    assert refusal["code"] == "card_orders_exhausted"
    assert "فوري" in refusal["message_ar"]
    reference = invoice["payment"]["reference"]
    assert fake_paymob.merchant_order_ids == [f"{reference}-1", f"{reference}-2", f"{reference}-3"]


def test_every_order_started_is_this_invoices_when_paid(client: Client, fake_paymob: FakePaymob) -> None:
    invoice = submit(client)
    for _ in range(2):
        assert start_card_payment(client, invoice["tracking_number"]).status_code == 201

    outcomes = [post_paymob(client, *card_paid(invoice, order, 40 + order % 10)) for order in (880_001, 880_002)]

    assert [answer.json_body["outcome"] for answer in outcomes] == ["paid", "paid_twice"]


def test_a_slow_gateway_gets_the_friendly_503_within_one_deadline_for_all_its_calls(
    client: Client, fake_paymob: FakePaymob, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each of Paymob's three calls answers within any per-call timeout, but together they
    take longer than the checkout's one deadline."""
    monkeypatch.setenv("PAYMOB_CHECKOUT_SECONDS", "1")
    fake_paymob.delay_s = 0.45
    invoice = submit(client)

    response = start_card_payment(client, invoice["tracking_number"])

    assert response.status_code == 503
    assert response.json_body["error"]["code"] == "card_gateway_unavailable"
    assert "فوري" in response.json_body["error"]["message_ar"]


def test_the_checkout_deadline_ends_well_before_the_lambda_timeout() -> None:
    lambda_timeout_s = json.loads((PROJECT / ".chalice" / "config.json").read_text())["lambda_timeout"]
    configured = float(card_checkout.paymob_settings().checkout_seconds)

    assert configured + card_checkout.CHECKOUT_MARGIN_S <= lambda_timeout_s
    # Under a function with less time left than that, the deadline shrinks with it.
    assert card_checkout.checkout_time_s(configured, time_left_s=5.0) == 5.0 - card_checkout.CHECKOUT_MARGIN_S
    assert card_checkout.checkout_time_s(configured, time_left_s=1.0) == 0.0
    assert card_checkout.checkout_time_s(configured, time_left_s=None) == configured
