"""The payment gateways' callbacks (docs/interfaces.md#payment-callbacks) through the Chalice test client, on moto.

Every notice is signed here by hand as DOMAIN.md says each gateway signs it, with the local
stage's default secrets. A genuine notice is applied once; a repeat answers 200 and changes
nothing; a bad signature answers 401 and changes nothing; and each odd case (wrong amount or
currency, unknown reference, expired invoice, refund, void, paid twice, paid after expiry or
after cancellation) is recorded with its outcome on purpose.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

import pytest
from chalice.test import Client

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.tracking import new_tracking_number
from chalicelib.store.requests.request import load_request_record
from tests.integration.api.calls import post_json
from tests.integration.api.conftest import StaffHeaders
from tests.integration.api.gateway_notices import (
    FAWRY_CALLBACK,
    PAYMENTS_TABLE,
    REQUESTS_TABLE,
    fawry_notice,
    inquiry,
    paymob_callback,
    paymob_obj,
    post_fawry,
    post_paymob,
    recorded_notices,
    register_card_order,
    snapshot,
    submit,
    table_items,
)
from tools.testing.aws_calls import counted_aws_calls

ORDER_ID = "217503754"


@pytest.fixture
def invoice(client: Client) -> dict[str, Any]:
    """A fee-bearing request awaiting payment: its submission answer."""
    return submit(client)


def reference_of(answer: dict[str, Any]) -> str:
    return answer["payment"]["reference"]


def genuine_fawry(answer: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return fawry_notice(reference_of(answer), float(answer["fee_egp"]), **changes)


def genuine_paymob(answer: dict[str, Any], order_id: str = ORDER_ID, **changes: Any) -> tuple[dict[str, Any], str]:
    obj = paymob_obj(f"{reference_of(answer)}-1", answer["fee_egp"] * 100, int(order_id), **changes)
    return paymob_callback(obj)


def office_view(client: Client, staff: StaffHeaders, tracking_number: str, district: str = "dokki") -> Any:
    response = client.http.get(f"/v1/office/requests/{tracking_number}", headers=staff("manager", district))
    assert response.status_code == 200, response.body
    return response.json_body


def requests_table() -> list[dict[str, Any]]:
    return sorted(table_items(REQUESTS_TABLE), key=repr)


def the_only_notice() -> dict[str, Any]:
    notices = recorded_notices()
    assert len(notices) == 1, notices
    return notices[0]


def cairo_day() -> str:
    return cairo_today(datetime.now(UTC)).isoformat()


# --- A genuine payment, and its repeats ---------------------------------------------------


def test_a_genuine_fawry_payment_moves_the_request_on_and_records_one_notice(
    client: Client, staff: StaffHeaders, invoice: dict[str, Any]
) -> None:
    tracking_number = invoice["tracking_number"]
    notice = genuine_fawry(invoice, fawry_ref="9990000123")

    response = post_fawry(client, notice)

    assert response.status_code == 200
    assert response.json_body == {"received": True, "outcome": "paid"}
    request = office_view(client, staff, tracking_number)
    assert request["status"] == "in_review"
    assert request["version"] == 2
    assert request["payment"]["status"] == "paid"
    assert request["payment"]["paid_by"] == "fawry#9990000123#paid"
    assert request["payment"]["paid_at"] is not None
    assert [(entry["from"], entry["to"]) for entry in request["history"]][-1] == ("awaiting_payment", "in_review")
    citizen = inquiry(client, tracking_number)
    assert (citizen["status"], citizen["payment_status"]) == ("in_review", "paid")
    assert [entry["status"] for entry in citizen["history"]] == ["awaiting_payment", "in_review"]
    recorded = the_only_notice()
    assert recorded["key"] == "notice#fawry#9990000123#paid"
    assert recorded["outcome"] == "paid"
    assert recorded["gateway"] == "fawry"
    assert recorded["kind"] == "paid"
    assert recorded["reference"] == reference_of(invoice)
    assert recorded["tracking_number"] == tracking_number
    assert (recorded["district_code"], recorded["service_code"]) == ("dokki", request["service_code"])
    assert int(recorded["amount_piasters"]) == invoice["fee_egp"] * 100
    assert recorded["currency"] == "EGP"
    assert recorded["method"] == "PAYATFAWRY"
    assert recorded["ledger_day"] == cairo_day()


def test_the_same_notice_again_answers_200_and_changes_nothing(client: Client, invoice: dict[str, Any]) -> None:
    notice = genuine_fawry(invoice)
    assert post_fawry(client, notice).status_code == 200
    before = snapshot()

    repeats = [post_fawry(client, notice) for _ in range(3)]

    assert [(r.status_code, r.json_body["outcome"]) for r in repeats] == [(200, "already_applied")] * 3
    assert snapshot() == before
    assert load_request_record(invoice["tracking_number"]).version == 2


def test_a_genuine_paymob_payment_on_a_registered_order_moves_the_request_on(
    client: Client, staff: StaffHeaders, invoice: dict[str, Any]
) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    body, offered = genuine_paymob(invoice, transaction_id=555001)

    first = post_paymob(client, body, offered)
    before = snapshot()
    again = [post_paymob(client, body, offered) for _ in range(3)]

    assert (first.status_code, first.json_body["outcome"]) == (200, "paid")
    assert {(r.status_code, r.json_body["outcome"]) for r in again} == {(200, "already_applied")}
    assert snapshot() == before
    request = office_view(client, staff, invoice["tracking_number"])
    assert (request["status"], request["version"], request["payment"]["status"]) == ("in_review", 2, "paid")
    assert request["payment"]["paid_by"] == "paymob#555001#paid"
    assert the_only_notice()["method"] == "card"
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"


def test_one_genuine_fawry_callback_costs_one_get_and_one_transaction(client: Client, invoice: dict[str, Any]) -> None:
    notice = genuine_fawry(invoice)

    with counted_aws_calls() as calls:
        response = post_fawry(client, notice)

    assert response.status_code == 200
    assert dict(calls) == {"dynamodb:GetItem": 1, "dynamodb:TransactWriteItems": 1}


def test_a_repeat_costs_one_get_and_writes_nothing(client: Client, invoice: dict[str, Any]) -> None:
    notice = genuine_fawry(invoice)
    post_fawry(client, notice)

    with counted_aws_calls() as calls:
        response = post_fawry(client, notice)

    assert response.json_body["outcome"] == "already_applied"
    assert dict(calls) == {"dynamodb:GetItem": 1}


# --- Notices that prove nothing --------------------------------------------------------------


def _random_signature(notice: dict[str, Any]) -> dict[str, Any]:
    return {**notice, "messageSignature": secrets.token_hex(32)}


def _tampered_amount(notice: dict[str, Any]) -> dict[str, Any]:
    return {**notice, "paymentAmount": 1.0, "orderAmount": 1.0}


def _tampered_status(notice: dict[str, Any]) -> dict[str, Any]:
    return {**notice, "orderStatus": "REFUNDED"}


def _without_signature(notice: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in notice.items() if name != "messageSignature"}


def _empty_signature(notice: dict[str, Any]) -> dict[str, Any]:
    return {**notice, "messageSignature": ""}


@pytest.mark.parametrize(
    "forge", [_random_signature, _tampered_amount, _tampered_status, _without_signature, _empty_signature]
)
def test_a_fawry_notice_that_proves_nothing_answers_401_and_writes_nothing(
    client: Client, invoice: dict[str, Any], forge: Any
) -> None:
    before = snapshot()

    response = post_fawry(client, forge(genuine_fawry(invoice)))

    assert response.status_code == 401
    assert response.json_body["error"]["code"] == "unverified_notice"
    assert snapshot() == before


def test_a_fawry_notice_signed_with_another_key_answers_401(client: Client, invoice: dict[str, Any]) -> None:
    before = snapshot()

    response = post_fawry(client, genuine_fawry(invoice, secure_key="not-the-local-fawry-secure-key"))

    assert response.status_code == 401
    assert snapshot() == before


def test_a_genuine_notice_moved_to_another_invoice_answers_401(client: Client, invoice: dict[str, Any]) -> None:
    other = submit(client)
    before = snapshot()

    response = post_fawry(client, {**genuine_fawry(invoice), "merchantRefNumber": reference_of(other)})

    assert response.status_code == 401
    assert snapshot() == before


def _paymob_bad_hmac(body: dict[str, Any], offered: str) -> tuple[dict[str, Any], str | None]:
    return body, secrets.token_hex(64)


def _paymob_no_hmac(body: dict[str, Any], offered: str) -> tuple[dict[str, Any], str | None]:
    return body, None


def _paymob_tampered_amount(body: dict[str, Any], offered: str) -> tuple[dict[str, Any], str | None]:
    return {**body, "obj": {**body["obj"], "amount_cents": 100}}, offered


def _paymob_tampered_order(body: dict[str, Any], offered: str) -> tuple[dict[str, Any], str | None]:
    return {**body, "obj": {**body["obj"], "order": {**body["obj"]["order"], "id": 1}}}, offered


def _paymob_tampered_success(body: dict[str, Any], offered: str) -> tuple[dict[str, Any], str | None]:
    return {**body, "obj": {**body["obj"], "success": True}}, offered


@pytest.mark.parametrize(
    "forge",
    [_paymob_bad_hmac, _paymob_no_hmac, _paymob_tampered_amount, _paymob_tampered_order, _paymob_tampered_success],
)
def test_a_paymob_callback_that_proves_nothing_answers_401_and_writes_nothing(
    client: Client, invoice: dict[str, Any], forge: Any
) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    before = snapshot()

    response = post_paymob(client, *forge(*genuine_paymob(invoice, success=False)))

    assert response.status_code == 401
    assert snapshot() == before


def test_a_paymob_callback_signed_with_another_secret_answers_401(client: Client, invoice: dict[str, Any]) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    body, _ = genuine_paymob(invoice)
    before = snapshot()

    response = post_paymob(client, body, paymob_callback(body["obj"], secret="another-hmac-secret")[1])

    assert response.status_code == 401
    assert snapshot() == before


@pytest.mark.parametrize("offered", ["é" * 128, "%C3%A9" * 128, "٠" * 128, "%00" * 128, "z" * 128])
def test_a_non_ascii_or_malformed_paymob_hmac_answers_401_and_writes_nothing(
    client: Client, invoice: dict[str, Any], offered: str
) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    body, _ = genuine_paymob(invoice)
    before = snapshot()

    response = post_paymob(client, body, offered)

    assert (response.status_code, response.json_body["error"]["code"]) == (401, "unverified_notice")
    assert snapshot() == before


@pytest.mark.parametrize("offered", ["é" * 64, "٠" * 64, "\u0000" * 64, 7, None, {"hex": "00"}])
def test_a_non_ascii_or_malformed_fawry_signature_answers_401_and_writes_nothing(
    client: Client, invoice: dict[str, Any], offered: Any
) -> None:
    before = snapshot()

    response = post_fawry(client, {**genuine_fawry(invoice), "messageSignature": offered})

    assert (response.status_code, response.json_body["error"]["code"]) == (401, "unverified_notice")
    assert snapshot() == before


def test_a_re_split_paymob_notice_keeping_its_hmac_is_no_new_transaction(
    client: Client, invoice: dict[str, Any]
) -> None:
    """The genuine payment, then the same signed text cut differently: a digit of `id` moved
    into `integration_id`, and `has_parent_transaction` written as a string absorbing one."""
    register_card_order(invoice["tracking_number"], ORDER_ID)
    genuine, offered = genuine_paymob(invoice, transaction_id=192036465)
    assert post_paymob(client, genuine, offered).json_body["outcome"] == "paid"
    before = snapshot()
    obj = genuine["obj"]
    re_split = [
        {**obj, "id": 19203646, "integration_id": int(f"5{obj['integration_id']}")},
        {**obj, "has_parent_transaction": "false1", "id": 92036465},
        {**obj, "id": "192036465"},
    ]

    answers = [post_paymob(client, {**genuine, "obj": variant}, offered) for variant in re_split]

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert snapshot() == before


@pytest.mark.parametrize("raw", ["", "not json", "[]", '"PAID"', "{"])
def test_a_body_that_is_no_json_object_is_refused_and_writes_nothing(
    client: Client, invoice: dict[str, Any], raw: str
) -> None:
    before = snapshot()

    response = client.http.post(FAWRY_CALLBACK, body=raw, headers={"Content-Type": "application/json"})

    assert 400 <= response.status_code < 500
    assert snapshot() == before


# --- Genuine notices that do not pay the request ----------------------------------------------


def test_a_wrong_amount_is_recorded_and_flagged_but_never_pays(
    client: Client, staff: StaffHeaders, invoice: dict[str, Any]
) -> None:
    requests_before = requests_table()

    response = post_fawry(client, fawry_notice(reference_of(invoice), invoice["fee_egp"] - 1))

    assert (response.status_code, response.json_body["outcome"]) == (200, "amount_mismatch")
    assert requests_table() == requests_before
    recorded = the_only_notice()
    assert (recorded["outcome"], int(recorded["amount_piasters"])) == (
        "amount_mismatch",
        (invoice["fee_egp"] - 1) * 100,
    )
    assert recorded["tracking_number"] == invoice["tracking_number"]
    citizen = inquiry(client, invoice["tracking_number"])
    assert (citizen["status"], citizen["payment_status"]) == ("awaiting_payment", "unpaid")


def test_a_wrong_currency_is_recorded_and_flagged_but_never_pays(client: Client, invoice: dict[str, Any]) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    requests_before = requests_table()

    response = post_paymob(client, *genuine_paymob(invoice, currency="USD"))

    assert (response.status_code, response.json_body["outcome"]) == (200, "amount_mismatch")
    assert requests_table() == requests_before
    recorded = the_only_notice()
    assert (recorded["outcome"], recorded["currency"]) == ("amount_mismatch", "USD")
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "unpaid"


def test_a_correct_payment_after_a_wrong_one_still_pays(client: Client, invoice: dict[str, Any]) -> None:
    wrong = post_fawry(client, fawry_notice(reference_of(invoice), 1, fawry_ref="111"))
    right = post_fawry(client, genuine_fawry(invoice, fawry_ref="222"))

    assert (wrong.json_body["outcome"], right.json_body["outcome"]) == ("amount_mismatch", "paid")
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param("never-issued", id="valid-looking, never issued"),
        pytest.param("wrong-sequence", id="a real request, an invoice it never had"),
    ],
)
def test_a_genuine_payment_naming_no_invoice_is_recorded_as_unknown(
    client: Client, invoice: dict[str, Any], reference: str
) -> None:
    if reference == "never-issued":
        reference = f"{new_tracking_number()}01"
    elif reference == "wrong-sequence":
        reference = f"{invoice['tracking_number']}02"
    requests_before = requests_table()

    response = post_fawry(client, fawry_notice(reference, 1000.0))

    assert (response.status_code, response.json_body["outcome"]) == (200, "unknown_invoice")
    assert requests_table() == requests_before
    recorded = the_only_notice()
    assert (recorded["outcome"], recorded["reference"]) == ("unknown_invoice", reference)
    assert "tracking_number" not in recorded or recorded["tracking_number"] is None
    assert recorded["ledger_order"].startswith("unknown#unknown#")


@pytest.mark.parametrize("reference", ["PAY-ME-NOW", "١٢٣٤٥٦٧٨٩٠١٢٠١", "1", "12345678901201"])
def test_a_signed_notice_naming_no_reference_of_the_shape_this_service_issues_answers_401(
    client: Client, invoice: dict[str, Any], reference: str
) -> None:
    """Its edges would not be pinned in the signed text (fawryRefNumber + merchantRefNumber)."""
    before = snapshot()

    response = post_fawry(client, fawry_notice(reference, 1000.0))

    assert response.status_code == 401
    assert snapshot() == before


def test_an_expired_notice_is_recorded_and_changes_nothing_else(client: Client, invoice: dict[str, Any]) -> None:
    requests_before = requests_table()

    response = post_fawry(client, genuine_fawry(invoice, status="EXPIRED", payment_reference=None))

    assert (response.status_code, response.json_body["outcome"]) == (200, "no_money")
    assert requests_table() == requests_before
    assert (the_only_notice()["kind"], the_only_notice()["outcome"]) == ("expired", "no_money")


@pytest.mark.parametrize("status", ["NEW", "UNPAID", "CANCELED", "FAILED"])
def test_other_notices_that_move_no_money_change_nothing_but_their_record(
    client: Client, invoice: dict[str, Any], status: str
) -> None:
    requests_before = requests_table()

    response = post_fawry(client, genuine_fawry(invoice, status=status))

    assert (response.status_code, response.json_body["outcome"]) == (200, "no_money")
    assert requests_table() == requests_before


def test_a_payment_after_the_invoice_expired_is_applied_and_flagged(
    client: Client, staff: StaffHeaders, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVOICE_VALIDITY_HOURS", "0")  # the invoice expires the instant it is issued
    answer = submit(client)
    assert answer["payment"]["expires_at"] == answer["submitted_at"]

    response = post_fawry(client, genuine_fawry(answer))

    assert (response.status_code, response.json_body["outcome"]) == (200, "paid_after_expiry")
    request = office_view(client, staff, answer["tracking_number"])
    assert (request["status"], request["payment"]["status"]) == ("in_review", "paid")
    assert the_only_notice()["outcome"] == "paid_after_expiry"


# --- Money going back ------------------------------------------------------------------------


def test_a_refund_after_payment_marks_the_payment_refunded(
    client: Client, staff: StaffHeaders, invoice: dict[str, Any]
) -> None:
    post_fawry(client, genuine_fawry(invoice, fawry_ref="777"))

    response = post_fawry(client, genuine_fawry(invoice, fawry_ref="777", status="REFUNDED"))
    repeat = post_fawry(client, genuine_fawry(invoice, fawry_ref="777", status="REFUNDED"))

    assert (response.status_code, response.json_body["outcome"]) == (200, "refunded")
    assert repeat.json_body["outcome"] == "already_applied"
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "refunded"
    request = office_view(client, staff, invoice["tracking_number"])
    assert (request["version"], request["payment"]["status"]) == (3, "refunded")
    assert {n["key"]: n["outcome"] for n in recorded_notices()} == {
        "notice#fawry#777#paid": "paid",
        # A refund's key adds its signed amount and Fawry's payment reference (issue 23, item 3).
        f"notice#fawry#777#refunded#{invoice['fee_egp'] * 100}#FWR-0001": "refunded",
    }


def test_a_refund_for_an_unpaid_invoice_is_flagged_and_changes_nothing(client: Client, invoice: dict[str, Any]) -> None:
    requests_before = requests_table()

    response = post_fawry(client, genuine_fawry(invoice, status="REFUNDED"))

    assert (response.status_code, response.json_body["outcome"]) == (200, "refund_without_payment")
    assert requests_table() == requests_before
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "unpaid"


def test_a_paymob_void_after_a_card_payment_marks_it_refunded(client: Client, invoice: dict[str, Any]) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    post_paymob(client, *genuine_paymob(invoice, transaction_id=42))

    response = post_paymob(client, *genuine_paymob(invoice, transaction_id=42, is_voided=True))

    assert (response.status_code, response.json_body["outcome"]) == (200, "refunded")
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "refunded"
    assert {n["key"] for n in recorded_notices()} == {"notice#paymob#42#paid", "notice#paymob#42#voided"}


def test_a_paymob_refund_after_a_card_payment_marks_it_refunded(client: Client, invoice: dict[str, Any]) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    post_paymob(client, *genuine_paymob(invoice, transaction_id=43))

    response = post_paymob(client, *genuine_paymob(invoice, transaction_id=44, is_refunded=True))

    assert (response.status_code, response.json_body["outcome"]) == (200, "refunded")
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "refunded"


# --- The card order must be the invoice's -----------------------------------------------------


def test_a_card_payment_on_an_order_not_registered_on_the_invoice_is_unknown(
    client: Client, invoice: dict[str, Any]
) -> None:
    requests_before = requests_table()

    response = post_paymob(client, *genuine_paymob(invoice, order_id="990001"))

    assert (response.status_code, response.json_body["outcome"]) == (200, "unknown_invoice")
    assert requests_table() == requests_before
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "unpaid"


def test_a_forged_merchant_order_id_cannot_pay_another_request(client: Client, invoice: dict[str, Any]) -> None:
    """merchant_order_id is not signed: the signed order id decides which invoice is paid."""
    victim = submit(client)
    register_card_order(invoice["tracking_number"], ORDER_ID)
    register_card_order(victim["tracking_number"], "990002")
    obj = paymob_obj(f"{reference_of(victim)}-1", invoice["fee_egp"] * 100, int(ORDER_ID), transaction_id=61)

    response = post_paymob(client, *paymob_callback(obj))

    assert (response.status_code, response.json_body["outcome"]) == (200, "paid")
    assert inquiry(client, victim["tracking_number"])["payment_status"] == "unpaid"
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"
    assert [notice["tracking_number"] for notice in recorded_notices()] == [invoice["tracking_number"]]


def test_a_copy_with_an_altered_merchant_order_id_is_the_same_payment_applied_once(
    client: Client, invoice: dict[str, Any]
) -> None:
    other = submit(client)
    register_card_order(invoice["tracking_number"], ORDER_ID)
    genuine = paymob_obj(f"{reference_of(invoice)}-1", invoice["fee_egp"] * 100, int(ORDER_ID), transaction_id=62)
    altered = {**genuine, "order": {**genuine["order"], "merchant_order_id": f"{reference_of(other)}-1"}}

    outcomes = [post_paymob(client, *paymob_callback(notice)).json_body["outcome"] for notice in (altered, genuine)]

    assert outcomes == ["paid", "already_applied"]
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"
    assert inquiry(client, other["tracking_number"])["payment_status"] == "unpaid"


def test_a_copy_with_a_currency_fawry_does_not_sign_is_the_same_payment_applied_once(
    client: Client, invoice: dict[str, Any]
) -> None:
    genuine = genuine_fawry(invoice)

    outcomes = [post_fawry(client, notice).json_body["outcome"] for notice in ({**genuine, "currency": "USD"}, genuine)]

    assert outcomes == ["paid", "already_applied"]
    assert inquiry(client, invoice["tracking_number"])["payment_status"] == "paid"


def test_an_amount_finer_than_fawry_signs_is_refused_and_blocks_nothing(
    client: Client, invoice: dict[str, Any]
) -> None:
    genuine = genuine_fawry(invoice)
    altered = {**genuine, "paymentAmount": f"{invoice['fee_egp']}.005"}

    assert post_fawry(client, altered).status_code == 401
    assert post_fawry(client, genuine).json_body["outcome"] == "paid"


# --- Money that came when it should not have -------------------------------------------------


def test_a_second_payment_by_another_gateway_is_flagged_and_changes_nothing(
    client: Client, staff: StaffHeaders, invoice: dict[str, Any]
) -> None:
    register_card_order(invoice["tracking_number"], ORDER_ID)
    first = post_fawry(client, genuine_fawry(invoice, fawry_ref="888"))
    requests_before = requests_table()

    second = post_paymob(client, *genuine_paymob(invoice, transaction_id=889))

    assert (first.json_body["outcome"], second.status_code, second.json_body["outcome"]) == ("paid", 200, "paid_twice")
    assert requests_table() == requests_before
    assert office_view(client, staff, invoice["tracking_number"])["payment"]["paid_by"] == "fawry#888#paid"
    assert {n["key"]: n["outcome"] for n in recorded_notices()} == {
        "notice#fawry#888#paid": "paid",
        "notice#paymob#889#paid": "paid_twice",
    }


def test_a_payment_after_the_manager_cancelled_is_flagged_and_does_not_reopen(
    client: Client, staff: StaffHeaders, invoice: dict[str, Any]
) -> None:
    tracking_number = invoice["tracking_number"]
    cancelled = post_json(
        client,
        f"/v1/office/requests/{tracking_number}/transitions",
        {"to": "cancelled", "note": "طلب المواطن الإلغاء", "version": 1},
        staff("manager", "dokki"),
    )
    assert cancelled.status_code == 200, cancelled.body
    requests_before = requests_table()

    response = post_fawry(client, genuine_fawry(invoice))

    assert (response.status_code, response.json_body["outcome"]) == (200, "paid_when_closed")
    assert requests_table() == requests_before
    citizen = inquiry(client, tracking_number)
    assert (citizen["status"], citizen["payment_status"]) == ("cancelled", "unpaid")


def test_a_payment_adds_one_history_entry_and_one_notice(client: Client, invoice: dict[str, Any]) -> None:
    tables_before = {table: len(table_items(table)) for table in (REQUESTS_TABLE, PAYMENTS_TABLE)}

    post_fawry(client, genuine_fawry(invoice))

    # the request item is replaced and one history entry added; one notice recorded
    assert {table: len(table_items(table)) for table in tables_before} == {
        REQUESTS_TABLE: tables_before[REQUESTS_TABLE] + 1,
        PAYMENTS_TABLE: tables_before[PAYMENTS_TABLE] + 1,
    }
