"""The gateways' notices handed straight to the service: what a genuine one does to the request and
the ledger, read back from the store; a repeat changing nothing; a card payment found through the
order registered for its invoice; money going back; a request changed between the notice's read
and its write; and what the flagged outcomes say in the logs (and what they never say).

The signing and posting of notices through the API is tests/integration/api/test_payment_callbacks.py's.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import Busy
from chalicelib.domain.payments import PIASTERS_PER_POUND, GatewayNotice, NoticeKind, Outcome
from chalicelib.domain.tracking import new_tracking_number
from chalicelib.services import payment_notices
from chalicelib.services.office_moves import move_request
from chalicelib.services.payment_notices import JUDGEMENTS, apply_notice, handle_fawry_notice, handle_paymob_notice
from chalicelib.services.submission import ONLINE, submit_request
from chalicelib.store.payments import PaymentNotice
from chalicelib.store.requests.changes import StoredRequest, load_request
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord, load_request_record
from tests.factories import national_id, submission
from tests.integration.api.gateway_notices import (
    fawry_notice,
    paymob_callback,
    paymob_obj,
    register_card_order,
    snapshot,
)
from tests.integration.services.conftest import MANAGER, Records
from tools.testing.aws_calls import counted_aws_calls
from tools.testing.synthetic import PHONE

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=20)
ORDER_ID = "217503754"
# What no log line may carry: the applicant's national ID and phone, and the payer's phone Fawry sends.
PERSONAL = (national_id(), national_id()[-7:], PHONE, PHONE[-10:], "01000000000")


def filed() -> tuple[str, str, int]:
    """A fee-bearing request filed online at NOW: its tracking number, invoice reference and fee in pounds."""
    answer = submit_request(submission(), None, ONLINE, NOW)
    assert answer.payment is not None
    return answer.tracking_number, answer.payment.reference, int(answer.fee_egp)


def stored(tracking_number: str) -> StoredRequest:
    found = load_request(tracking_number)
    assert found is not None
    return found


def kept(tracking_number: str) -> list[dict[str, Any]]:
    """The request's partition, whole, as stored: equal before and after, nothing of it changed."""
    found = stored(tracking_number)
    return [item.serialize() for item in (found.request, *found.history, *found.checkout_attempts)]


def notices() -> dict[str, PaymentNotice]:
    """The notices recorded, by key, as the store reads them back."""
    return {notice.key: notice for notice in PaymentNotice.scan(PaymentNotice.key.startswith("notice#"))}


def card_paid(reference: str, fee_egp: int, transaction_id: int, **changes: Any) -> tuple[dict[str, Any], str]:
    """A Paymob callback for the order ORDER_ID, its merchant_order_id naming `reference`, and its HMAC."""
    return paymob_callback(paymob_obj(f"{reference}-1", fee_egp * 100, int(ORDER_ID), transaction_id, **changes))


def logged(lines: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in lines.getvalue().splitlines()]


# --- A genuine payment, once ------------------------------------------------------------------


def test_a_genuine_fawry_notice_pays_the_invoice_moves_the_request_to_review_and_is_recorded_once(aws: None) -> None:
    tracking_number, reference, fee = filed()

    outcome = handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="9990000123"), LATER)

    assert outcome is Outcome.PAID
    after = stored(tracking_number)
    request, payment = after.request, after.request.payment
    assert (request.status, request.version, request.updated_at) == ("in_review", 2, LATER)
    assert (payment.status, payment.paid_at) == ("paid", LATER)
    assert (payment.paid_by, payment.paid_with) == ("fawry#9990000123#paid", "fawry#9990000123")
    assert len(after.history) == 2
    entry = after.history[-1]
    assert entry.event == HistoryEntry.STATUS_CHANGE
    assert (entry.from_status, entry.to_status) == ("awaiting_payment", "in_review")
    assert (entry.actor_role, entry.actor, entry.at) == ("payment", "fawry", LATER)
    assert "فوري" in entry.note
    assert "9990000123" in entry.note
    [recorded] = notices().values()
    assert recorded.key == "notice#fawry#9990000123#paid"
    assert (recorded.outcome, recorded.tracking_number, recorded.reference) == ("paid", tracking_number, reference)
    assert (int(recorded.amount_piasters), recorded.currency) == (fee * PIASTERS_PER_POUND, "EGP")
    assert (recorded.received_at, recorded.ledger_day) == (LATER, cairo_today(LATER).isoformat())
    assert recorded.ledger_order == f"dokki#{request.service_code}#fawry#9990000123#paid"


