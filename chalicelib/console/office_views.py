"""What the back office's pages show of a request, beyond the office API's JSON: the deadline
as working days left (text and a colour class, never colour alone), times in Cairo with
Western digits, tracking numbers grouped, and the timeline's rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.console.render import ROLE_NAMES_AR
from chalicelib.domain.calendar import CAIRO, working_days_left
from chalicelib.domain.documents import STATUS_NAMES_AR as DOCUMENT_STATUS_NAMES_AR
from chalicelib.domain.documents import DocumentStatus
from chalicelib.domain.figures import DEPARTMENT_NAMES
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
    "message_sent": "رسالة إلى المواطن",
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


@dataclass(frozen=True)
class DocumentsState:
    """A queue row's documents: how many of the service's list are in (uploaded and passed, or
    handed in on paper), and whether the citizen uploaded one since staff last changed it."""

    present: int
    listed: int
    on_paper: int
    uploaded_since_last_move: bool

    @property
    def text_ar(self) -> str:
        paper = f"، {self.on_paper} ورقي" if self.on_paper else ""
        return f"{self.present} من {self.listed}{paper}"


def documents_state(listed: Iterable[Any], entry: Mapping[str, Any]) -> DocumentsState:
    """`listed` is the service's documents (code and name_ar); `entry` a queue entry."""
    uploaded, on_paper = set(entry.get("documents_uploaded") or ()), set(entry.get("documents_received") or ())
    documents = list(listed)
    present = sum(1 for document in documents if document.code in uploaded or document.name_ar in on_paper)
    paper = sum(1 for document in documents if document.name_ar in on_paper)
    return DocumentsState(present, len(documents), paper, bool(entry.get("uploaded_since_last_move")))


def cairo_moment(iso: str | None) -> str:
    """An API moment ("2026-03-01T13:09:00Z") as staff read it: Cairo time, Western digits."""
    if not iso:
        return ""
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone(CAIRO)
    return moment.strftime("%Y-%m-%d %H:%M")


def grouped(tracking_number: str) -> str:
    return grouped_for_reading(tracking_number)


def office_names(districts: Iterable[Any]) -> dict[str, str]:
    """District codes to their Arabic names; headquarters' office goes unnamed beside its role."""
    return {**{district.code: district.name_ar for district in districts}, "hq": ""}


def department_name(code: str) -> str:
    return DEPARTMENT_NAMES.get(code, (code, code))[0]


def status_name(value: str | None) -> str:
    return STATUS_NAMES_AR[Status(value)] if value else ""


MESSAGE_KINDS_AR = {
    "submitted": "استلام الطلب",
    "needs_info": "طلب استيفاء",
    "approved": "الموافقة",
    "rejected": "الرفض",
    "ready": "الجاهزية للتسليم",
    "payment_reminder": "تذكير بالدفع",
    "transferred": "التحويل",
    "cancelled": "الإلغاء",
}
FILING_CHANNELS_AR = {"portal": "البوابة", "window": "الشباك"}
CHANNELS_AR = {"sms": "رسالة نصية", "voice": "مكالمة صوتية", "whatsapp": "واتساب"}
PAYMENT_STATUSES_AR = {"unpaid": "لم تُدفع", "paid": "دُفعت", "refunded": "رُدّت"}


def timeline(
    view: Mapping[str, Any], document_names: Mapping[str, str] | None = None,
    office_names: Mapping[str, str] | None = None,
) -> list[dict[str, str]]:  # fmt: skip
    """The blind view's timeline, oldest first: its history (changes of status with their notes,
    assignments, reveals, transfers, messages sent by kind and channel), the payment, and each
    uploaded document's last state (arrived, scanned clean, refused). Nothing says who asked.
    `office_names` gives districts (and "hq") by their Arabic names rather than their codes."""
    names = document_names or {}
    offices = office_names or {}
    dated = [(entry["at"], _history_row(entry, offices)) for entry in view["history"]]
    payment = view.get("payment")
    if payment and payment.get("paid_at"):
        state = PAYMENT_STATUSES_AR.get(payment["status"], payment["status"])
        what = f"دفع الرسوم: {payment['amount_egp']} جنيه ({state})"
        dated.append((payment["paid_at"], _row(payment["paid_at"], what, "بوابة الدفع")))
    for document in view["documents"]:
        if document["status"] == DocumentStatus.RECEIVED_AT_WINDOW.value or not document.get("updated_at"):
            continue  # paper handed in at a window is on the timeline as its clerk's own entry
        state = DOCUMENT_STATUS_NAMES_AR.get(DocumentStatus(document["status"]), document["status"])
        what = f"مستند {names.get(document['document'], document['document'])}: {state}"
        dated.append((document["updated_at"], _row(document["updated_at"], what, "الفحص الآلي")))
    return [row for _, row in sorted(dated, key=lambda pair: pair[0])]


def _row(at: str, what: str, who: str, note: str = "", message: str = "") -> dict[str, str]:
    return {"at": cairo_moment(at), "what": what, "who": who, "note": note, "message": message}


def _history_row(entry: Mapping[str, Any], offices: Mapping[str, str]) -> dict[str, str]:
    what = EVENT_NAMES_AR.get(entry["event"], entry["event"])
    if entry["event"] == "status_change" and entry["from"] != entry["to"]:
        what = f"{status_name(entry['from']) or 'جديد'} ← {status_name(entry['to'])}"
    if entry["event"] == "assigned":
        what = f"{what} إلى {entry.get('assignee') or ''}"
    if entry["event"] == "transferred":
        what = f"{what}: {offices.get(entry['from_district'], entry['from_district'])} ← "
        what += offices.get(entry["to_district"], entry["to_district"])
    if entry["event"] == "message_sent":
        kind, channel = entry.get("message_kind") or "", entry.get("channel") or ""
        what = f"{what}: {MESSAGE_KINDS_AR.get(kind, kind)} · {CHANNELS_AR.get(channel, channel)}"
    role, office = entry["actor_role"] or "", entry["office"] or ""
    who = " · ".join(part for part in (ROLE_NAMES_AR.get(role, role), offices.get(office, office)) if part)
    return _row(entry["at"], what, who, entry["note"] or "", entry["message_to_citizen"] or "")
