"""How the district figures are shown over the office API (docs/interfaces.md#district-figures): the
report, the overdue list, and what the daily recount and publication answer as handlers."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.figures import (
    DistrictSummary,
    Figures,
    FiguresLine,
    FiguresReport,
    OverduePage,
    OverdueRequest,
)
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status


def report_view(report: FiguresReport) -> dict[str, Any]:
    return {
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "generated_at": iso_utc(report.generated_at),
        "districts": [_district_view(district) for district in report.districts],
    }


def _district_view(district: DistrictSummary) -> dict[str, Any]:
    return {
        "code": district.code,
        **_figures_view(district.figures),
        "overdue_as_of": district.overdue_as_of.isoformat() if district.overdue_as_of else None,
        "by_department": [_line_view(line) for line in district.by_department],
        "by_service": [_line_view(line) for line in district.by_service],
        "name_ar": district.name_ar,
        "name_en": district.name_en,
    }


def _line_view(line: FiguresLine) -> dict[str, Any]:
    department = {} if line.department is None else {"department": line.department}
    return {"code": line.code, **department, **_figures_view(line.figures), "name_ar": line.name_ar,
            "name_en": line.name_en}  # fmt: skip


def _figures_view(figures: Figures) -> dict[str, Any]:
    return {
        "received": figures.received,
        "completed": figures.completed,
        "completed_on_time": figures.completed_on_time,
        "on_time_rate": figures.on_time_rate,
        "median_working_days": figures.median_working_days,
        "open": figures.open,
        "overdue": figures.overdue,
    }


def overdue_view(page: OverduePage) -> dict[str, Any]:
    return {
        "district_code": page.district_code,
        "as_of": page.as_of.isoformat(),
        "requests": [_overdue_entry(request) for request in page.requests],
        "next_cursor": page.next_cursor,
    }


def _overdue_entry(request: OverdueRequest) -> dict[str, Any]:
    return {
        "tracking_number": request.tracking_number,
        "service_code": request.service_code,
        "service_name_ar": request.service_name_ar,
        "department": request.department,
        "status": request.status,
        "status_ar": STATUS_NAMES_AR[Status(request.status)],
        "sla_due_date": request.sla_due_date,
        "days_overdue": request.days_overdue,
    }
