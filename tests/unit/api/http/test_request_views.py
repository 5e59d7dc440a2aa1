"""How a citizen's request is shown over the API (chalicelib/api/http/request_views.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.api.http.request_views import inquiry_answer, submission_answer
from chalicelib.domain.application import FeeInvoice, Submission
from chalicelib.domain.inquiry import RequestStanding, StandingChange

FILED = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


def test_a_fee_bearing_submission_answers_its_invoice_in_utc() -> None:
    invoice = FeeInvoice("482910735612201", 150, "unpaid", datetime(2026, 3, 17, 9, 30, tzinfo=UTC))
    filed = Submission("4829107356122", "awaiting_payment", FILED, 150, "2026-03-24", invoice)

    assert submission_answer(filed) == {
        "tracking_number": "4829107356122",
        "status": "awaiting_payment",
        "submitted_at": "2026-03-10T09:30:00Z",
        "fee_egp": 150,
        "sla_due_date": "2026-03-24",
        "payment": {
            "reference": "482910735612201",
            "amount_egp": 150,
            "status": "unpaid",
            "expires_at": "2026-03-17T09:30:00Z",
        },
    }


def test_a_free_submission_answers_no_payment() -> None:
    assert submission_answer(Submission("4829107356122", "submitted", FILED, 0, "2026-03-24", None))["payment"] is None


def test_an_inquiry_names_the_status_in_arabic_and_shows_a_message_only_when_one_was_sent() -> None:
    standing = RequestStanding(
        "4829107356122",
        "needs_info",
        "shop_licence",
        "dokki",
        FILED,
        "2026-03-24",
        None,
        (StandingChange("submitted", FILED), StandingChange("needs_info", FILED, "أرسل عقد الإيجار")),
    )

    answer = inquiry_answer(standing)

    assert answer["status_ar"]
    assert any("\u0600" <= char <= "\u06ff" for char in answer["status_ar"])
    assert answer["payment_status"] is None
    assert answer["history"] == [
        {"status": "submitted", "at": "2026-03-10T09:30:00Z"},
        {"status": "needs_info", "at": "2026-03-10T09:30:00Z", "message_ar": "أرسل عقد الإيجار"},
    ]
