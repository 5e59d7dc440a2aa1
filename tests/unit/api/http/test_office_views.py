"""The office's answers as the API shapes them: plain Python, no AWS (the records are built in memory)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.api.http.office_views import (
    applicant_answer,
    blind_view_answer,
    correction_answer,
    erasure_answer,
    queue_answer,
    queue_entry_answer,
    workload_answer,
)
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.domain.statuses import Status
from chalicelib.services.office_identity import Applicant, CorrectedApplicant, ErasedIdentity
from chalicelib.services.office_queue import OfficerLoad, QueueEntry, QueuePage, Workload
from chalicelib.services.office_view import BlindView
from chalicelib.store.documents import DocumentRecord
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import PaymentTerms, RequestRecord

NUMBER = "4829107356122"
FILED = datetime(2026, 11, 29, 8, 0, tzinfo=UTC)
MOVED = datetime(2026, 11, 30, 9, 15, 30, tzinfo=UTC)
MANAGER = StaffMember("manager-huda", Role.MANAGER, "dokki")


def a_request(**overrides: object) -> RequestRecord:
    fields: dict[str, object] = {
        "service_code": "shop_licence", "district_code": "dokki", "department": "licensing", "channel": "online",
        "status": Status.IN_REVIEW.value, "version": 3, "fee_egp": 150, "details": {"shop_address": "12 شارع التحرير"},
        "submitted_at": FILED, "updated_at": MOVED, "sla_due_date": "2026-12-28",
    }  # fmt: skip
    return RequestRecord(NUMBER, RequestRecord.ITEM, **{**fields, **overrides})


def test_the_blind_view_has_every_field_of_the_office_api_in_order_and_nobody_s_name() -> None:
    request = a_request(
        payment=PaymentTerms(reference="FW123", amount_egp=150, status="paid", expires_at=MOVED, paid_at=MOVED,
                             paid_by="fawry", refunded_piasters=2550),
        assignee="officer-1", assignee_email="officer@dokki.example",
    )  # fmt: skip
    moved = HistoryEntry.by_staff(request, HistoryEntry.STATUS_CHANGE, MANAGER, MOVED, from_status="submitted",
                                  to_status="in_review", note="فحص")  # fmt: skip
    paper = DocumentRecord("doc-1", tracking_number=NUMBER, document="lease", status="received_at_window",
                           created_at=MOVED, updated_at=MOVED)  # fmt: skip

    view = blind_view_answer(BlindView(request, (moved,), "ترخيص محل عام", True, (paper,)))

    assert list(view) == [
        "tracking_number", "version", "status", "status_ar", "service_code", "service_name_ar", "district_code",
        "department", "channel", "filed_at_office", "submitted_at", "updated_at", "sla_due_date",
        "sla_due_date_provisional", "overdue", "fee_egp", "payment", "details", "documents_received",
        "identity_erased", "assignee", "documents", "history",
    ]  # fmt: skip
    assert (view["status_ar"], view["submitted_at"], view["overdue"]) == ("قيد الفحص", "2026-11-29T08:00:00Z", True)
    assert (view["sla_due_date_provisional"], view["identity_erased"]) == (False, False)  # unset is false
    assert view["payment"] == {"reference": "FW123", "amount_egp": 150, "status": "paid",
                               "expires_at": "2026-11-30T09:15:30Z", "paid_at": "2026-11-30T09:15:30Z",
                               "paid_by": "fawry", "refunded_egp": 25.5}  # fmt: skip
    assert view["assignee"] == {"officer": "officer-1", "email": "officer@dokki.example"}
    assert view["documents"] == [{"document_id": "doc-1", "document": "lease", "status": "received_at_window",
                                  "rejection": None, "updated_at": "2026-11-30T09:15:30Z"}]  # fmt: skip
    assert view["history"] == [{"event": "status_change", "version": 3, "at": "2026-11-30T09:15:30Z",
                                "from": "submitted", "to": "in_review", "actor_role": "manager",
                                "actor": "manager-huda", "office": MANAGER.office_code, "from_district": None,
                                "to_district": None, "note": "فحص", "message_to_citizen": None}]  # fmt: skip


def test_history_entries_carry_their_own_fields_first_and_only_for_their_event() -> None:
    request = a_request(payment=None)
    assigned = HistoryEntry.by_staff(request, HistoryEntry.ASSIGNED, MANAGER, MOVED, assignee="officer@dokki.example")
    sent = HistoryEntry.message_sent(NUMBER, "outbox-1", "status_changed", "sms", MOVED)
    corrected = HistoryEntry.by_staff(request, HistoryEntry.APPLICANT_CORRECTED, MANAGER, MOVED,
                                      corrected="full_name phone")  # fmt: skip

    history = blind_view_answer(BlindView(request, (assigned, sent, corrected), None, False, ()))["history"]

    assert list(history[0])[:2] == ["assignee", "event"]
    assert history[0]["assignee"] == "officer@dokki.example"
    assert (history[1]["message_kind"], history[1]["channel"]) == ("status_changed", "sms")
    assert "assignee" not in history[1]
    assert "corrected" not in history[1]
    assert history[2]["corrected"] == ["full_name", "phone"]
    assert blind_view_answer(BlindView(request, (), None, False, ()))["payment"] is None


def test_a_queue_page_lists_its_entries_and_where_the_next_page_starts() -> None:
    uploaded = a_request(documents_uploaded={"lease", "id_copy"}, documents_received=["عقد"], sla_provisional=True)
    page = QueuePage("dokki", Status.IN_REVIEW, "licensing", (QueueEntry(uploaded, True, True),), "cursor-1")

    answer = queue_answer(page)

    assert (answer["district_code"], answer["status"], answer["department"], answer["next_cursor"]) == (
        "dokki", "in_review", "licensing", "cursor-1",
    )  # fmt: skip
    assert answer["requests"] == [{
        "tracking_number": NUMBER, "version": 3, "status": "in_review", "service_code": "shop_licence",
        "department": "licensing", "submitted_at": "2026-11-29T08:00:00Z", "sla_due_date": "2026-12-28",
        "sla_due_date_provisional": True, "overdue": True, "documents_received": ["عقد"],
        "documents_uploaded": ["id_copy", "lease"], "uploaded_since_last_move": True,
    }]  # fmt: skip
    assert queue_entry_answer(QueueEntry(a_request(), False, False))["documents_uploaded"] == []


def test_the_workload_names_each_officer_with_their_open_and_overdue_counts() -> None:
    load = Workload("dokki", (OfficerLoad("officer@dokki.example", 4, 1), OfficerLoad("", 2, 0)))

    assert workload_answer(load) == {
        "district_code": "dokki",
        "officers": [{"officer": "officer@dokki.example", "open": 4, "overdue": 1},
                     {"officer": "", "open": 2, "overdue": 0}],
    }  # fmt: skip


def test_a_reveal_a_correction_and_an_erasure_answer_their_fields() -> None:
    huda = Applicant(NUMBER, "هدى محمود", "29001011234567", "+201001234567")

    assert applicant_answer(huda) == {"tracking_number": NUMBER, "full_name": "هدى محمود",
                                      "national_id": "29001011234567", "phone": "+201001234567"}  # fmt: skip
    corrected = correction_answer(CorrectedApplicant(huda, 5, ("full_name", "phone")))
    assert list(corrected) == ["tracking_number", "version", "corrected", "full_name", "national_id", "phone"]
    assert (corrected["version"], corrected["corrected"]) == (5, ["full_name", "phone"])
    assert erasure_answer(ErasedIdentity(NUMBER, 6)) == {"tracking_number": NUMBER, "identity_erased": True,
                                                         "version": 6}  # fmt: skip
