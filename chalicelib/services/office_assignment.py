"""Who holds an open request: an officer takes it, a manager assigns it to an officer of the
request's district (the staff pool's register of them)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.adapters.staff_pool import Officer, PoolRefusal, officers_of
from chalicelib.domain.errors import Conflict, FieldProblem, Forbidden, Unavailable, invalid_fields
from chalicelib.domain.office import read_assignment
from chalicelib.domain.staff import StaffMember
from chalicelib.domain.statuses import FINAL_STATUSES, Status
from chalicelib.observability.audit import audit
from chalicelib.services.office_view import BlindView, blind_view, changed_since_read, load_visible, stale
from chalicelib.store.requests.changes import StoredRequest, VersionConflict, record_move
from chalicelib.store.requests.history import HistoryEntry


def assign_request(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> BlindView:
    """Who holds an open request: an officer takes it, a manager assigns or reassigns it to an
    officer of the request's district (the pool's register of them). A change of the request like
    a move: on the version the caller read, with its history entry in the same transaction, and
    audited."""
    if not staff.works_queues:
        raise Forbidden
    assignment = read_assignment(body)
    stored = load_visible(staff, tracking_number)
    request = stored.request
    if request.version != assignment.version:
        raise stale(stored, now)
    if Status(request.status) in FINAL_STATUSES:
        raise Conflict(
            code="assignment_not_allowed",
            message_ar="انتهى هذا الطلب، فلا يُسند إلى أحد.",
            message_en="A finished request is not assigned to anyone.",
            current=blind_view(stored, now),
        )
    officer = _officer_of(request.district_code, assignment.officer)
    if not staff.may_assign_to(officer.principal):
        raise Forbidden
    request.assignee, request.assignee_email = officer.principal, officer.email
    request.version = assignment.version + 1
    request.updated_at = now
    entry = HistoryEntry.by_staff(request, HistoryEntry.ASSIGNED, staff, now, assignee=officer.email)
    try:
        record_move(request, entry, expected_version=assignment.version, outbox=[])
    except VersionConflict:
        raise changed_since_read(request.tracking_number, now) from None
    audit("request_assigned", tracking_number=request.tracking_number, role=staff.role.value, actor=staff.principal,
          assignee=officer.principal)  # fmt: skip
    return blind_view(StoredRequest(request=request, history=[*stored.history, entry]), now)


def _officer_of(district_code: str, named: str) -> Officer:
    """The officer of the district named by principal or email; refused when there is none."""
    try:
        officers = officers_of(district_code)
    except PoolRefusal:
        raise Unavailable(
            code="staff_pool_unavailable",
            message_ar="تعذّر الوصول إلى سجل الموظفين الآن؛ أعد المحاولة بعد قليل.",
            message_en="The staff pool cannot be reached now; try again shortly.",
        ) from None
    for officer in officers:
        if named == officer.principal or named.lower() == officer.email.lower():
            return officer
    raise invalid_fields(
        {"officer": FieldProblem("اختر موظفاً من موظفي فحص هذا الحي.", "Name an officer of the request's district.")}
    )
