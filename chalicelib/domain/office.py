"""What district staff send: moves along the state machine, identity reveals and queue pages."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.domain.calendar import add_working_days
from chalicelib.domain.catalogue import Document
from chalicelib.domain.digits import clean_text
from chalicelib.domain.errors import FieldProblem, invalid_fields
from chalicelib.domain.names import normalise_full_name
from chalicelib.domain.phone import normalise_mobile
from chalicelib.domain.statuses import FINAL_STATUSES, Status

NOTE_LIMIT = 1000
CITIZEN_MESSAGE_LIMIT = 300
REVEAL_REASON_MINIMUM = 10
DEFAULT_PAGE_SIZE = 25
LARGEST_PAGE_SIZE = 100
_QUEUE_ORDER = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}#[0-9]{12,14}")
# encode_cursor's longest: {"after": "<date>#<14 digits>"} in base64 is 60 characters.
LONGEST_CURSOR = 120


@dataclass(frozen=True)
class Move:
    """A change of status an officer asks for, on the version they saw."""

    target: Status
    note: str
    version: int
    citizen_message: str | None
    # With needs_info: the codes of the service's documents the officer names as missing, besides
    # those never handed in or uploaded (which are named anyway).
    missing_documents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transfer:
    """Headquarters' move of a misrouted request to another district, on the version seen."""

    to_district: str
    reason: str
    version: int


@dataclass(frozen=True)
class Assignment:
    """Who is to hold a request: an officer's principal or email, on the version seen."""

    officer: str
    version: int


@dataclass(frozen=True)
class ApplicantCorrection:
    """A manager's correction of who asked, on the version seen: a new name, a new phone or both
    (None: unchanged), normalised as the portal normalises them, with the reason stated."""

    full_name: str | None
    phone: str | None
    reason: str
    version: int


@dataclass(frozen=True)
class QueueQuery:
    """Which page of which queue a member of staff asks for."""

    status: Status
    district_code: str | None
    department: str | None
    page_size: int
    after: str | None  # the queue_order of the last request of the previous page


def read_move(body: Mapping[str, Any]) -> Move:
    problems: dict[str, FieldProblem] = {}
    target = _status(body.get("to"), "to", problems)
    note = _text(body.get("note"), NOTE_LIMIT, "note", problems, required=True)
    citizen_message = _text(body.get("message_to_citizen"), CITIZEN_MESSAGE_LIMIT, "message_to_citizen", problems)
    version = _version(body.get("version"), problems)
    missing = body.get("missing_documents", [])
    if not isinstance(missing, list) or not all(isinstance(code, str) for code in missing):
        problems["missing_documents"] = FieldProblem(
            "اختر المستندات الناقصة من قائمة الخدمة.", "missing_documents is a list of the service's document codes."
        )
    if problems or target is None or note is None or version is None:
        raise invalid_fields(problems)
    return Move(target=target, note=note, version=version, citizen_message=citizen_message,
                missing_documents=tuple(dict.fromkeys(missing)))  # fmt: skip


def read_transfer(body: Mapping[str, Any]) -> Transfer:
    """Where headquarters sends a misrouted request, and why (the reason is audited)."""
    problems: dict[str, FieldProblem] = {}
    to_district = body.get("to_district")
    if not isinstance(to_district, str) or not to_district:
        problems["to_district"] = FieldProblem("اختر الحي أو المركز المحوَّل إليه.", "Choose the district to move it to.")
    reason = _text(body.get("reason"), NOTE_LIMIT, "reason", problems, required=True)
    if reason is not None and len(reason) < REVEAL_REASON_MINIMUM and "reason" not in problems:
        problems["reason"] = FieldProblem(
            "اذكر سبب التحويل بوضوح (عشرة أحرف على الأقل).",
            "State the reason for the transfer (at least ten characters).",
        )
    version = _version(body.get("version"), problems)
    if problems or reason is None or version is None or not isinstance(to_district, str):
        raise invalid_fields(problems)
    return Transfer(to_district=to_district, reason=reason, version=version)


