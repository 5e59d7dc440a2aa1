"""What the back office's pages show of a request, beyond the office API's JSON: the deadline
as working days left (text and a colour class, never colour alone), times in Cairo with
Western digits, tracking numbers grouped, and the timeline's rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.calendar import CAIRO, working_days_left
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status
from chalicelib.domain.tracking import grouped_for_reading

DUE_SOON_WORKING_DAYS = 2

EVENT_NAMES_AR = {
    "status_change": "تغيير الحالة",
    "identity_revealed": "كشف هوية مقدم الطلب",
    "identity_erased": "محو هوية مقدم الطلب",
    "payment_refunded": "رد رسوم",
    "transferred": "تحويل إلى حي آخر",
    "documents_received": "استلام مستندات ورقية",
    "document_opened": "فتح مستند",
    "assigned": "إسناد",
    "applicant_corrected": "تصحيح بيانات مقدم الطلب",
}


@dataclass(frozen=True)
class DueState:
    """Where a request stands against its deadline: `kind` is overdue, soon or on_time."""

    kind: str
    text_ar: str


def due_state(status: Status, due: date, today: date, holidays: frozenset[date], final: bool) -> DueState:
    if final:
        return DueState("done", "منتهٍ")
    left = working_days_left(today, due, holidays)
    if left < 0:
        return DueState("overdue", f"متأخر {-left} يوم عمل")
    if left == 0:
        return DueState("soon", "يستحق اليوم")
    if left <= DUE_SOON_WORKING_DAYS:
        return DueState("soon", f"باقٍ {left} يوم عمل")
    return DueState("on_time", f"باقٍ {left} يوم عمل")


def cairo_moment(iso: str | None) -> str:
    """An API moment ("2026-03-01T13:09:00Z") as staff read it: Cairo time, Western digits."""
    if not iso:
        return ""
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone(CAIRO)
    return moment.strftime("%Y-%m-%d %H:%M")


def grouped(tracking_number: str) -> str:
    return grouped_for_reading(tracking_number)


def status_name(value: str | None) -> str:
    return STATUS_NAMES_AR[Status(value)] if value else ""


def timeline(view: Mapping[str, Any]) -> list[dict[str, str]]:
    """The blind view's history as rows: when, what, who (role and office only) and the note."""
    rows = []
    for entry in view["history"]:
        what = EVENT_NAMES_AR.get(entry["event"], entry["event"])
        if entry["event"] == "status_change" and entry["from"] != entry["to"]:
            what = f"{status_name(entry['from']) or 'جديد'} ← {status_name(entry['to'])}"
        if entry["event"] == "assigned":
            what = f"{what} إلى {entry.get('assignee') or ''}"
        if entry["event"] == "transferred":
            what = f"{what}: {entry['from_district']} ← {entry['to_district']}"
        rows.append(
            {
                "at": cairo_moment(entry["at"]),
                "what": what,
                "who": f"{entry['actor_role'] or ''} {entry['office'] or ''}".strip(),
                "note": entry["note"] or "",
                "message": entry["message_to_citizen"] or "",
            }
        )
    return rows
