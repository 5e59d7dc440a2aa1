"""District figures: keeping them as requests change, recounting the overdue requests, and
answering the office API's figures and overdue-list questions (GET /v1/office/performance and
its overdue list, docs/interfaces.md#district-figures)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.errors import FieldProblem, Forbidden, invalid_fields
from chalicelib.domain.figures import (
    DEPARTMENT_NAMES,
    DistrictSummary,
    FiguresReport,
    OverduePage,
    OverdueRecount,
    OverdueRequest,
    RequestFacts,
    changes_between,
    days_overdue,
    district_summary,
    read_figures_query,
    read_overdue_query,
)
from chalicelib.domain.office import decode_cursor, encode_cursor
from chalicelib.domain.staff import Action, Role, StaffMember
from chalicelib.domain.statuses import Status
from chalicelib.observability.logs import logger
from chalicelib.services.catalogue import current_catalogue
from chalicelib.store.figures import (
    apply_day_change,
    apply_live_change,
    district_figures,
    forget_old_records,
    live_items,
    record_overdue_count,
    seen_tag,
)
from chalicelib.store.requests.partition import RequestPartitionItem
from chalicelib.store.requests.request import OPEN_STATUSES, RequestRecord, open_requests_due_before, overdue_page


@dataclass(frozen=True)
class StreamChange:
    """One record of the requests table's stream: the item before and after (DynamoDB JSON)."""

    event_id: str
    recorded_at: datetime  # when the stream recorded it: the age of what may still come again
    old_image: Mapping[str, Any] | None
    new_image: Mapping[str, Any] | None


def keep_figures(changes: Iterable[StreamChange]) -> Counter[str]:
    """Adds each change of a request to the figures, once however often it is delivered."""
    holidays = current_catalogue().holidays()
    outcomes: Counter[str] = Counter()
    for change in changes:
        old, new = _facts(change.old_image), _facts(change.new_image)
        if old is None and new is None:
            outcomes["not_a_request"] += 1
            continue
        figures = changes_between(old, new, holidays)
        if figures.changed_at is None or not (figures.days or figures.live):
            outcomes["no_change"] += 1
            continue
        tag = seen_tag(change.event_id, change.recorded_at)
        applied = [apply_day_change(day, tag) for day in figures.days]
        applied += [apply_live_change(live, tag, figures.changed_at) for live in figures.live]
        outcomes["applied" if any(applied) else "already_applied"] += 1
    return outcomes


def _facts(image: Mapping[str, Any] | None) -> RequestFacts | None:
    if not image or image.get("item", {}).get("S") != RequestRecord.ITEM:
        return None
    # An image that does not read as a request fails the batch (Lambda retries it, then the
    # dead-letter queue keeps it): figures never skip a change silently.
    request = RequestPartitionItem.from_raw_data(dict(image))
    if not isinstance(request, RequestRecord):
        raise TypeError(f"the request item of {request.tracking_number} is stored as {type(request).__name__}")
    return RequestFacts(
        tracking_number=request.tracking_number,
        district_code=request.district_code,
        department=request.department,
        service_code=request.service_code,
        status=Status(request.status),
        submitted_at=request.submitted_at,
        sla_due_date=date.fromisoformat(request.sla_due_date),
        changed_at=request.updated_at,
    )


def recount_overdue(now: datetime) -> OverdueRecount:
    """Counts, through the `queue` index, each active district's open requests due before
    today (Cairo), per service, and sets the figures to what it found."""
    today = cairo_today(now)
    found: dict[str, int] = {}
    for district in current_catalogue().districts():
        if not district.active:
            continue
        per_service: Counter[tuple[str, str]] = Counter()
        for status in OPEN_STATUSES:
            for request in open_requests_due_before(district.code, status, today):
                per_service[(request.service_code, request.department)] += 1
        known = live_items(district.code)
        services = set(per_service) | {(item.service_code, item.department) for item in known}
        for service_code, department in sorted(services):
            count = per_service[(service_code, department)]
            record_overdue_count(district.code, service_code, department, count, today, now)
        for item in known:
            forget_old_records(item, now)
        found[district.code] = sum(per_service.values())
    logger.info("overdue requests recounted", extra={"day": today.isoformat(), "overdue": found})
    return OverdueRecount(today, found)


