"""How a citizen's request is shown over the API (chalicelib/api/http/request_views.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.api.http.request_views import inquiry_answer
from chalicelib.domain.inquiry import RequestStanding, StandingChange

FILED = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)


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
