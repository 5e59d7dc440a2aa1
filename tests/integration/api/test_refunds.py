"""Refunds and voids undo only the payment they name, for the amount they name (issue 10, item 2).

A partial refund is recorded as partial and the payment stands; a refund of the duplicate
payment leaves the genuine one applied; a refund or void naming no invoice of ours is money
that went out, flagged, and never money received in the day's reconciliation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalice.test import Client

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.tracking import new_tracking_number
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import (
    fawry_notice,
    inquiry,
    paymob_callback,
    paymob_obj,
    post_fawry,
    post_paymob,
    register_card_order,
    submit,
)

ORDER_ID = "217503754"


def reconcile(client: Client) -> dict[str, Any]:
    day = cairo_today(datetime.now(UTC)).isoformat()
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={"day": day}, resources=[]
    )
    return client.lambda_.invoke("reconcile_payments", event).payload


def fawry(client: Client, invoice: dict[str, Any], egp: float, fawry_ref: str, status: str = "PAID") -> str:
    response = post_fawry(
        client, fawry_notice(invoice["payment"]["reference"], egp, status=status, fawry_ref=fawry_ref)
    )
    assert response.status_code == 200, response.body
    return response.json_body["outcome"]


def card(client: Client, invoice: dict[str, Any], cents: int, transaction_id: int, **flags: Any) -> str:
    obj = paymob_obj(f"{invoice['payment']['reference']}-1", cents, int(ORDER_ID), transaction_id=transaction_id)
    obj.update(flags)
    response = post_paymob(client, *paymob_callback(obj))
    assert response.status_code == 200, response.body
    return response.json_body["outcome"]


def office_payment(client: Client, staff: StaffHeaders, tracking_number: str) -> dict[str, Any]:
    response = client.http.get(f"/v1/office/requests/{tracking_number}", headers=staff("manager", "dokki"))
    assert response.status_code == 200, response.body
    return response.json_body


def test_a_partial_refund_is_recorded_as_partial_and_the_payment_stands(client: Client, staff: StaffHeaders) -> None:
    invoice = submit(client)  # shop_licence in dokki: 1000 EGP
    fee = invoice["fee_egp"]
    assert fawry(client, invoice, fee, "777") == "paid"

    outcome = fawry(client, invoice, fee / 4, "777", status="PARTIAL_REFUNDED")

    assert outcome == "partially_refunded"
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"
    view = office_payment(client, staff, invoice["tracking_number"])
    assert (view["status"], view["payment"]["status"], view["payment"]["refunded_egp"]) == (
        "in_review",
        "paid",
        fee / 4,
    )
    summary = reconcile(client)
    assert (summary["received_piasters"], summary["refunded_piasters"]) == (fee * 100, fee * 25)


def test_the_rest_refunded_after_a_partial_refund_makes_the_payment_refunded(
    client: Client, staff: StaffHeaders
) -> None:
    invoice = submit(client)
    register_card_order(invoice["tracking_number"], ORDER_ID)
    fee_cents = invoice["fee_egp"] * 100
    assert card(client, invoice, fee_cents, 50) == "paid"

    first = card(client, invoice, fee_cents // 4, 51, is_refunded=True, has_parent_transaction=True)
    rest = card(client, invoice, fee_cents - fee_cents // 4, 52, is_refunded=True, has_parent_transaction=True)
    too_much = card(client, invoice, 100, 53, is_refunded=True, has_parent_transaction=True)

    assert (first, rest, too_much) == ("partially_refunded", "refunded", "refund_amount_mismatch")
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "refunded"
    view = office_payment(client, staff, invoice["tracking_number"])
    assert (view["version"], view["payment"]["refunded_egp"]) == (4, invoice["fee_egp"])


def test_a_refund_of_the_duplicate_payment_leaves_the_genuine_one_standing(client: Client, staff: StaffHeaders) -> None:
    invoice = submit(client)
    fee = invoice["fee_egp"]
    assert fawry(client, invoice, fee, "777") == "paid"
    assert fawry(client, invoice, fee, "888") == "paid_twice"

    outcome = fawry(client, invoice, fee, "888", status="REFUNDED")

    assert outcome == "refund_of_unapplied_payment"
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"
    view = office_payment(client, staff, invoice["tracking_number"])
    assert (view["status"], view["version"], view["payment"]["paid_by"]) == ("in_review", 2, "fawry#777#paid")
    summary = reconcile(client)
    assert (summary["received_piasters"], summary["refunded_piasters"]) == (2 * fee * 100, fee * 100)


def test_a_card_void_of_the_duplicate_card_payment_leaves_the_fawry_payment_standing(client: Client) -> None:
    invoice = submit(client)
    register_card_order(invoice["tracking_number"], ORDER_ID)
    assert fawry(client, invoice, invoice["fee_egp"], "777") == "paid"
    assert card(client, invoice, invoice["fee_egp"] * 100, 60) == "paid_twice"

    outcome = card(client, invoice, invoice["fee_egp"] * 100, 60, is_voided=True)

    assert outcome == "refund_of_unapplied_payment"
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"


def test_a_refund_or_void_for_an_unknown_invoice_is_never_counted_as_money_received(client: Client) -> None:
    never_issued = {"payment": {"reference": f"{new_tracking_number()}01"}}
    paid = submit(client)
    assert fawry(client, paid, paid["fee_egp"], "777") == "paid"

    refund = fawry(client, never_issued, 1000, "999", status="REFUNDED")
    void = card(client, never_issued, 50_000, 70, is_voided=True)  # an order this service never registered

    assert (refund, void) == ("refund_unknown_invoice", "refund_unknown_invoice")
    summary = reconcile(client)
    assert summary["received_piasters"] == paid["fee_egp"] * 100
    assert summary["refunded_piasters"] == 100_000 + 50_000
    assert sorted(flag["outcome"] for flag in summary["flags"]) == ["refund_unknown_invoice"] * 2


def test_a_second_fawry_refund_on_the_same_payment_is_counted_and_a_repeat_is_not(
    client: Client, staff: StaffHeaders
) -> None:
    """Issue 23, item 3: Fawry sends both refunds under the payment's one fawryRefNumber; each is
    told apart by what the signature covers (its amount and Fawry's payment reference)."""
    invoice = submit(client)  # 1000 EGP
    fee = invoice["fee_egp"]
    reference = invoice["payment"]["reference"]
    assert fawry(client, invoice, fee, "888") == "paid"

    def refund(egp: float, status: str, payment_reference: str) -> str:
        notice = fawry_notice(reference, egp, status=status, fawry_ref="888", payment_reference=payment_reference)
        response = post_fawry(client, notice)
        assert response.status_code == 200, response.body
        return response.json_body["outcome"]

    outcomes = [
        refund(fee * 0.4, "PARTIAL_REFUNDED", "RFD-1"),
        refund(fee * 0.4, "PARTIAL_REFUNDED", "RFD-1"),  # the same notice again
        refund(fee * 0.6, "REFUNDED", "RFD-2"),
        refund(fee * 0.6, "REFUNDED", "RFD-2"),
    ]

    assert outcomes == ["partially_refunded", "already_applied", "refunded", "already_applied"]
    view = office_payment(client, staff, invoice["tracking_number"])
    assert (view["payment"]["status"], view["payment"]["refunded_egp"]) == ("refunded", fee)
    summary = reconcile(client)
    assert (summary["received_piasters"], summary["refunded_piasters"]) == (fee * 100, fee * 100)


def test_a_request_refunded_in_full_is_held_from_approval_and_may_be_rejected(
    client: Client, staff: StaffHeaders
) -> None:
    """Issue 23, item 11: held, not cancelled by the notice; a person decides."""
    from tests.integration.api.calls import hand_in_every_document, post_json

    invoice = submit(client)
    tracking_number = invoice["tracking_number"]
    assert fawry(client, invoice, invoice["fee_egp"], "889") == "paid"
    assert fawry(client, invoice, invoice["fee_egp"], "889", status="REFUNDED") == "refunded"
    officer = staff("officer", "dokki")
    version = hand_in_every_document(client, staff("manager", "dokki"), tracking_number).json_body["version"]
    path = f"/v1/office/requests/{tracking_number}/transitions"

    approved = post_json(client, path, {"to": "approved", "note": "موافقة", "version": version}, officer)
    rejected = post_json(client, path, {"to": "rejected", "note": "رُدّت الرسوم", "version": version,
                                        "message_to_citizen": "رُدّت الرسوم فلا يُستكمل الطلب"}, officer)  # fmt: skip

    assert (approved.status_code, approved.json_body["error"]["code"]) == (409, "payment_refunded")
    assert approved.json_body["current"]["status"] == "in_review"
    assert rejected.status_code == 200, rejected.body
    closed = post_json(client, path, {"to": "closed", "note": "أُغلق", "version": version + 1}, officer)
    assert closed.status_code == 200, closed.body