def figures_report(staff: StaffMember, params: Mapping[str, str], now: datetime) -> FiguresReport:
    """GET /v1/office/performance (docs/interfaces.md#district-figures): one Query of the kept figures per district."""
    if not staff.may(Action.VIEW_PERFORMANCE):
        raise Forbidden
    today = cairo_today(now)
    query = read_figures_query(params, today)
    catalogue = current_catalogue()
    if query.district_code is not None:
        district = catalogue.district(query.district_code)
        if district is None or not district.active:
            raise invalid_fields({"district": FieldProblem("اختر حيًا أو مركزًا مفعّلًا.", "Choose an active district.")})
        if not staff.sees_district(district.code):
            raise Forbidden
        codes = [district.code]
    elif staff.role is Role.HQ:
        codes = [district.code for district in catalogue.districts() if district.active]
    else:
        codes = [staff.district_code or ""]
    return FiguresReport(
        first=query.first,
        last=query.last,
        generated_at=now,
        districts=tuple(_district_report(code, query.first, query.last) for code in codes),
    )


def _district_report(district_code: str, first: date, last: date) -> DistrictSummary:
    """The district's figures, with the catalogue's names on it, its departments and its services
    (a code the catalogue no longer names keeps its code as its name)."""
    days, live = district_figures(district_code, first, last)
    summary = district_summary(district_code, days, live)
    catalogue = current_catalogue()
    district = catalogue.district(district_code)
    services = {service.code: service for service in catalogue.services(on=last)}
    by_service = []
    for line in summary.by_service:
        service = services.get(line.code)
        by_service.append(replace(line, name_ar=service.name_ar, name_en=service.name_en) if service else line)
    by_department = []
    for line in summary.by_department:
        name_ar, name_en = DEPARTMENT_NAMES.get(line.code, (line.code, line.code))
        by_department.append(replace(line, name_ar=name_ar, name_en=name_en))
    return replace(
        summary,
        by_department=tuple(by_department),
        by_service=tuple(by_service),
        name_ar=district.name_ar if district else district_code,
        name_en=district.name_en if district else district_code,
    )


def overdue_list(staff: StaffMember, params: Mapping[str, str], now: datetime) -> OverduePage:
    """GET /v1/office/performance/overdue: a district's overdue requests, most overdue first,
    a page at a time; what each is and how late, never who asked."""
    if not staff.may(Action.VIEW_PERFORMANCE):
        raise Forbidden
    query = read_overdue_query(params)
    district_code = query.district_code or staff.district_code
    district = current_catalogue().district(district_code) if district_code else None
    if district is None or not district.active:
        raise invalid_fields(
            {
                "district": FieldProblem(
                    "اختر حيًا أو مركزًا مفعّلًا.", "Choose an active district (headquarters must name one)."
                )
            }
        )
    if not staff.sees_district(district.code):
        raise Forbidden
    today = cairo_today(now)
    page = overdue_page(district.code, today, _after(query.cursor), query.page_size)
    names = {service.code: service for service in current_catalogue().services(on=today)}
    return OverduePage(
        district_code=district.code,
        as_of=today,
        requests=tuple(_overdue_entry(request, today, names) for request in page.requests),
        next_cursor=encode_cursor(page.last_queue_order) if page.last_queue_order else None,
    )


def _after(cursor: str | None) -> str | None:
    if not cursor:
        return None
    after = decode_cursor(cursor)
    if after is None:
        raise invalid_fields({"cursor": FieldProblem("مؤشر الصفحة غير صالح.", "The page cursor is not valid.")})
    return after


def _overdue_entry(request: RequestRecord, today: date, names: Mapping[str, Any]) -> OverdueRequest:
    service = names.get(request.service_code)
    due = date.fromisoformat(request.sla_due_date)
    return OverdueRequest(
        tracking_number=request.tracking_number,
        service_code=request.service_code,
        service_name_ar=service.name_ar if service else request.service_code,
        department=request.department,
        status=Status(request.status).value,
        sla_due_date=request.sla_due_date,
        days_overdue=days_overdue(due, today),
    )
