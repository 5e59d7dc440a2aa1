"""Who asked, for a manager of the district: revealed with a stated reason, corrected soon after a
reveal, and erased at the data subject's request, identity documents included."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chalicelib.adapters.document_storage import StorageUnavailable
from chalicelib.domain.errors import (
    Conflict,
    CorrectAfterReveal,
    FieldProblem,
    Unavailable,
    invalid_fields,
)
from chalicelib.domain.messages import Event
from chalicelib.domain.office import read_applicant_correction, read_erasure_reason, read_reveal_reason
from chalicelib.domain.phone import is_mobile
from chalicelib.domain.staff import Action, Reveal, StaffMember, revealed_lately
from chalicelib.observability.audit import audit
from chalicelib.observability.logs import logger
from chalicelib.services.document_retention import erase_identity_documents
from chalicelib.services.intents import intent
from chalicelib.services.limits import count_reveal
from chalicelib.services.office_view import changed_since_read, load_visible, require_permission, stale
from chalicelib.store.applicants import load_applicant
from chalicelib.store.requests.changes import (
    StoredRequest,
    VersionConflict,
    record_applicant_correction,
    record_erasure,
)
from chalicelib.store.requests.history import HistoryEntry, record_event
from chalicelib.store.requests.request import RequestRecord


@dataclass(frozen=True)
class Applicant:
    """Who asked, as a reveal shows them to a manager."""

    tracking_number: str
    full_name: str
    national_id: str
    phone: str


@dataclass(frozen=True)
class CorrectedApplicant:
    """Who asked once corrected, the request's version after the correction, and which fields changed."""

    applicant: Applicant
    version: int
    corrected: tuple[str, ...]  # in alphabetical order


@dataclass(frozen=True)
class ErasedIdentity:
    """A request whose applicant is erased, at its version after the erasure."""

    tracking_number: str
    version: int