def read_assignment(body: Mapping[str, Any]) -> Assignment:
    problems: dict[str, FieldProblem] = {}
    officer = _text(body.get("officer"), NOTE_LIMIT, "officer", problems, required=True)
    version = _version(body.get("version"), problems)
    if problems or officer is None or version is None:
        raise invalid_fields(problems)
    return Assignment(officer=officer, version=version)


def due_date_after_transfer(original_due: date, transferred_on: date, sla_days: int, holidays: frozenset[date]) -> date:
    """The deadline rule for a transfer: the receiving district gets the service's full
    deadline in working days counted from the day of the transfer, and the citizen never
    waits less than first promised: the later of that date and the original due date."""
    return max(original_due, add_working_days(transferred_on, sla_days, holidays))


def read_reveal_reason(body: Mapping[str, Any]) -> str:
    problems: dict[str, FieldProblem] = {}
    reason = _text(body.get("reason"), NOTE_LIMIT, "reason", problems, required=True)
    if reason is not None and len(reason) < REVEAL_REASON_MINIMUM:
        problems["reason"] = FieldProblem(
            "اذكر سبب كشف هوية مقدم الطلب بوضوح (عشرة أحرف على الأقل).",
            "State the reason for revealing the applicant's identity (at least ten characters).",
        )
    if problems or reason is None:
        raise invalid_fields(problems)
    return reason


def read_applicant_correction(body: Mapping[str, Any]) -> ApplicantCorrection:
    """The correction as the manager sent it: each field checked as the portal checks it
    (domain/names.py, domain/phone.py), at least one of them, and a reason of ten characters."""
    problems: dict[str, FieldProblem] = {}
    reason = _text(body.get("reason"), NOTE_LIMIT, "reason", problems, required=True)
    if reason is not None and len(reason) < REVEAL_REASON_MINIMUM:
        problems["reason"] = FieldProblem(
            "اذكر سبب تصحيح بيانات مقدم الطلب بوضوح (عشرة أحرف على الأقل).",
            "State the reason for correcting the applicant's details (at least ten characters).",
        )
    version = _version(body.get("version"), problems)
    full_name = _corrected(body.get("full_name"), normalise_full_name, "full_name", problems)
    phone = _corrected(body.get("phone"), normalise_mobile, "phone", problems)
    if full_name is None and phone is None and "full_name" not in problems and "phone" not in problems:
        problems["phone"] = FieldProblem(
            "اكتب رقم الهاتف الصحيح أو الاسم الصحيح، أو كليهما.", "Give the correct phone, the correct name, or both."
        )
    if problems or reason is None or version is None:
        raise invalid_fields(problems)
    return ApplicantCorrection(full_name=full_name, phone=phone, reason=reason, version=version)


