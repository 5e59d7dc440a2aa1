"""One-window intake: a clerk files a request face to face, for any active district, with the
paper the citizen handed in (chalicelib/services/intake.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import Forbidden, InvalidInput
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.intake import WINDOW_CHANNEL, file_at_window
from chalicelib.store.documents import documents_of
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import load_request
from tools.testing.synthetic import submission

CLERK = StaffMember("clerk-1", Role.CLERK, "dokki")


def body(district: str = "dokki", **extra: Any) -> dict[str, Any]:
    service = current_catalogue().service("shop_licence", on=cairo_today(datetime.now(UTC)))
    assert service is not None
    return {**submission(service, district), **extra}


def test_a_clerk_files_a_request_as_the_windows_with_the_paper_received(aws: None) -> None:
    now = datetime.now(UTC)

    intake = file_at_window(CLERK, body(documents_received=["national_id_copy", "tax_card"]), "window-key-1", now)

    assert (intake.service.code, intake.district.code, intake.office.code) == ("shop_licence", "dokki", "dokki")
    assert [document.code for document in intake.documents_received] == ["national_id_copy", "tax_card"]
    stored = load_request(intake.answer.tracking_number)
    assert stored is not None
    assert (stored.request.channel, stored.request.filed_at_office) == (WINDOW_CHANNEL, "dokki")
    assert len(stored.request.documents_received) == 2
    first = stored.history[0]
    assert (first.actor_role, first.actor, first.office) == ("clerk", "clerk-1", "dokki")
    received = documents_of(intake.answer.tracking_number)
    assert sorted((d.document, d.received_by) for d in received) == [
        ("national_id_copy", "clerk-1"),
        ("tax_card", "clerk-1"),
    ]


def test_any_window_files_for_another_active_district_which_then_holds_the_request(aws: None) -> None:
    intake = file_at_window(CLERK, body(district="warraq"), None, datetime.now(UTC))

    assert (intake.district.code, intake.office.code) == ("warraq", "dokki")
    stored = load_request(intake.answer.tracking_number)
    assert stored is not None
    assert (stored.request.district_code, stored.request.filed_at_office) == ("warraq", "dokki")


def test_the_receipt_goes_by_message_too_only_when_asked(aws: None) -> None:
    paper_only = file_at_window(CLERK, body(), None, datetime.now(UTC))
    by_message = file_at_window(CLERK, body(receipt_by_message=True), None, datetime.now(UTC))

    def events(tracking_number: str) -> list[str]:
        return sorted(m.event for m in OutboxMessage.scan(OutboxMessage.tracking_number == tracking_number))

    assert events(paper_only.answer.tracking_number) == ["payment_reminder"]
    assert events(by_message.answer.tracking_number) == ["payment_reminder", "submitted"]


def test_a_retried_filing_answers_the_same_request_and_records_its_paper_once(aws: None) -> None:
    now = datetime.now(UTC)
    filed = body(documents_received=["tax_card"])

    first = file_at_window(CLERK, filed, "window-key-2", now)
    again = file_at_window(CLERK, filed, "window-key-2", now)

    assert again.answer == first.answer
    assert len(documents_of(first.answer.tracking_number)) == 1


@pytest.mark.parametrize(
    "staff",
    [
        StaffMember("officer-1", Role.OFFICER, "dokki"),  # back office: no intake
        StaffMember("hq-1", Role.HQ, None),  # no window of its own
        StaffMember("clerk-2", Role.CLERK, "agouza"),  # a district not yet online
    ],
)
def test_only_a_clerk_or_manager_at_an_active_districts_window_files(aws: None, staff: StaffMember) -> None:
    with pytest.raises(Forbidden):
        file_at_window(staff, body(), None, datetime.now(UTC))


def test_whether_to_send_the_receipt_by_message_must_be_yes_or_no(aws: None) -> None:
    with pytest.raises(InvalidInput) as refused:
        file_at_window(CLERK, body(receipt_by_message="yes"), None, datetime.now(UTC))

    assert "receipt_by_message" in refused.value.fields
