"""Who asked, for a manager of the district: revealed with a reason, corrected soon after a reveal,
erased on the data subject's request with the identity documents; never into a log line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters import document_storage
from chalicelib.config import document_settings
from chalicelib.domain.errors import Conflict, CorrectAfterReveal, Forbidden, InvalidInput, Unavailable
from chalicelib.services.document_events import document_arrived, document_scanned
from chalicelib.services.office_identity import correct_applicant, erase_identity, reveal_identity
from chalicelib.store.applicants import load_applicant
from chalicelib.store.documents import load_document
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import load_request
from tests.factories import national_id
from tests.integration.services.conftest import (
    JPEG,
    MANAGER,
    OFFICER,
    Records,
    file_free_request,
    free_service,
    upload,
    versions_of,
)
from tools.testing.synthetic import PHONE

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
# A history entry is keyed by the version and the moment: a reveal comes a minute after the filing.
REVEALED = NOW + timedelta(minutes=1)
REVEAL = {"reason": "التحقق من صورة البطاقة مقابل بيانات الطلب"}
ERASURE = {"reason": "طلب صاحب البيانات رقم 2026/204 بحذف بياناته"}
NEW_PHONE, NEW_PHONE_E164 = "01123456789", "+201123456789"
CORRECTION = {"reason": "رقم الهاتف المسجل خاطئ بشهادة المواطن", "version": 1, "phone": NEW_PHONE}


def events_of(tracking_number: str) -> list[str]:
    stored = load_request(tracking_number)
    assert stored is not None
    return [entry.event for entry in stored.history]


def identity_copy(tracking_number: str) -> str:
    """The national-ID copy uploaded and found clean; its object's key."""
    slot = upload(tracking_number, free_service(NOW).documents[0].code, JPEG, NOW)
    document_arrived(document_settings().bucket, slot.key, slot.version_id, NOW)
    document_scanned(document_settings().bucket, slot.key, slot.version_id, "NO_THREATS_FOUND", NOW)
    return slot.key


def test_a_reveal_is_recorded_with_its_reason_and_refused_to_an_officer_or_without_a_reason(aws: None) -> None:
    tracking_number = file_free_request(NOW)

    with pytest.raises(Forbidden):
        reveal_identity(OFFICER, tracking_number, REVEAL, REVEALED)
    with pytest.raises(InvalidInput) as unreasoned:
        reveal_identity(MANAGER, tracking_number, {"reason": ""}, REVEALED)
    assert "identity_revealed" not in events_of(tracking_number)
    applicant = reveal_identity(MANAGER, tracking_number, REVEAL, REVEALED)

    assert "reason" in unreasoned.value.fields
    assert (unreasoned.value.message_ar, unreasoned.value.message_en) != ("", "")
    assert applicant.national_id == national_id()
    assert events_of(tracking_number).count("identity_revealed") == 1


def test_a_correction_needs_a_reveal_and_a_difference_then_changes_the_phone_and_tells_both(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    body = CORRECTION

    with pytest.raises(CorrectAfterReveal) as unrevealed:
        correct_applicant(MANAGER, tracking_number, body, NOW)
    reveal_identity(MANAGER, tracking_number, REVEAL, REVEALED)
    with pytest.raises(InvalidInput) as unchanged:
        correct_applicant(MANAGER, tracking_number, {**body, "phone": PHONE}, REVEALED)
    stored_before = load_applicant(tracking_number)
    corrected = correct_applicant(MANAGER, tracking_number, body, NOW + timedelta(minutes=5))

    assert "identity reveal" in unrevealed.value.message_en
    assert "كشف هويته" in unrevealed.value.message_ar
    assert "phone" in unchanged.value.fields
    assert stored_before is not None
    assert stored_before.phone != NEW_PHONE_E164  # neither refusal wrote anything
    assert (corrected.corrected, corrected.version, corrected.applicant.phone) == (("phone",), 2, NEW_PHONE_E164)
    applicant = load_applicant(tracking_number)
    assert applicant is not None
    assert applicant.phone == NEW_PHONE_E164
    told = sorted(message.event for message in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number))
    assert [event for event in told if event.startswith("phone_changed")] == ["phone_changed", "phone_changed_away"]


def test_an_erasure_removes_who_asked_and_the_identity_copy_and_asking_again_changes_nothing(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    key = identity_copy(tracking_number)

    erased = erase_identity(MANAGER, tracking_number, ERASURE, NOW)
    left_by_the_first = versions_of(key)
    again = erase_identity(MANAGER, tracking_number, ERASURE, NOW + timedelta(hours=1))

    assert (erased.version, again.version) == (2, 2)
    assert load_applicant(tracking_number) is None
    assert left_by_the_first == []
    assert events_of(tracking_number).count("identity_erased") == 1
    with pytest.raises(Conflict) as gone:
        reveal_identity(MANAGER, tracking_number, REVEAL, NOW + timedelta(hours=2))
    assert gone.value.code == "identity_erased"
    assert "identity_revealed" not in events_of(tracking_number)


def test_an_erasure_that_s3_left_half_done_says_so_and_is_finished_when_asked_again(
    aws: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking_number = file_free_request(NOW)
    key = identity_copy(tracking_number)
    document_id = key.removeprefix("uploads/")
    real = document_storage.delete_every_version

    def s3_down(bucket: str, key: str) -> int:
        raise document_storage.StorageUnavailable("s3 is down")

    monkeypatch.setattr(document_storage, "delete_every_version", s3_down)
    with pytest.raises(Unavailable) as half:
        erase_identity(MANAGER, tracking_number, ERASURE, NOW)
    locked = load_document(document_id)
    monkeypatch.setattr(document_storage, "delete_every_version", real)
    erase_identity(MANAGER, tracking_number, ERASURE, NOW + timedelta(minutes=1))

    assert half.value.code == "documents_not_erased"
    assert "identity documents" in half.value.message_en
    assert locked is not None
    assert locked.erased_at == NOW  # it no longer opens, even before S3 deleted it
    assert versions_of(key) == []


def test_no_national_id_or_phone_is_asked_into_a_log_line(aws: None, raw_records: Records) -> None:
    tracking_number = file_free_request(NOW)
    reveal_identity(MANAGER, tracking_number, REVEAL, REVEALED)
    later = REVEALED + timedelta(minutes=1)
    correct_applicant(MANAGER, tracking_number, CORRECTION, later)
    erase_identity(MANAGER, tracking_number, ERASURE, later + timedelta(minutes=1))

    logged = raw_records.text()
    assert "identity_erased" in logged  # the audit lines were captured
    for secret in (national_id(), national_id()[-4:], PHONE, PHONE[-8:], NEW_PHONE, NEW_PHONE_E164[-8:]):
        assert secret not in logged
