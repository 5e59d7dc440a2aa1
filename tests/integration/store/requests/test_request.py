"""The request item alone: by key, the office queues, the overdue requests and Open311's reads
(chalicelib/store/requests/request.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pynamodb.exceptions import UpdateError

from chalicelib.domain.statuses import Status
from chalicelib.store.requests.request import (
    OPEN_STATUSES,
    RequestRecord,
    load_request_record,
    note_citizen_upload,
    open_requests,
    open_requests_due_before,
    overdue_page,
    queue_page,
    requests_by_number,
    requests_filed_between,
)

SUBMITTED_AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
TODAY = date(2026, 12, 10)


def filed(
    tracking_number: str,
    due: str = "2026-12-28",
    status: str = "in_review",
    department: str = "occupancies",
    district: str = "dokki",
    submitted_at: datetime = SUBMITTED_AT,
    assignee: str | None = None,
) -> RequestRecord:
    request = RequestRecord(
        tracking_number, RequestRecord.ITEM, service_code="shop_licence", district_code=district,
        department=department, channel="portal", status=status, version=1, fee_egp=1000, details={},
        submitted_at=submitted_at, updated_at=submitted_at, sla_due_date=due, assignee=assignee,
    )  # fmt: skip
    request.place_in_queues()
    request.save()
    return request


def numbers(requests: list[RequestRecord]) -> list[str]:
    return [request.tracking_number for request in requests]


def test_a_request_is_filed_under_its_district_department_status_and_month() -> None:
    request = RequestRecord(
        "1234567890128", RequestRecord.ITEM, district_code="dokki", department="occupancies", status="in_review",
        sla_due_date="2026-12-28", submitted_at=datetime(2026, 11, 30, 23, 59, 1, tzinfo=UTC),
    )  # fmt: skip

    request.place_in_queues()

    assert (request.queue, request.department_queue) == ("dokki#in_review", "dokki#occupancies#in_review")
    assert request.queue_order == "2026-12-28#1234567890128"
    assert (request.opened_month, request.opened_order) == ("2026-11", "2026-11-30T23:59:01.000000Z#1234567890128")


def test_the_request_is_read_by_key_alone(aws: None) -> None:
    filed("1234567890128")

    found = load_request_record("1234567890128")

    assert found is not None
    assert (found.status, found.version) == ("in_review", 1)
    assert load_request_record("9876543210984") is None


def test_a_citizens_upload_is_noted_on_the_request_without_a_new_version(aws: None) -> None:
    filed("1234567890128")
    uploaded_at = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)

    note_citizen_upload("1234567890128", "id_card", uploaded_at)
    note_citizen_upload("1234567890128", "lease", uploaded_at)
    note_citizen_upload("1234567890128", "id_card", uploaded_at)

    found = load_request_record("1234567890128")
    assert found is not None
    assert found.documents_uploaded == {"id_card", "lease"}
    assert (found.citizen_uploaded_at, found.version) == (uploaded_at, 1)
    with pytest.raises(UpdateError):
        note_citizen_upload("9876543210984", "id_card", uploaded_at)  # no request: nothing made up
    assert load_request_record("9876543210984") is None


def test_a_queue_is_read_most_urgent_first_a_page_at_a_time(aws: None) -> None:
    filed("1000000000003", due="2026-12-20")
    filed("1000000000001", due="2026-12-01")
    filed("1000000000002", due="2026-12-10", department="roads")
    filed("1000000000004", due="2026-12-02", status="needs_info")
    filed("1000000000005", due="2026-12-03", district="giza")

    first = queue_page("dokki", "in_review", None, 2, None)
    assert numbers(first.requests) == ["1000000000001", "1000000000002"]
    assert first.last_queue_order == "2026-12-10#1000000000002"
    second = queue_page("dokki", "in_review", None, 2, first.last_queue_order)
    assert numbers(second.requests) == ["1000000000003"]

    assert numbers(queue_page("dokki", "in_review", "occupancies", 10, None).requests) == [
        "1000000000001",
        "1000000000003",
    ]


def test_open_requests_due_before_a_day_come_most_overdue_first(aws: None) -> None:
    filed("1000000000001", due="2026-12-09")
    filed("1000000000002", due="2026-12-01")
    filed("1000000000003", due="2026-12-10")  # due today: not yet overdue

    assert numbers(list(open_requests_due_before("dokki", Status.IN_REVIEW, TODAY))) == [
        "1000000000002",
        "1000000000001",
    ]


def test_the_overdue_pages_merge_every_open_status_and_leave_closed_requests_out(aws: None) -> None:
    filed("1000000000001", due="2026-12-05", status="in_review")
    filed("1000000000002", due="2026-12-01", status="needs_info")
    filed("1000000000003", due="2026-12-03", status="submitted")
    filed("1000000000004", due="2026-11-20", status="closed")
    filed("1000000000005", due="2026-12-25", status="in_review")  # not overdue

    first = overdue_page("dokki", TODAY, None, 2)
    assert numbers(first.requests) == ["1000000000002", "1000000000003"]
    assert first.last_queue_order == "2026-12-03#1000000000003"
    last = overdue_page("dokki", TODAY, first.last_queue_order, 2)
    assert numbers(last.requests) == ["1000000000001"]
    assert last.last_queue_order is None


def test_open_requests_are_every_open_status_and_an_officers_own_on_asking(aws: None) -> None:
    filed("1000000000001", due="2026-12-05", status="in_review", assignee="officer-1")
    filed("1000000000002", due="2026-12-01", status="needs_info")
    filed("1000000000003", due="2026-12-03", status="approved", assignee="officer-1")
    filed("1000000000004", due="2026-11-20", status="cancelled", assignee="officer-1")

    assert "cancelled" not in {status.value for status in OPEN_STATUSES}
    assert numbers(open_requests("dokki")) == ["1000000000002", "1000000000003", "1000000000001"]
    assert numbers(open_requests("dokki", assignee="officer-1")) == ["1000000000003", "1000000000001"]


def test_open311_reads_the_numbers_that_exist_in_the_order_asked(aws: None) -> None:
    filed("1000000000001")
    filed("1000000000002")

    found = requests_by_number(["1000000000002", "9999999999999", "1000000000001", "1000000000002"])

    assert numbers(found) == ["1000000000002", "1000000000001"]
    assert requests_by_number([]) == []


def test_open311_lists_the_requests_filed_between_two_moments_newest_first(aws: None) -> None:
    filed("1000000000001", submitted_at=datetime(2026, 10, 31, 22, 0, tzinfo=UTC))
    filed("1000000000002", submitted_at=datetime(2026, 11, 2, 8, 0, tzinfo=UTC))
    filed("1000000000003", submitted_at=datetime(2026, 11, 15, 8, 0, tzinfo=UTC))
    filed("1000000000004", submitted_at=datetime(2026, 11, 30, 8, 0, tzinfo=UTC))  # after the end

    start, end = datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)

    assert numbers(requests_filed_between(["2026-11", "2026-10"], start, end, 10)) == [
        "1000000000003",
        "1000000000002",
        "1000000000001",
    ]
    assert numbers(requests_filed_between(["2026-11", "2026-10"], start, end, 2)) == [
        "1000000000003",
        "1000000000002",
    ]
