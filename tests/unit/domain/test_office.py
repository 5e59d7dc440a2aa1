"""What district staff send, read before anything is looked up (chalicelib/domain/office.py): every
refusal names its field in Arabic and English, and what is accepted comes back cleaned."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest

from chalicelib.domain.catalogue import Document
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.office import (
    LARGEST_PAGE_SIZE,
    LONGEST_CURSOR,
    NOTE_LIMIT,
    decode_cursor,
    due_date_after_transfer,
    encode_cursor,
    is_overdue,
    read_applicant_correction,
    read_assignment,
    read_documents_received,
    read_erasure_reason,
    read_move,
    read_queue_query,
    read_reveal_reason,
    read_transfer,
)
from chalicelib.domain.statuses import Status

REASON = "طلب المواطن بخطاب رسمي"
ORDER = "2026-12-10#202612070001"
DOCUMENTS = (
    Document("id_copy", "صورة البطاقة", "ID copy", identity=True),
    Document("lease", "عقد الإيجار", "Lease"),
    Document("plan", "الرسم الهندسي", "Plan", required=False),
)


def refused_fields(read: Any, *arguments: Any) -> dict[str, tuple[str, str]]:
    """The fields a reader refuses, each with its Arabic and English message."""
    with pytest.raises(InvalidInput) as refusal:
        read(*arguments)
    assert refusal.value.code == "invalid_fields"
    fields_en = refusal.value.fields_en or {}
    assert set(fields_en) == set(refusal.value.fields), "every refused field is explained in English too"
    return {name: (message, fields_en[name]) for name, message in refusal.value.fields.items()}


def test_a_move_is_read_cleaned_with_its_named_documents_once_each() -> None:
    move = read_move(
        {"to": "needs_info", "note": "  ينقص  العقد ", "version": 3, "message_to_citizen": "ارفع العقد",
         "missing_documents": ["lease", "lease", "plan"]}
    )  # fmt: skip

    assert (move.target, move.version, move.citizen_message) == (Status.NEEDS_INFO, 3, "ارفع العقد")
    assert move.note == "ينقص العقد"  # one space between words, none around
    assert move.missing_documents == ("lease", "plan")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"to", "note", "version"}),
        ({"to": "lost", "note": "ملاحظة", "version": 1}, {"to"}),
        ({"to": "approved", "note": "ملاحظة", "version": 0}, {"version"}),
        ({"to": "approved", "note": "ملاحظة", "version": True}, {"version"}),
        ({"to": "approved", "note": "ملاحظة", "version": "1"}, {"version"}),
        ({"to": "approved", "note": 5, "version": 1}, {"note"}),
        ({"to": "approved", "note": "x" * (NOTE_LIMIT + 1), "version": 1}, {"note"}),
        ({"to": "approved", "note": "ملاحظة", "version": 1, "message_to_citizen": "x" * 301}, {"message_to_citizen"}),
        ({"to": "needs_info", "note": "ملاحظة", "version": 1, "missing_documents": "lease"}, {"missing_documents"}),
        ({"to": "needs_info", "note": "ملاحظة", "version": 1, "missing_documents": [1]}, {"missing_documents"}),
    ],
)
def test_a_move_sent_wrong_is_refused_field_by_field(body: dict[str, Any], fields: set[str]) -> None:
    assert set(refused_fields(read_move, body)) == fields


def test_a_transfer_needs_a_district_a_reason_of_ten_characters_and_a_version() -> None:
    transfer = read_transfer({"to_district": "warraq", "reason": REASON, "version": 2})

    assert (transfer.to_district, transfer.reason, transfer.version) == ("warraq", REASON, 2)
    assert set(refused_fields(read_transfer, {"to_district": "", "reason": "قصير", "version": 2})) == {
        "to_district",
        "reason",
    }
    assert set(refused_fields(read_transfer, {"to_district": ["warraq"], "version": -1})) == {
        "to_district",
        "reason",
        "version",
    }


def test_an_assignment_names_an_officer_on_a_version() -> None:
    assert read_assignment({"officer": " officer.dokki@staff.shobbak.local ", "version": 4}).version == 4
    assert set(refused_fields(read_assignment, {"officer": "", "version": None})) == {"officer", "version"}


def test_a_transferred_request_gets_the_full_deadline_from_the_transfer_never_less_than_promised() -> None:
    no_holidays: frozenset[date] = frozenset()
    # Transferred on Sunday 6 December 2026 with a five-working-day service: Friday and Saturday are off.
    assert due_date_after_transfer(date(2026, 12, 8), date(2026, 12, 6), 5, no_holidays) == date(2026, 12, 13)
    # A first promise later than that stands.
    assert due_date_after_transfer(date(2026, 12, 31), date(2026, 12, 6), 5, no_holidays) == date(2026, 12, 31)
    # A holiday on the way pushes the new deadline a working day later.
    assert due_date_after_transfer(date(2026, 12, 8), date(2026, 12, 6), 5, frozenset({date(2026, 12, 9)})) == date(
        2026, 12, 14
    )


@pytest.mark.parametrize("read", [read_reveal_reason, read_erasure_reason])
def test_a_reveal_or_an_erasure_states_its_reason_in_ten_characters(read: Any) -> None:
    assert read({"reason": f"  {REASON} "}) == REASON
    for body in ({}, {"reason": "قصير"}, {"reason": 10}):
        assert set(refused_fields(read, body)) == {"reason"}


def test_a_correction_is_normalised_as_the_portal_normalises_and_needs_something_to_correct() -> None:
    corrected = read_applicant_correction({"phone": "٠١٠١٢٣٤٥٦٧٨", "reason": REASON, "version": 2})

    assert (corrected.phone, corrected.full_name, corrected.version) == ("+201012345678", None, 2)
    assert set(refused_fields(read_applicant_correction, {"reason": REASON, "version": 2})) == {"phone"}
    assert set(refused_fields(read_applicant_correction, {"phone": "0101", "reason": REASON, "version": 2})) == {
        "phone"
    }
    assert set(refused_fields(read_applicant_correction, {"full_name": 7, "reason": "قصير"})) == {
        "full_name",
        "reason",
        "version",
    }


def test_a_queue_query_reads_its_page_and_cursor() -> None:
    query = read_queue_query({"status": "submitted", "district": "dokki", "page_size": "10",
                              "cursor": encode_cursor(ORDER)})  # fmt: skip

    assert (query.status, query.district_code, query.department, query.page_size, query.after) == (
        Status.SUBMITTED,
        "dokki",
        None,
        10,
        ORDER,
    )
    assert read_queue_query({"status": "submitted"}).page_size == 25


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"status"}),
        ({"status": "submitted", "page_size": "0"}, {"page_size"}),
        ({"status": "submitted", "page_size": str(LARGEST_PAGE_SIZE + 1)}, {"page_size"}),
        ({"status": "submitted", "page_size": "١٠"}, {"page_size"}),
        ({"status": "submitted", "cursor": "not-a-cursor"}, {"cursor"}),
    ],
)
def test_a_queue_query_sent_wrong_is_refused(params: dict[str, str], fields: set[str]) -> None:
    assert set(refused_fields(read_queue_query, params)) == fields


def test_a_cursor_names_only_a_queue_position_and_stays_short() -> None:
    def token(value: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    longest = encode_cursor("2026-12-10#" + "9" * 14)
    assert len(longest) <= LONGEST_CURSOR
    assert decode_cursor(longest) == "2026-12-10#" + "9" * 14
    assert decode_cursor(token({"after": "dokki#1"})) is None
    assert decode_cursor(token(["2026-12-10#202612070001"])) is None
    assert decode_cursor(token({"after": 5})) is None
    assert decode_cursor("A" * (LONGEST_CURSOR + 1)) is None
    assert decode_cursor("%%%") is None


def test_only_an_unfinished_request_past_its_due_date_is_overdue() -> None:
    today = date(2026, 12, 7)

    assert is_overdue(Status.IN_REVIEW, "2026-12-06", today)
    assert not is_overdue(Status.IN_REVIEW, "2026-12-07", today)
    assert not is_overdue(Status.CLOSED, "2026-12-01", today)
    assert not is_overdue(Status.CANCELLED, "2026-12-01", today)


def test_documents_received_are_read_by_code_or_by_position_in_the_services_order() -> None:
    assert read_documents_received(["plan", "id_copy"], DOCUMENTS) == (DOCUMENTS[0], DOCUMENTS[2])
    assert read_documents_received([1], DOCUMENTS) == (DOCUMENTS[1],)
    assert read_documents_received(None, DOCUMENTS) == ()
    for raw in (["lease", "lease"], ["deed"], [3], [True], ["lease", 1], "lease"):
        assert set(refused_fields(read_documents_received, raw, DOCUMENTS)) == {"documents_received"}