@pytest.mark.parametrize(
    ("amount", "first"),
    [
        pytest.param(None, Outcome.PAID, id="paid, then the same notice"),
        pytest.param(1, Outcome.AMOUNT_MISMATCH, id="a wrong amount, then the same notice"),
    ],
)
def test_the_same_notice_again_is_already_applied_and_writes_and_alerts_nothing(
    aws: None, log_lines: io.StringIO, amount: int | None, first: Outcome
) -> None:
    """A wrong amount judged again is a wrong amount again: it is the notice's record, already
    there, that makes the repeat change nothing (and not call anyone a second time)."""
    _, reference, fee = filed()
    notice = fawry_notice(reference, amount or fee)
    assert handle_fawry_notice(notice, LATER) is first
    before, lines_before = snapshot(), len(logged(log_lines))

    repeats = [handle_fawry_notice(notice, LATER + timedelta(hours=hours)) for hours in (1, 2)]

    assert repeats == [Outcome.ALREADY_APPLIED] * 2
    assert snapshot() == before
    assert len(logged(log_lines)) == lines_before


def test_a_refund_delivered_twice_gives_back_the_money_once(aws: None) -> None:
    tracking_number, reference, fee = filed()
    handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="777"), LATER)
    refund = fawry_notice(reference, fee, fawry_ref="777", status="REFUNDED")
    assert handle_fawry_notice(refund, LATER) is Outcome.REFUNDED
    before = snapshot()

    assert handle_fawry_notice(refund, LATER + timedelta(hours=1)) is Outcome.ALREADY_APPLIED

    assert snapshot() == before
    assert int(stored(tracking_number).request.payment.refunded_piasters) == fee * PIASTERS_PER_POUND


# --- Notices naming no invoice of ours ----------------------------------------------------------


def notice_naming(reference: str, kind: NoticeKind = NoticeKind.PAID) -> GatewayNotice:
    """A verified Fawry notice naming `reference`, as the adapter hands it on."""
    return GatewayNotice(gateway="fawry", transaction_id="9990000555", kind=kind, amount_piasters=50_000,
                         currency="EGP", method="PAYATFAWRY", reference=reference)  # fmt: skip