def reveal_identity(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> Applicant:
    """Who asked, for a manager with a stated reason; the reveal is recorded before it is made."""
    require_permission(staff, Action.REVEAL_IDENTITY)
    reason = read_reveal_reason(body)
    request = load_visible(staff, tracking_number).request
    if request.identity_erased:
        raise identity_gone(request)
    record_event(HistoryEntry.by_staff(request, HistoryEntry.IDENTITY_REVEALED, staff, now, note=reason))
    applicant = load_applicant(request.tracking_number)
    if applicant is None:
        raise identity_gone(request)
    audit("identity_revealed", tracking_number=request.tracking_number, role=staff.role.value, actor=staff.principal)
    count_reveal(staff.principal, now)
    return Applicant(request.tracking_number, applicant.full_name, applicant.national_id, applicant.phone)


def correct_applicant(
    staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime
) -> CorrectedApplicant:
    """A wrong phone or name corrected by a manager of the district who revealed the applicant
    within the reveal's hour (domain/staff.py revealed_lately), with a stated reason, on the
    version read: the history records who and why, the audit log which fields (never their
    values), and a new phone is told so, as is the phone it replaces when that was a mobile."""
    require_permission(staff, Action.REVEAL_IDENTITY)
    correction = read_applicant_correction(body)
    stored = load_visible(staff, tracking_number)
    request = stored.request
    if request.identity_erased:
        raise identity_gone(request)
    if not revealed_lately(staff, reveals_of(stored), request.district_code, now):
        raise CorrectAfterReveal
    if request.version != correction.version:
        raise stale(stored, now)
    applicant = load_applicant(request.tracking_number)
    if applicant is None:
        raise identity_gone(request)
    changes: dict[str, Any] = {}
    if correction.full_name is not None and correction.full_name != applicant.full_name:
        changes["full_name"] = correction.full_name
    if correction.phone is not None and correction.phone != applicant.phone:
        changes["phone"] = correction.phone
    if not changes:
        raise invalid_fields(
            {"phone": FieldProblem("لم يتغير شيء: البيانات المكتوبة هي المسجلة.", "Nothing differs from what is kept.")}
        )
    fields = sorted(changes)
    request.version = correction.version + 1
    request.updated_at = now
    notices = []
    if "phone" in changes:
        notices.append(intent(request, Event.PHONE_CHANGED, now))
        if is_mobile(applicant.phone):
            former = {**(applicant.former_phones.as_dict() if applicant.former_phones else {})}
            changes["former_phones"] = {**former, str(request.version): applicant.phone}
            notices.append(intent(request, Event.PHONE_CHANGED_AWAY, now, former_phone_version=str(request.version)))
    entry = HistoryEntry.by_staff(request, HistoryEntry.APPLICANT_CORRECTED, staff, now, note=correction.reason,
                                  corrected=" ".join(fields))  # fmt: skip
    try:
        record_applicant_correction(request, entry, correction.version, changes, notices)
    except VersionConflict:
        raise changed_since_read(request.tracking_number, now) from None
    audit("applicant_corrected", tracking_number=request.tracking_number, role=staff.role.value,
          actor=staff.principal, fields=fields)  # fmt: skip
    corrected = Applicant(request.tracking_number, changes.get("full_name", applicant.full_name),
                          applicant.national_id, changes.get("phone", applicant.phone))  # fmt: skip
    return CorrectedApplicant(corrected, request.version, tuple(fields))


def reveals_of(stored: StoredRequest) -> list[Reveal]:
    """The identity reveals the request's history records."""
    return [
        Reveal(principal=entry.actor, office_code=entry.office, at=entry.at)
        for entry in stored.history
        if entry.event == HistoryEntry.IDENTITY_REVEALED
    ]


def erase_identity(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> ErasedIdentity:
    """A data subject's request: who asked is deleted, and so is every copy of an identity
    document (every version of its object) and every file name; the request and its history
    stay, without identity (not even the keyed check of the national ID's last four digits).
    The erasure is recorded in the history and audited; asking again changes nothing more,
    but finishes the documents' part if S3 left it undone (503) the first time."""
    require_permission(staff, Action.ERASE_IDENTITY)
    reason = read_erasure_reason(body)
    stored = load_visible(staff, tracking_number)
    request = stored.request
    if request.identity_erased:
        _erase_documents(staff, request, now)
        return _erased(request)
    read_version = request.version
    request.version = read_version + 1  # a change of the request: an office view read before it is stale
    request.updated_at = now
    request.identity_erased = True
    entry = HistoryEntry.by_staff(request, HistoryEntry.IDENTITY_ERASED, staff, now, note=reason)
    try:
        erased = record_erasure(request, entry, expected_version=read_version)
    except VersionConflict:
        raise changed_since_read(request.tracking_number, now) from None
    if not erased:
        raise identity_gone(request)
    audit("identity_erased", tracking_number=request.tracking_number, role=staff.role.value, actor=staff.principal)
    _erase_documents(staff, request, now)
    return _erased(request)


def _erase_documents(staff: StaffMember, request: RequestRecord, now: datetime) -> None:
    try:
        versions = erase_identity_documents(request, now)
    except StorageUnavailable as failure:
        logger.warning(
            "alert", extra={"alert": "identity_documents_not_erased", "tracking_number": request.tracking_number}
        )
        raise Unavailable(
            "documents_not_erased",
            "حُذفت بيانات مقدم الطلب، وتعذر حذف صور مستندات الهوية الآن. أعد طلب الحذف بعد قليل.",
            "The applicant was erased, but the identity documents could not be deleted now; ask again shortly.",
        ) from failure
    if versions:
        audit("identity_documents_erased", tracking_number=request.tracking_number, role=staff.role.value,
              actor=staff.principal, versions=versions)  # fmt: skip


def _erased(request: RequestRecord) -> ErasedIdentity:
    return ErasedIdentity(request.tracking_number, request.version)


def identity_gone(request: RequestRecord) -> Conflict:
    """Who asked is no longer kept: erased on request, or deleted after the retention period."""
    return Conflict(
        code="identity_erased",
        message_ar="لم تعد بيانات مقدم هذا الطلب محفوظة: حُذفت بناءً على طلبه أو بعد انتهاء مدة الاحتفاظ بها.",
        message_en="The applicant's identity is no longer kept: erased on request, or deleted after retention.",
        current={"tracking_number": request.tracking_number},
    )
