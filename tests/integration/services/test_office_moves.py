"""The district offices' moves through the service: a change of status and a transfer, each on the
version read, refused in Arabic and English with nothing written, and a finished request's
documents put on the deletion clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import Conflict, InvalidInput
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.office_moves import move_request, transfer_request
from chalicelib.store.documents import documents_of
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import load_request
from tests.factories import hand_in_paper
from tests.integration.services.conftest import MANAGER, OFFICER, PDF, file_free_request, free_service, upload

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=1)
HQ = StaffMember("hq-1", Role.HQ, None)


def stored(tracking_number: str) -> tuple[str, int, int, list[str]]:
    """Status, version, history length and the outbox's events: what a refusal must leave as it was."""
    found = load_request(tracking_number)
    assert found is not None
    told = [message.event for message in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number)]
    return found.request.status, found.request.version, len(found.history), sorted(told)


def test_a_move_on_the_version_read_is_recorded_with_its_entry_and_message(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    move_request(OFFICER, tracking_number, {"to": "in_review", "note": "فحص", "version": 1}, NOW)

    view = move_request(OFFICER, tracking_number, {"to": "needs_info", "note": "ناقص", "version": 2,
                                                   "message_to_citizen": "أرسل صورة العقد."}, LATER)  # fmt: skip

    assert (view.request.status, view.request.version) == ("needs_info", 3)
    assert stored(tracking_number)[:3] == ("needs_info", 3, 3)
    entry = view.history[-1]
    assert (entry.from_status, entry.to_status, entry.actor) == ("in_review", "needs_info", OFFICER.principal)
    assert entry.citizen_message.startswith("أرسل صورة العقد.")
    assert "needs_info" in stored(tracking_number)[3]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"to": "closed", "note": "إغلاق", "version": 1}, "transition_not_allowed"),
        ({"to": "in_review", "note": "فحص", "version": 7}, "stale_version"),
    ],
)
def test_a_move_not_allowed_or_on_a_stale_version_is_refused_and_writes_nothing(
    aws: None, body: dict, code: str
) -> None:
    tracking_number = file_free_request(NOW)
    before = stored(tracking_number)

    with pytest.raises(Conflict) as refused:
        move_request(OFFICER, tracking_number, body, LATER)

    assert refused.value.code == code
    assert refused.value.message_ar
    assert refused.value.message_en
    assert stored(tracking_number) == before


def test_no_approval_while_documents_are_missing_and_no_call_for_them_without_words(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    move_request(OFFICER, tracking_number, {"to": "in_review", "note": "فحص", "version": 1}, NOW)
    before = stored(tracking_number)

    with pytest.raises(Conflict) as unapproved:
        move_request(OFFICER, tracking_number, {"to": "approved", "note": "موافقة", "version": 2}, LATER)
    with pytest.raises(InvalidInput) as unnamed:
        move_request(OFFICER, tracking_number, {"to": "needs_info", "note": "ناقص", "version": 2,
                                                "missing_documents": ["no_such_document"]}, LATER)  # fmt: skip

    assert unapproved.value.code == "documents_missing"
    assert "لا يمكن الموافقة" in unapproved.value.message_ar
    assert all(document.code in unapproved.value.message_en for document in free_service(NOW).documents)
    assert "missing_documents" in unnamed.value.fields
    assert stored(tracking_number) == before
    version = hand_in_paper(tracking_number, LATER)
    approved = move_request(OFFICER, tracking_number, {"to": "approved", "note": "موافقة", "version": version}, LATER)
    assert approved.request.status == "approved"


def test_a_finished_request_closes_its_upload_slots(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    upload(tracking_number, free_service(NOW).documents[0].code, PDF, NOW)

    move_request(MANAGER, tracking_number, {"to": "cancelled", "note": "طلب المواطن الإلغاء", "version": 1}, LATER)

    assert [record.closed_at for record in documents_of(tracking_number)] == [LATER]


def test_a_transfer_changes_the_district_and_tells_the_citizen_and_is_refused_to_the_same_district(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    with pytest.raises(Conflict) as same:
        transfer_request(HQ, tracking_number, {"to_district": "dokki", "reason": "خطأ في الحي", "version": 1}, LATER)
    unchanged = stored(tracking_number)

    view = transfer_request(
        HQ, tracking_number, {"to_district": "warraq", "reason": "خطأ في الحي", "version": 1}, LATER
    )

    assert same.value.code == "transfer_not_allowed"
    assert same.value.message_en.startswith("A finished request cannot be transferred")
    assert unchanged[:3] == ("submitted", 1, 1)
    assert (view.request.district_code, view.request.version) == ("warraq", 2)
    assert "transferred" in stored(tracking_number)[3]
