"""The queue pages as use cases: a district's queue, an officer's own work and the workload, as domain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.adapters.staff_pool import Officer
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.domain.statuses import Status
from chalicelib.services.office_assignment import assign_request
from chalicelib.services.office_queue import UNASSIGNED, OfficerLoad, my_work, view_queue, workload
from chalicelib.services.submission import ONLINE, submit_request
from tests.factories import free_service_code, submission

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
OFFICER = StaffMember("officer-1", Role.OFFICER, "dokki")
MANAGER = StaffMember("manager-1", Role.MANAGER, "dokki")


def test_a_queue_lists_the_district_s_requests_in_the_status_most_urgent_first(aws: None) -> None:
    # A working day apart, so their deadlines differ: the queue is ordered by deadline (then by number).
    filed = [
        submit_request(submission(free_service_code()), None, ONLINE, NOW + timedelta(days=day)).tracking_number
        for day in range(2)
    ]

    page = view_queue(OFFICER, {"status": "submitted"}, NOW)

    assert (page.district_code, page.status, page.next_cursor) == ("dokki", Status.SUBMITTED, None)
    assert [entry.request.tracking_number for entry in page.entries] == filed
    assert not any(entry.overdue or entry.uploaded_since_last_move for entry in page.entries)


def test_my_work_and_the_workload_count_what_each_officer_holds(aws: None, monkeypatch: pytest.MonkeyPatch) -> None:
    held, _ = (submit_request(submission(free_service_code()), None, ONLINE, NOW) for _ in range(2))
    officer = Officer(principal=OFFICER.principal, email="officer@dokki.example")
    # the pool's register
    monkeypatch.setattr("chalicelib.services.office_assignment.officers_of", lambda district: [officer])
    assign_request(OFFICER, held.tracking_number, {"officer": OFFICER.principal, "version": 1}, NOW)

    assert [entry.request.tracking_number for entry in my_work(OFFICER, NOW)] == [held.tracking_number]
    assert workload(MANAGER, None, NOW).officers == (
        OfficerLoad("officer@dokki.example", 1, 0),
        OfficerLoad(UNASSIGNED, 1, 0),
    )
