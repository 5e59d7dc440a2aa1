"""The request view's timeline and a queue row's documents, as the console's pages show them."""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.console.office_views import documents_state, timeline


def _entry(at: str, event: str = "status_change", **fields: str) -> dict[str, str | None]:
    return {"event": event, "at": at, "from": None, "to": "submitted", "actor_role": None, "office": None,
            "note": None, "message_to_citizen": None, **fields}  # fmt: skip


def test_the_timeline_puts_payments_messages_and_scans_in_the_order_they_happened() -> None:
    view = {
        "history": [
            _entry("2026-03-01T08:00:00Z"),
            _entry("2026-03-01T12:00:00Z", "message_sent", message_kind="submitted", channel="whatsapp"),
        ],
        "payment": {"amount_egp": 150, "status": "paid", "paid_at": "2026-03-01T10:00:00Z"},
        "documents": [
            {"document": "plan", "status": "clean", "updated_at": "2026-03-01T09:00:00Z"},
            {"document": "deed", "status": "received_at_window", "updated_at": "2026-03-01T09:30:00Z"},
        ],
    }

    rows = timeline(view, {"plan": "الرسم الهندسي"})

    assert [row["what"] for row in rows] == [
        "جديد ← تم تقديم الطلب",
        "مستند الرسم الهندسي: وصل وقُبل",
        "دفع الرسوم: 150 جنيه (دُفعت)",
        "رسالة إلى المواطن: استلام الطلب · واتساب",
    ]
    assert rows[0]["at"] == "2026-03-01 10:00"  # Cairo time, Western digits


@dataclass(frozen=True)
class _Listed:
    code: str
    name_ar: str


def test_a_queue_row_counts_uploads_and_paper_against_the_service_s_list() -> None:
    listed = [_Listed("plan", "الرسم الهندسي"), _Listed("deed", "عقد الملكية"), _Listed("id", "صورة البطاقة")]
    entry = {"documents_uploaded": ["plan"], "documents_received": ["عقد الملكية"], "uploaded_since_last_move": True}

    state = documents_state(listed, entry)

    assert state.text_ar == "2 من 3، 1 ورقي"
    assert state.uploaded_since_last_move
    assert documents_state(listed, {}).text_ar == "0 من 3"
