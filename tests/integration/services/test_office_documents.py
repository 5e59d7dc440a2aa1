"""Paper recorded at the window as a use case: the request's view after it, and a retry that changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.office_documents import record_paper
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import free_service_code, submission
from tools.testing.synthetic import paper_documents

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CLERK = StaffMember("clerk-1", Role.MANAGER, "dokki")


def test_paper_moves_the_version_on_once_and_a_retry_answers_the_request_as_it_is(aws: None) -> None:
    filed = submit_request(submission(free_service_code()), None, ONLINE, NOW)
    service = current_catalogue().service(free_service_code(), on=NOW.date())
    assert service is not None
    paper = paper_documents(service, 1)

    first = record_paper(CLERK, filed.tracking_number, paper, NOW)
    again = record_paper(CLERK, filed.tracking_number, paper, NOW + timedelta(seconds=2))

    assert (first.request.version, again.request.version) == (2, 2)
    assert first.history[-1].event == "documents_received"
    assert [entry.event for entry in again.history] == [entry.event for entry in first.history]
    assert sorted(record.document for record in again.documents) == sorted(paper["documents"])
    assert {record.status for record in again.documents} == {"received_at_window"}
