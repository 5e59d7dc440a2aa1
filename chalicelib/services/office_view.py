"""The district offices' blind view of a request: everything but who asked. How the office's use
cases find a request (a request of another district is treated exactly like one that does not
exist), check the permission matrix (domain/staff.py), and answer a change made on a stale version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.digits import digits_only
from chalicelib.domain.errors import Conflict, Forbidden, NotFound, no_such_request
from chalicelib.domain.office import is_overdue
from chalicelib.domain.staff import Action, StaffMember
from chalicelib.domain.statuses import Status
from chalicelib.domain.tracking import is_valid_tracking_number
from chalicelib.services.catalogue import current_catalogue
from chalicelib.services.document_checklist import office_document_list
from chalicelib.store.documents import DocumentRecord
from chalicelib.store.requests.changes import StoredRequest, load_request
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord


@dataclass(frozen=True)
class BlindView:
    """A request as the back office sees it: everything but who asked (api/http/office_views.py
    shapes it for the office API and the console)."""

    request: RequestRecord
    history: tuple[HistoryEntry, ...]
    service_name_ar: str | None  # the service's name in force on the day it was filed
    overdue: bool
    documents: tuple[DocumentRecord, ...]  # every upload that arrived and every paper received


def view_request(staff: StaffMember, tracking_number: str, now: datetime) -> BlindView:
    require_permission(staff, Action.VIEW_REQUEST)
    return blind_view(load_visible(staff, tracking_number), now)


def blind_view(stored: StoredRequest, now: datetime) -> BlindView:
    """A request as the back office sees it: everything but who asked."""
    request = stored.request
    service = current_catalogue().service(request.service_code, on=cairo_today(request.submitted_at))
    return BlindView(
        request=request,
        history=tuple(stored.history),
        service_name_ar=service.name_ar if service else None,
        overdue=is_overdue(Status(request.status), request.sla_due_date, cairo_today(now)),
        documents=tuple(office_document_list(request.tracking_number)),
    )


def require_permission(staff: StaffMember, action: Action) -> None:
    """Refused (403) unless the permission matrix (domain/staff.py) lets the member do this."""
    if not staff.may(action):
        raise Forbidden


def load_visible(staff: StaffMember, tracking_number: str) -> StoredRequest:
    tracking_number = digits_only(tracking_number)
    if not is_valid_tracking_number(tracking_number):
        raise no_such_request()
    stored = load_request(tracking_number)
    if stored is None or not staff.sees_district(stored.request.district_code):
        raise no_such_request()
    return stored


def stale(stored: StoredRequest, now: datetime) -> Conflict:
    return Conflict(
        code="stale_version",
        message_ar="تغيّر الطلب منذ أن فتحته؛ راجع حالته الحالية ثم أعد المحاولة.",
        message_en="The request changed since you read it; review its current state and try again.",
        current=blind_view(stored, now),
    )


def changed_since_read(tracking_number: str, now: datetime) -> Conflict | NotFound:
    """A change lost to another saved since the caller read the request (VersionConflict): the
    request as it now stands, or not found when it is gone."""
    fresh = load_request(tracking_number)
    return stale(fresh, now) if fresh else no_such_request()
