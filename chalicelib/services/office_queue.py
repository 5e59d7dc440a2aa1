"""The district offices' queue pages: one district's requests in a status, oldest first; the
open requests an officer holds ("my work"); and the open and overdue work per officer.

Kept apart from the office's other use cases (services/office_view.py, office_moves.py,
office_assignment.py, office_identity.py), whose changes need the messages, documents and limits:
a container whose first request is a queue page loads none of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import FieldProblem, Forbidden, invalid_fields
from chalicelib.domain.office import encode_cursor, is_overdue, read_queue_query
from chalicelib.domain.staff import Action, StaffMember
from chalicelib.domain.statuses import Status
from chalicelib.services.catalogue import current_catalogue
from chalicelib.store.requests.request import RequestRecord, open_requests, queue_page

UNASSIGNED = ""  # the workload's row of the requests nobody holds


@dataclass(frozen=True)
class QueueEntry:
    """A request in a queue (api/http/office_views.py shapes it), with what its row says about it today."""

    request: RequestRecord
    overdue: bool
    uploaded_since_last_move: bool


@dataclass(frozen=True)
class QueuePage:
    """One page of a district's queue in a status, oldest first, and where the next page starts."""

    district_code: str
    status: Status
    department: str | None
    entries: tuple[QueueEntry, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class OfficerLoad:
    """The open and overdue requests one officer holds (by email; UNASSIGNED for nobody)."""

    officer: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Workload:
    """A district's officers' loads: the most overdue first, those nobody holds last."""

    district_code: str
    officers: tuple[OfficerLoad, ...]


def view_queue(staff: StaffMember, params: Mapping[str, str], now: datetime) -> QueuePage:
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
    return QueuePage(
        district_code=district_code,
        status=query.status,
        department=query.department,
        entries=tuple(_queue_entry(request, today) for request in page.requests),
        next_cursor=encode_cursor(page.last_queue_order) if page.last_queue_order else None,
    )


def my_work(staff: StaffMember, now: datetime) -> list[QueueEntry]:
    """The open requests of the member's district that they hold, most urgent first."""
    if not staff.works_queues or staff.district_code is None:
        raise Forbidden
    today = cairo_today(now)
    return [_queue_entry(request, today) for request in open_requests(staff.district_code, staff.principal)]


def workload(staff: StaffMember, district_code: str | None, now: datetime) -> Workload:
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
    held, overdue = Counter[str](), Counter[str]()
    for request in open_requests(district_code):
        holder = request.assignee_email or request.assignee or UNASSIGNED
        held[holder] += 1
        overdue[holder] += is_overdue(Status(request.status), request.sla_due_date, today)
    loads = [OfficerLoad(holder, held[holder], overdue[holder]) for holder in held]
    ordered = sorted(loads, key=lambda load: (load.officer == UNASSIGNED, -load.overdue, load.officer))
    return Workload(district_code, tuple(ordered))


def _queue_entry(request: RequestRecord, today: date) -> QueueEntry:
    return QueueEntry(
        request=request,
        overdue=is_overdue(Status(request.status), request.sla_due_date, today),
        # The last clean upload came after the last change made by staff (moves write updated_at;
        # the upload itself does not, and the system's own move back to in_review shares its moment).
        uploaded_since_last_move=request.citizen_uploaded_at is not None
        and request.citizen_uploaded_at >= request.updated_at,
    )
