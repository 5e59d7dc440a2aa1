"""District figures: what a request adds to them, and how they are summed up. Plain Python.

The definitions (docs/interfaces.md#district-figures, the same for the office API, the screens and the open data):
- received: requests submitted on a Cairo day (counted under the district and service they
  belong to now, so a transfer moves them);
- completed: requests closed on a Cairo day; on time when that day is on or before their
  `sla_due_date`; working days taken: the working days after the day of submission up to
  and including the day of closing (the same count that sets `sla_due_date`, so a request
  is on time exactly when it took at most its service's `sla_days`);
- open: requests not closed or cancelled; overdue: open ones whose `sla_due_date` is before
  today in Cairo.

A request's figures are a function of its stored image, so a change (a stream record: the
image before and after) adds the difference between the two, and only that.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from chalicelib.domain.calendar import cairo_today, is_working_day, iso_utc
from chalicelib.domain.catalogue import District, Service
from chalicelib.domain.digits import to_ascii_digits
from chalicelib.domain.errors import FieldProblem, invalid_fields
from chalicelib.domain.statuses import FINAL_STATUSES, Status

COUNTS = ("received", "completed", "completed_on_time")


@dataclass(frozen=True)
class RequestFacts:
    """What the figures need to know about a request, read from its stored image."""

    tracking_number: str
    district_code: str
    department: str
    service_code: str
    status: Status
    submitted_at: datetime
    sla_due_date: date
    changed_at: datetime  # when the request was last changed (its `updated_at`)

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def submitted_day(self) -> date:
        return cairo_today(self.submitted_at)


def working_days_taken(submitted: date, closed: date, holidays: frozenset[date]) -> int:
    """Working days after the day of submission, up to and including the day of closing."""
    taken, day = 0, submitted
    while day < closed:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            taken += 1
    return taken


@dataclass(frozen=True)
class DayKey:
    district_code: str
    service_code: str
    day: date


@dataclass(frozen=True)
class LiveKey:
    district_code: str
    service_code: str


@dataclass
class DayChange:
    """What one change adds to the figures of a district, service and Cairo day."""

    key: DayKey
    department: str
    received: int = 0
    completed: int = 0
    completed_on_time: int = 0
    working_days: list[int] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.received or self.completed or self.completed_on_time or self.working_days)


@dataclass
class LiveChange:
    """What one change adds to a district and service's open requests.

    `overdue_due_date` is set when the request that enters or leaves the open ones was due
    before the day of the change: it counts among the overdue requests of a recount made
    on a later day than its due date, and the store decides that against the recount.
    """

    key: LiveKey
    department: str
    open: int = 0
    overdue_due_date: date | None = None


@dataclass(frozen=True)
class Changes:
    days: list[DayChange]
    live: list[LiveChange]
    changed_at: datetime | None  # when the change was made (None when there is nothing to add)


def changes_between(old: RequestFacts | None, new: RequestFacts | None, holidays: frozenset[date]) -> Changes:
    """What a change of a request from `old` to `new` (None: not there) adds to the figures."""
    days: dict[DayKey, DayChange] = {}
    live: dict[LiveKey, LiveChange] = {}

    def day_change(facts: RequestFacts, day: date) -> DayChange:
        key = DayKey(facts.district_code, facts.service_code, day)
        return days.setdefault(key, DayChange(key, facts.department))

    def live_change(facts: RequestFacts) -> LiveChange:
        key = LiveKey(facts.district_code, facts.service_code)
        return live.setdefault(key, LiveChange(key, facts.department))

    for facts, sign in ((old, -1), (new, 1)):
        if facts is None:
            continue
        day_change(facts, facts.submitted_day).received += sign
        if facts.is_open:
            change = live_change(facts)
            change.open += sign
            if facts.sla_due_date < cairo_today((new or facts).changed_at):
                change.overdue_due_date = facts.sla_due_date
    if new is not None and new.status is Status.CLOSED and (old is None or old.status is not Status.CLOSED):
        closed_on = cairo_today(new.changed_at)
        change = day_change(new, closed_on)
        change.completed += 1
        change.completed_on_time += 1 if closed_on <= new.sla_due_date else 0
        change.working_days.append(working_days_taken(new.submitted_day, closed_on, holidays))
    latest = new or old
    return Changes(
        days=[change for change in days.values() if not change.is_empty],
        live=[change for change in live.values() if change.open],
        changed_at=latest.changed_at if latest else None,
    )


# ---- summing up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DayFigures:
    """The kept figures of one district, service and Cairo day."""

    district_code: str
    department: str
    service_code: str
    day: date
    received: int
    completed: int
    completed_on_time: int
    working_days: tuple[int, ...]


@dataclass(frozen=True)
class LiveFigures:
    """The open and overdue requests of one district and service, now."""

    district_code: str
    department: str
    service_code: str
    open: int
    overdue: int
    overdue_as_of: date | None  # the Cairo day of the last recount of overdue requests


@dataclass
class Tally:
    received: int = 0
    completed: int = 0
    completed_on_time: int = 0
    working_days: list[int] = field(default_factory=list)
    open: int = 0
    overdue: int = 0

    def add_day(self, figures: DayFigures) -> None:
        self.received += figures.received
        self.completed += figures.completed
        self.completed_on_time += figures.completed_on_time
        self.working_days.extend(figures.working_days)

    def add_live(self, figures: LiveFigures) -> None:
        self.open += figures.open
        self.overdue += figures.overdue

    def as_figures(self) -> Figures:
        return Figures(
            received=self.received,
            completed=self.completed,
            completed_on_time=self.completed_on_time,
            on_time_rate=on_time_rate(self.completed_on_time, self.completed),
            median_working_days=median_of(self.working_days),
            open=self.open,
            overdue=self.overdue,
        )


@dataclass(frozen=True)
class Figures:
    """What the office API reports of a district, a department or a service (docs/interfaces.md#district-figures)."""

    received: int
    completed: int
    completed_on_time: int
    on_time_rate: float | None  # None: nothing completed
    median_working_days: float | None
    open: int
    overdue: int


@dataclass(frozen=True)
class FiguresLine:
    """A department's or a service's figures within its district, named as the catalogue names it."""

    code: str
    figures: Figures
    department: str | None = None  # a service's department; None on a department's own line
    name_ar: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class DistrictSummary:
    """One district's figures over a span of days, with its departments' and services'."""

    code: str
    figures: Figures
    overdue_as_of: date | None  # the oldest recount the overdue counts come from
    by_department: tuple[FiguresLine, ...]  # by code
    by_service: tuple[FiguresLine, ...]  # by code
    name_ar: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class FiguresReport:
    """GET /v1/office/performance's answer: the districts the member of staff may see, over the span asked."""

    first: date
    last: date
    generated_at: datetime
    districts: tuple[DistrictSummary, ...]


@dataclass(frozen=True)
class OverdueRequest:
    """An overdue request as the figures' overdue list shows it: what it is and how late, never who asked."""

    tracking_number: str
    service_code: str
    service_name_ar: str
    department: str
    status: str
    sla_due_date: str  # YYYY-MM-DD
    days_overdue: int


@dataclass(frozen=True)
class OverduePage:
    """A page of a district's overdue requests, most overdue first."""

    district_code: str
    as_of: date
    requests: tuple[OverdueRequest, ...]
    next_cursor: str | None  # None on the last page


@dataclass(frozen=True)
class OpenData:
    """What the open data is made of (docs/interfaces.md#open-data): the active districts' kept daily
    figures from `first` to `last`, the districts and the services they name; open_data_document
    writes it as the published document."""

    generated_at: datetime
    first: date
    last: date
    districts: tuple[District, ...]
    services: tuple[Service, ...]
    days_by_district: Mapping[str, tuple[DayFigures, ...]]  # by district code; none for a district yet


@dataclass(frozen=True)
class PublishedFigures:
    """What the daily publication wrote: the open data's rows, up to which day (YYYY-MM-DD)."""

    rows: int
    to: str


@dataclass(frozen=True)
class OverdueRecount:
    """What the daily recount found: each active district's open requests due before `day`."""

    day: date
    overdue: Mapping[str, int]  # by district code


def on_time_rate(on_time: int, completed: int) -> float | None:
    return None if completed == 0 else round(on_time / completed, 4)


def median_of(values: Iterable[int]) -> float | None:
    values = list(values)
    return None if not values else float(median(values))


def district_summary(district_code: str, days: Iterable[DayFigures], live: Iterable[LiveFigures]) -> DistrictSummary:
    """One district's figures over the days given, with its departments and services (each named by its code
    until the catalogue's names are put on it)."""
    total = Tally()
    by_department: dict[str, Tally] = {}
    by_service: dict[str, Tally] = {}
    department_of: dict[str, str] = {}
    for figures in days:
        for tally in (total, by_department.setdefault(figures.department, Tally()),
                      by_service.setdefault(figures.service_code, Tally())):  # fmt: skip
            tally.add_day(figures)
        department_of[figures.service_code] = figures.department
    as_of: set[date] = set()
    for figures in live:
        for tally in (total, by_department.setdefault(figures.department, Tally()),
                      by_service.setdefault(figures.service_code, Tally())):  # fmt: skip
            tally.add_live(figures)
        department_of[figures.service_code] = figures.department
        if figures.overdue_as_of is not None:
            as_of.add(figures.overdue_as_of)
    return DistrictSummary(
        code=district_code,
        figures=total.as_figures(),
        overdue_as_of=min(as_of) if as_of else None,
        by_department=tuple(
            FiguresLine(code, tally.as_figures(), name_ar=code, name_en=code)
            for code, tally in sorted(by_department.items())
        ),
        by_service=tuple(
            FiguresLine(code, tally.as_figures(), department=department_of[code], name_ar=code, name_en=code)
            for code, tally in sorted(by_service.items())
        ),
        name_ar=district_code,
        name_en=district_code,
    )


def days_overdue(sla_due_date: date, today: date) -> int:
    """Calendar days since the due date (an open request due yesterday is one day overdue)."""
    return max(0, (today - sla_due_date).days)


# ---- open data ----------------------------------------------------------------------------

SUPPRESSION_THRESHOLD = 5
MONTHS_PUBLISHED = 12
CSV_COLUMNS = (
    "month", "district", "service", "received", "completed", "completed_on_time", "on_time_rate", "median_working_days",
)  # fmt: skip


def months_back(first_of_month: date, count: int) -> date:
    """The first day of the month `count` months before `first_of_month`'s."""
    year, month = divmod(first_of_month.year * 12 + first_of_month.month - 1 - count, 12)
    return date(year, month + 1, 1)


def open_data_document(data: OpenData) -> dict[str, Any]:
    """/open-data/performance.json: every district's rows for the months `first` to `last`. The
    published file's own form, not an API answer: the portal's page, its build and the daily
    publication all read and write this document (portal/render.py, portal_site/build.py,
    services/open_data.py), so it is written here, beside the suppression rules it publishes."""
    months = months_between(data.first, data.last)
    rows: list[dict[str, Any]] = []
    for district in data.districts:
        rows.extend(monthly_rows(district.code, data.days_by_district.get(district.code, ()), months))
    return {
        "generated_at": iso_utc(data.generated_at),
        "from": data.first.isoformat(),
        "to": data.last.isoformat(),
        "definitions": {
            "received": "requests submitted in the month (Cairo time)",
            "completed": "requests closed in the month",
            "completed_on_time": "completed requests closed on or before their sla_due_date",
            "on_time_rate": "completed_on_time / completed (null when nothing was completed)",
            "median_working_days": "median working days from submission to closing "
            "(not counting the day of submission, Fridays, Saturdays and public holidays)",
        },
        "suppression": f"counts below {SUPPRESSION_THRESHOLD} are null, and so is the smallest other "
        "service's count when a single service's would otherwise follow from the district's total",
        "districts": [{"code": d.code, "name_ar": d.name_ar, "name_en": d.name_en} for d in data.districts],
        "services": [
            {"code": s.code, "name_ar": s.name_ar, "name_en": s.name_en}
            for s in sorted(data.services, key=lambda s: s.code)
        ],
        "rows": rows,
    }


def open_data_json(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def open_data_csv(document: Mapping[str, Any]) -> str:
    """The rows of the document, a suppressed count left empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in document["rows"]:
        writer.writerow(["" if row[column] is None else row[column] for column in CSV_COLUMNS])
    return out.getvalue()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: date, last: date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_rows(district_code: str, days: Iterable[DayFigures], months: list[str]) -> list[dict[str, Any]]:
    """One district's rows of the open data: a row per month (service "all"), then one per
    month and service, every count below the threshold suppressed (None)."""
    by_month: dict[str, Tally] = {month: Tally() for month in months}
    by_month_service: dict[tuple[str, str], Tally] = {}
    for figures in days:
        month = month_of(figures.day)
        if month not in by_month:
            continue
        by_month[month].add_day(figures)
        by_month_service.setdefault((month, figures.service_code), Tally()).add_day(figures)
    rows = []
    for month in months:
        rows.append(_published_row(month, district_code, "all", by_month[month]))
        services = sorted(service for (row_month, service) in by_month_service if row_month == month)
        service_rows = [
            _published_row(month, district_code, service, by_month_service[(month, service)]) for service in services
        ]
        rows.extend(_protect_totals(service_rows, rows[-1]))
    return rows


def _published_row(month: str, district_code: str, service_code: str, tally: Tally) -> dict[str, Any]:
    counts = {name: _suppressed(getattr(tally, name)) for name in COUNTS}
    published = counts["completed"] is not None and counts["completed_on_time"] is not None
    return {
        "month": month,
        "district": district_code,
        "service": service_code,
        **counts,
        "on_time_rate": on_time_rate(tally.completed_on_time, tally.completed) if published else None,
        "median_working_days": median_of(tally.working_days) if counts["completed"] is not None else None,
    }


def _suppressed(count: int) -> int | None:
    return count if count >= SUPPRESSION_THRESHOLD else None


def _protect_totals(service_rows: list[dict[str, Any]], total: dict[str, Any]) -> list[dict[str, Any]]:
    """A single suppressed service count beside a published total could be worked out by
    subtraction: the smallest published count of another service is suppressed with it."""
    for name in COUNTS:
        if total[name] is None:
            continue
        hidden = [row for row in service_rows if row[name] is None]
        shown = [row for row in service_rows if row[name] is not None]
        if len(hidden) == 1 and shown:
            smallest = min(shown, key=lambda row: row[name])
            smallest[name] = None
            if name != "received":
                smallest["on_time_rate"] = None
            if name == "completed":
                smallest["median_working_days"] = None
    return service_rows


# ---- the office API's questions -----------------------------------------------------------

# The departments services belong to (services.json names each service's department by code).
DEPARTMENT_NAMES: dict[str, tuple[str, str]] = {
    "planning": ("التخطيط والتنظيم", "Planning and building control"),
    "shops": ("المحال العامة", "Public shops"),
    "occupancies": ("الإشغالات", "Occupancies"),
    "utilities": ("المرافق", "Utilities"),
}

LONGEST_RANGE_DAYS = 366
DEFAULT_OVERDUE_PAGE = 25
LARGEST_OVERDUE_PAGE = 100


@dataclass(frozen=True)
class FiguresQuery:
    district_code: str | None
    first: date
    last: date


@dataclass(frozen=True)
class OverdueQuery:
    district_code: str | None
    page_size: int
    cursor: str | None


def read_figures_query(params: Mapping[str, str], today: date) -> FiguresQuery:
    """`district`, `from` and `to` (YYYY-MM-DD, Cairo days, both included); by default
    this month up to today."""
    problems: dict[str, FieldProblem] = {}
    first = _day(params.get("from"), "from", problems) if params.get("from") else today.replace(day=1)
    last = _day(params.get("to"), "to", problems) if params.get("to") else today
    if first is not None and last is not None and not problems:
        if first > last:
            problems["from"] = FieldProblem(
                "يجب ألا يقع تاريخ البداية بعد تاريخ النهاية.", "from must not be after to."
            )
        elif (last - first).days >= LONGEST_RANGE_DAYS:
            problems["to"] = FieldProblem(
                f"الفترة {LONGEST_RANGE_DAYS} يومًا على الأكثر.", f"The period is at most {LONGEST_RANGE_DAYS} days."
            )
    if problems or first is None or last is None:
        raise invalid_fields(problems)
    return FiguresQuery(district_code=params.get("district") or None, first=first, last=last)


def read_overdue_query(params: Mapping[str, str]) -> OverdueQuery:
    problems: dict[str, FieldProblem] = {}
    page_size = DEFAULT_OVERDUE_PAGE
    raw = params.get("page_size")
    if raw is not None:
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= LARGEST_OVERDUE_PAGE:
            page_size = int(raw)
        else:
            problems["page_size"] = FieldProblem(
                f"حجم الصفحة رقم من 1 إلى {LARGEST_OVERDUE_PAGE}.",
                f"page_size is a number from 1 to {LARGEST_OVERDUE_PAGE}.",
            )
    if problems:
        raise invalid_fields(problems)
    return OverdueQuery(district_code=params.get("district") or None, page_size=page_size, cursor=params.get("cursor"))


def _day(raw: str | None, name: str, problems: dict[str, FieldProblem]) -> date | None:
    text = to_ascii_digits((raw or "").strip())
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    problems[name] = FieldProblem("اكتب التاريخ بالصيغة سنة-شهر-يوم، مثل 2026-11-01.", "Write the date as YYYY-MM-DD.")
    return None
