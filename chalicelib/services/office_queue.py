"""The district offices' queue pages: one district's requests in a status, oldest first; the
open requests an officer holds ("my work"); and the open and overdue work per officer.

Kept apart from services/office.py, whose moves need the payments, messages, documents and limits:
a container whose first request is a queue page loads none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from chalicelib.domain.calendar import cairo_today, iso_utc
from chalicelib.domain.errors import FieldProblem, Forbidden, invalid_fields
from chalicelib.domain.office import encode_cursor, is_overdue, read_queue_query
from chalicelib.domain.staff import Action, StaffMember
from chalicelib.domain.statuses import Status
from chalicelib.services.catalogue import current_catalogue
from chalicelib.store.requests.request import RequestRecord, open_requests, queue_page

UNASSIGNED = ""  # the workload's row of the requests nobody holds


def view_queue(staff: StaffMember, params: Mapping[str, str], now: datetime) -> dict[str, Any]:
    if not staff.may(Action.VIEW_QUEUE):
        raise Forbidden
    query = read_queue_query(params)
    district_code = query.district_code or staff.district_code
    if district_code is None or current_catalogue().district(district_code) is None:
        raise invalid_fields(
            {"district": FieldProblem("اختر حيًا أو مركزًا.", "Choose a district (headquarters must name one).")}
        )
    if not staff.sees_district(district_code):
        raise Forbidden
    page = queue_page(district_code, query.status.value, query.department, query.page_size, query.after)
    today = cairo_today(now)
    return {
        "district_code": district_code,
        "status": query.status.value,
        "department": query.department,
        "requests": [_queue_entry(request, today) for request in page.requests],
        "next_cursor": encode_cursor(page.last_queue_order) if page.last_queue_order else None,
    }


def my_work(staff: StaffMember, now: datetime) -> list[dict[str, Any]]:
    """The open requests of the member's district that they hold, most urgent first."""
    if not staff.works_queues or staff.district_code is None:
        raise Forbidden
    today = cairo_today(now)
    return [_queue_entry(request, today) for request in open_requests(staff.district_code, staff.principal)]


def workload(staff: StaffMember, district_code: str | None, now: datetime) -> dict[str, Any]:
    """The district's open and overdue requests per officer who holds them (by email), and those
    nobody holds: the manager's view of who carries what (headquarters names a district)."""
    if not staff.may(Action.VIEW_PERFORMANCE):
        raise Forbidden
    district_code = district_code or staff.district_code
    if district_code is None or current_catalogue().district(district_code) is None:
        raise invalid_fields({"district": FieldProblem("اختر حيًا أو مركزًا.", "Choose a district.")})
    if not staff.sees_district(district_code):
        raise Forbidden
    today = cairo_today(now)
    rows: dict[str, dict[str, Any]] = {}
    for request in open_requests(district_code):
        holder = request.assignee_email or request.assignee or UNASSIGNED
        row = rows.setdefault(holder, {"officer": holder, "open": 0, "overdue": 0})
        row["open"] += 1
        row["overdue"] += is_overdue(Status(request.status), request.sla_due_date, today)
    ordered = sorted(rows.values(), key=lambda row: (row["officer"] == UNASSIGNED, -row["overdue"], row["officer"]))
    return {"district_code": district_code, "officers": ordered}


def _queue_entry(request: RequestRecord, today: date) -> dict[str, Any]:
    status = Status(request.status)
    return {
        "tracking_number": request.tracking_number,
        "version": request.version,
        "status": status.value,
        "service_code": request.service_code,
        "department": request.department,
        "submitted_at": iso_utc(request.submitted_at),
        "sla_due_date": request.sla_due_date,
        "sla_due_date_provisional": bool(request.sla_provisional),
        "overdue": is_overdue(status, request.sla_due_date, today),
        "documents_received": list(request.documents_received or []),
        "documents_uploaded": sorted(request.documents_uploaded or ()),
        # The last clean upload came after the last change made by staff (moves write updated_at;
        # the upload itself does not, and the system's own move back to in_review shares its moment).
        "uploaded_since_last_move": request.citizen_uploaded_at is not None
        and request.citizen_uploaded_at >= request.updated_at,
    }
