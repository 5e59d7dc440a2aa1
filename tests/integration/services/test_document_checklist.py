"""A request's documents against its service's list: what is missing, what the office lists and
where each stands on the citizen's pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.config import document_settings
from chalicelib.domain.documents import REJECTIONS_AR, DocumentStatus, Rejection
from chalicelib.services.document_checklist import (
    citizen_document_states,
    missing_documents,
    office_document_list,
    service_of,
)
from chalicelib.services.document_events import document_arrived, document_scanned
from chalicelib.services.document_paper import record_received_at_window
from chalicelib.store.requests.request import load_request_record
from tests.integration.services.conftest import (
    JPEG,
    MANAGER,
    PDF,
    Upload,
    file_free_request,
    free_service,
    upload,
)

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def delivered(slot: Upload, verdict: str = "NO_THREATS_FOUND") -> None:
    bucket = document_settings().bucket
    document_arrived(bucket, slot.key, slot.version_id, NOW)
    document_scanned(bucket, slot.key, slot.version_id, verdict, NOW)


def test_only_a_clean_upload_or_paper_counts_as_present(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    identity, decision, report = free_service(NOW).documents
    delivered(upload(tracking_number, identity.code, PDF, NOW))
    delivered(upload(tracking_number, decision.code, PDF, NOW), verdict="THREATS_FOUND")
    upload(tracking_number, report.code, PDF, NOW)  # offered, never posted
    request = load_request_record(tracking_number)
    assert request is not None

    assert [document.code for document in missing_documents(request)] == [decision.code, report.code]
    record_received_at_window(tracking_number, [decision, report], MANAGER, NOW)
    assert missing_documents(request) == []


def test_the_office_lists_what_arrived_and_the_citizen_sees_the_best_of_each_document(aws: None) -> None:
    tracking_number = file_free_request(NOW)
    service = free_service(NOW)
    identity, decision, report = service.documents
    delivered(upload(tracking_number, identity.code, JPEG, NOW, content_type="application/pdf"))  # a bad copy first
    delivered(upload(tracking_number, identity.code, PDF, NOW))
    delivered(upload(tracking_number, decision.code, JPEG, NOW, content_type="application/pdf"))
    upload(tracking_number, report.code, PDF, NOW)

    listed = office_document_list(tracking_number)
    states = {state.document.code: state for state in citizen_document_states(tracking_number, service)}

    assert sorted(record.document for record in listed) == sorted([identity.code, identity.code, decision.code])
    assert (states[identity.code].status, states[identity.code].rejection_ar) == (DocumentStatus.CLEAN, None)
    assert states[decision.code].status is DocumentStatus.REJECTED
    assert states[decision.code].rejection_ar == REJECTIONS_AR[Rejection.WRONG_TYPE]
    assert states[report.code].status is DocumentStatus.AWAITING_UPLOAD
    assert [code for code, state in states.items() if state.can_upload] == [decision.code, report.code]


def test_a_request_naming_a_service_the_catalogue_never_held_is_an_error_not_a_guess(aws: None) -> None:
    request = load_request_record(file_free_request(NOW))
    assert request is not None
    request.service_code = "no_such_service"

    with pytest.raises(RuntimeError, match="unknown service"):
        service_of(request)