@pytest.mark.parametrize(
    "naming",
    [
        pytest.param(lambda mine: f"{new_tracking_number()}01", id="never issued"),
        pytest.param(lambda mine: f"{mine[:-2]}02", id="a real request, an invoice it never had"),
        pytest.param(lambda mine: mine.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")), id="arabic digits"),
        pytest.param(lambda mine: f"{mine[:-2]}-01", id="not of the issued shape"),
        pytest.param(lambda mine: "", id="empty"),
    ],
)
def test_a_notice_naming_no_invoice_of_ours_is_recorded_as_such_and_changes_no_request(aws: None, naming: Any) -> None:
    tracking_number, reference, _ = filed()
    named = naming(reference)
    request_before = kept(tracking_number)

    outcome = apply_notice(notice_naming(named), LATER)

    assert outcome is Outcome.UNKNOWN_INVOICE
    assert kept(tracking_number) == request_before
    [recorded] = notices().values()
    assert (recorded.outcome, recorded.reference, recorded.tracking_number) == ("unknown_invoice", named, None)
    assert (recorded.district_code, recorded.service_code) == (None, None)
    assert recorded.ledger_order == "unknown#unknown#fawry#9990000555#paid"


def test_a_reference_in_arabic_digits_is_never_read_as_the_request_whose_number_it_spells(aws: None) -> None:
    _, reference, _ = filed()
    spelled = reference.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    with counted_aws_calls() as calls:
        outcome = apply_notice(notice_naming(spelled), LATER)

    assert outcome is Outcome.UNKNOWN_INVOICE
    assert dict(calls) == {"dynamodb:TransactWriteItems": 1}  # its record only: no request looked up


def test_money_back_naming_no_invoice_of_ours_is_recorded_as_such(aws: None) -> None:
    assert apply_notice(notice_naming(f"{new_tracking_number()}01", NoticeKind.REFUNDED), LATER) is (
        Outcome.REFUND_UNKNOWN_INVOICE
    )
    assert [notice.outcome for notice in notices().values()] == ["refund_unknown_invoice"]


# --- Card payments: the signed order decides -------------------------------------------------------


def test_a_card_payment_is_matched_through_the_order_registered_for_the_invoice_never_its_merchant_order_id(
    aws: None,
) -> None:
    payer, _, fee = filed()
    other, other_reference, _ = filed()
    register_card_order(payer, ORDER_ID)
    other_before = kept(other)

    outcome = handle_paymob_notice(*card_paid(other_reference, fee, transaction_id=555001), LATER)

    assert outcome is Outcome.PAID
    payment = stored(payer).request.payment
    assert (payment.status, payment.paid_by, payment.paid_with) == ("paid", "paymob#555001#paid", f"paymob#{ORDER_ID}")
    assert kept(other) == other_before
    [recorded] = notices().values()
    assert (recorded.tracking_number, recorded.method) == (payer, "card")


def test_a_card_payment_on_an_order_registered_for_no_invoice_is_unknown_even_naming_a_real_one(aws: None) -> None:
    tracking_number, reference, fee = filed()
    before = kept(tracking_number)

    outcome = handle_paymob_notice(*card_paid(reference, fee, transaction_id=555002), LATER)

    assert outcome is Outcome.UNKNOWN_INVOICE
    assert kept(tracking_number) == before
    assert [(n.outcome, n.tracking_number) for n in notices().values()] == [("unknown_invoice", None)]


# --- Money going back ---------------------------------------------------------------------------------


def test_fawry_refunds_add_up_and_only_the_whole_fee_back_marks_the_payment_refunded(aws: None) -> None:
    tracking_number, reference, fee = filed()
    handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="778"), LATER)
    part = fee // 4

    first = handle_fawry_notice(
        fawry_notice(reference, part, fawry_ref="778", status="REFUNDED", payment_reference="FWR-0002"), LATER
    )
    after_first = stored(tracking_number)
    rest = handle_fawry_notice(
        fawry_notice(reference, fee - part, fawry_ref="778", status="REFUNDED", payment_reference="FWR-0003"), LATER
    )

    assert (first, rest) == (Outcome.PARTIALLY_REFUNDED, Outcome.REFUNDED)
    assert (after_first.request.payment.status, int(after_first.request.payment.refunded_piasters)) == (
        "paid",
        part * PIASTERS_PER_POUND,
    )
    after = stored(tracking_number)
    payment = after.request.payment
    assert (payment.status, int(payment.refunded_piasters)) == ("refunded", fee * PIASTERS_PER_POUND)
    assert payment.paid_by == "fawry#778#paid"  # who paid is kept
    assert (after.request.status, after.request.version) == ("in_review", 4)
    refunds = [entry for entry in after.history if entry.event == HistoryEntry.PAYMENT_REFUNDED]
    assert [(entry.from_status, entry.to_status, entry.actor) for entry in refunds] == [
        ("in_review", "in_review", "fawry")
    ] * 2
    assert "رُدّ جزء من الرسوم" in refunds[0].note
    assert "رُدّت الرسوم" in refunds[1].note
    assert sorted(notice.outcome for notice in notices().values()) == ["paid", "partially_refunded", "refunded"]


def test_a_paymob_void_of_the_card_payment_gives_the_whole_fee_back(aws: None) -> None:
    tracking_number, reference, fee = filed()
    register_card_order(tracking_number, ORDER_ID)
    handle_paymob_notice(*card_paid(reference, fee, transaction_id=42), LATER)

    outcome = handle_paymob_notice(*card_paid(reference, fee, transaction_id=42, is_voided=True), LATER)

    assert outcome is Outcome.REFUNDED
    payment = stored(tracking_number).request.payment
    assert (payment.status, int(payment.refunded_piasters)) == ("refunded", fee * PIASTERS_PER_POUND)
    assert stored(tracking_number).history[-1].note.startswith("رُدّت الرسوم")


def test_a_refund_of_a_payment_never_applied_changes_no_request(aws: None) -> None:
    """Paid by Fawry, then by card (paid twice: flagged): the card payment going back is not the
    invoice's payment going back."""
    tracking_number, reference, fee = filed()
    register_card_order(tracking_number, ORDER_ID)
    handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="779"), LATER)
    assert handle_paymob_notice(*card_paid(reference, fee, transaction_id=43), LATER) is Outcome.PAID_TWICE
    before = kept(tracking_number)

    outcome = handle_paymob_notice(*card_paid(reference, fee, transaction_id=44, is_refunded=True), LATER)

    assert outcome is Outcome.REFUND_OF_UNAPPLIED
    assert kept(tracking_number) == before


# --- The request changed between the notice's read and its write ------------------------------------------