def _corrected(raw: Any, normalise: Callable[[str], str], name: str, problems: dict[str, FieldProblem]) -> str | None:
    """A corrected field normalised, or None when it is left out or empty (left as it is)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        problems[name] = FieldProblem("اكتب هذا الحقل نصًا.", "This field must be text.")
        return None
    try:
        return normalise(raw)
    except FieldProblem as problem:
        problems[name] = problem
        return None


def read_erasure_reason(body: Mapping[str, Any]) -> str:
    """Why the applicant's identity is erased: the data subject's request, as recorded."""
    problems: dict[str, FieldProblem] = {}
    reason = _text(body.get("reason"), NOTE_LIMIT, "reason", problems, required=True)
    if reason is not None and len(reason) < REVEAL_REASON_MINIMUM:
        problems["reason"] = FieldProblem(
            "اذكر طلب صاحب البيانات الذي تُحذف بياناته بموجبه (عشرة أحرف على الأقل).",
            "State the data subject's request this erasure answers (at least ten characters).",
        )
    if problems or reason is None:
        raise invalid_fields(problems)
    return reason


def read_queue_query(params: Mapping[str, str]) -> QueueQuery:
    problems: dict[str, FieldProblem] = {}
    status = _status(params.get("status"), "status", problems)
    page_size = DEFAULT_PAGE_SIZE
    if "page_size" in params:
        raw = params["page_size"]
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= LARGEST_PAGE_SIZE):
            problems["page_size"] = FieldProblem(
                f"حجم الصفحة رقم من 1 إلى {LARGEST_PAGE_SIZE}.", f"page_size is a number from 1 to {LARGEST_PAGE_SIZE}."
            )
        else:
            page_size = int(raw)
    after = None
    if params.get("cursor"):
        after = decode_cursor(params["cursor"])
        if after is None:
            problems["cursor"] = FieldProblem("مؤشر الصفحة غير صالح.", "The page cursor is not valid.")
    if problems or status is None:
        raise invalid_fields(problems)
    return QueueQuery(
        status=status,
        district_code=params.get("district") or None,
        department=params.get("department") or None,
        page_size=page_size,
        after=after,
    )


def encode_cursor(queue_order: str) -> str:
    """An opaque token for "after this request"; callers cannot aim it at another queue."""
    return base64.urlsafe_b64encode(json.dumps({"after": queue_order}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> str | None:
    """The queue order a cursor of encode_cursor names; None for anything else. Its length is
    bounded before it is parsed: JSON nested thousands deep exhausts Python's recursion."""
    if len(cursor) > LONGEST_CURSOR:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    after = decoded.get("after") if isinstance(decoded, dict) else None
    return after if isinstance(after, str) and _QUEUE_ORDER.fullmatch(after) else None


def is_overdue(status: Status, sla_due_date: str, today: date) -> bool:
    return status not in FINAL_STATUSES and date.fromisoformat(sla_due_date) < today


def _version(raw: Any, problems: dict[str, FieldProblem]) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        problems["version"] = FieldProblem(
            "أرسل رقم إصدار الطلب كما ظهر لك.", "Send the request's version as you last saw it."
        )
        return None
    return raw


def _status(raw: Any, name: str, problems: dict[str, FieldProblem]) -> Status | None:
    try:
        return Status(raw)
    except (ValueError, TypeError):
        problems[name] = FieldProblem("اختر حالة من حالات الطلب المعروفة.", "Choose one of the request statuses.")
        return None


def _text(raw: Any, limit: int, name: str, problems: dict[str, FieldProblem], required: bool = False) -> str | None:
    text = clean_text(raw) if isinstance(raw, str) else ""
    if raw is not None and not isinstance(raw, str):
        problems[name] = FieldProblem("اكتب هذا الحقل نصًا.", "This field must be text.")
    elif not text:
        if required:
            problems[name] = FieldProblem("هذا الحقل مطلوب.", "This field is required.")
        return None
    elif len(text) > limit:
        problems[name] = FieldProblem(f"النص أطول من {limit} حرفًا.", f"The text is longer than {limit} characters.")
    return text


def read_documents_received(raw: Any, documents: tuple[Document, ...]) -> tuple[Document, ...]:
    """The documents a clerk took in, given by their codes in the service's list (as the paper
    route takes them), in the list's order. Their positions in the list (`[0, 1]`) are still
    read for one release, deprecated in OpenAPI: a list is all codes or all positions."""
    if raw is None:
        return ()
    codes = {document.code: document for document in documents}
    by_code = isinstance(raw, list) and bool(raw) and all(isinstance(code, str) for code in raw)
    if by_code:
        valid = all(code in codes for code in raw)
    else:
        valid = isinstance(raw, list) and all(
            isinstance(position, int) and not isinstance(position, bool) and 0 <= position < len(documents)
            for position in raw
        )
    if not valid or len(set(raw)) != len(raw):
        raise invalid_fields(
            {
                "documents_received": FieldProblem(
                    "اختر المستندات المستلمة من قائمة مستندات الخدمة.",
                    "List the documents received by their codes in the service's document list.",
                )
            }
        )
    if by_code:
        return tuple(document for document in documents if document.code in set(raw))
    return tuple(documents[position] for position in sorted(raw))