def test_a_request_cancelled_between_the_read_and_the_write_is_judged_again_and_not_reopened(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking_number, reference, fee = filed()
    record_notice = payment_notices.record_notice
    written: list[str] = []

    def cancelled_first(notice: PaymentNotice, moved: Any) -> None:
        if not written:
            move_request(MANAGER, tracking_number, {"to": "cancelled", "note": "طلب المواطن الإلغاء", "version": 1},
                         NOW)  # fmt: skip
        written.append(notice.outcome)
        record_notice(notice, moved)

    monkeypatch.setattr(payment_notices, "record_notice", cancelled_first)

    outcome = handle_fawry_notice(fawry_notice(reference, fee), LATER)

    assert outcome is Outcome.PAID_WHEN_CLOSED
    assert written == ["paid", "paid_when_closed"]  # the first write conflicted: judged again
    request = stored(tracking_number).request
    assert (request.status, request.version, request.payment.status) == ("cancelled", 2, "unpaid")
    assert [notice.outcome for notice in notices().values()] == ["paid_when_closed"]


def test_a_request_that_keeps_changing_leaves_the_notice_unrecorded_and_busy(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking_number, reference, fee = filed()
    record_notice = payment_notices.record_notice
    tries: list[int] = []

    def saved_by_another_first(notice: PaymentNotice, moved: Any) -> None:
        tries.append(1)
        load_request_record(tracking_number).update(actions=[RequestRecord.version.add(1)])  # another writer
        record_notice(notice, moved)

    monkeypatch.setattr(payment_notices, "record_notice", saved_by_another_first)
    before = stored(tracking_number)

    with pytest.raises(Busy) as busy:
        handle_fawry_notice(fawry_notice(reference, fee), LATER)

    assert busy.value.contended is True
    assert "لم يُحفظ شيء" in busy.value.message_ar  # "nothing was saved": the gateway is asked to try again
    assert "nothing was saved" in busy.value.message_en
    assert len(tries) == JUDGEMENTS
    assert notices() == {}
    after = stored(tracking_number)
    assert (after.request.status, after.request.payment.status) == ("awaiting_payment", "unpaid")
    assert [entry.serialize() for entry in after.history] == [entry.serialize() for entry in before.history]
    assert after.request.version == before.request.version + JUDGEMENTS  # only the other writer's saves


# --- What the logs say ---------------------------------------------------------------------------------


def paid_after_expiry(reference: str, fee: int) -> Outcome:
    return handle_fawry_notice(fawry_notice(reference, fee), NOW + timedelta(days=30))


def paid_twice(reference: str, fee: int) -> Outcome:
    handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="1"), LATER)
    return handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="2"), LATER)


def refund_without_payment(reference: str, fee: int) -> Outcome:
    return handle_fawry_notice(fawry_notice(reference, fee, status="REFUNDED"), LATER)


def amount_mismatch(reference: str, fee: int) -> Outcome:
    return handle_fawry_notice(fawry_notice(reference, fee - 1), LATER)


@pytest.mark.parametrize("notice", [paid_after_expiry, paid_twice, refund_without_payment, amount_mismatch])
def test_a_flagged_outcome_calls_for_attention_and_no_log_line_carries_personal_data(
    aws: None, log_lines: io.StringIO, raw_records: Records, notice: Any
) -> None:
    tracking_number, reference, fee = filed()

    outcome = notice(reference, fee)

    assert outcome.value == notice.__name__
    lines = logged(log_lines)
    [alert] = [line for line in lines if line.get("alert") == "payment_flagged"]
    assert (alert["message"], alert["level"]) == ("payment notice needs attention", "ERROR")
    assert (alert["outcome"], alert["tracking_number"], alert["gateway"]) == (outcome.value, tracking_number, "fawry")
    formatted = json.dumps(lines, ensure_ascii=False)
    for personal in PERSONAL:
        assert personal not in formatted
        assert personal not in raw_records.text(), "the code itself asked to log personal data"


def test_a_payment_applied_is_logged_without_an_alert(aws: None, log_lines: io.StringIO) -> None:
    tracking_number, reference, fee = filed()

    handle_fawry_notice(fawry_notice(reference, fee, fawry_ref="9990000124"), LATER)

    [line] = [line for line in logged(log_lines) if line["message"].startswith("payment notice")]
    assert (line["message"], line["level"], line["outcome"]) == ("payment notice recorded", "INFO", "paid")
    assert (line["tracking_number"], line["transaction_id"]) == (tracking_number, "9990000124")
    assert "alert" not in line
