"""The district offices' use cases: blind views, moves, transfers and identity reveals (the queue
page is services/office_queue.py, so that its first request loads none of these).

Every function takes the verified staff member first, checks the permission matrix
(domain/staff.py), and treats a request of another district exactly like one that does
not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.adapters.document_storage import StorageUnavailable
from chalicelib.adapters.staff_pool import Officer, PoolRefusal, officers_of
from chalicelib.config import settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import Document
from chalicelib.domain.digits import digits_only
from chalicelib.domain.documents import needs_info_message
from chalicelib.domain.errors import (
    Conflict,
    CorrectAfterReveal,
    FieldProblem,
    Forbidden,
    Unavailable,
    invalid_fields,
    no_such_request,
)
from chalicelib.domain.messages import EVENT_FOR_STATUS, Event
from chalicelib.domain.office import (
    due_date_after_transfer,
    is_overdue,
    read_applicant_correction,
    read_assignment,
    read_erasure_reason,
    read_move,
    read_reveal_reason,
    read_transfer,
)
from chalicelib.domain.phone import is_mobile
from chalicelib.domain.staff import Action, Reveal, StaffMember, revealed_lately
from chalicelib.domain.statuses import FINAL_STATUSES, STATUS_NAMES_AR, Status, can_move
from chalicelib.domain.tracking import is_valid_tracking_number
from chalicelib.observability.audit import audit
from chalicelib.observability.logs import logger
from chalicelib.observability.metrics import Metric, count
from chalicelib.services.catalogue import current_catalogue, service_in_force
from chalicelib.services.documents import (
    erase_identity_documents,
    missing_documents,
    office_document_list,
    schedule_deletion,
)
from chalicelib.services.intents import intent
from chalicelib.services.limits import count_reveal
from chalicelib.store.applicants import load_applicant
from chalicelib.store.documents import DocumentRecord
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import (
    StoredRequest,
    VersionConflict,
    load_request,
    record_applicant_correction,
    record_erasure,
    record_move,
)
from chalicelib.store.requests.history import HistoryEntry, record_event
from chalicelib.store.requests.request import RequestRecord

# The moves a request whose fee was refunded in full is held from (issue 23, item 11).
# Closing stays open: a rejected request is closed once the refund has gone out.
HELD_WHEN_REFUNDED = frozenset({Status.APPROVED, Status.READY})


@dataclass(frozen=True)
class BlindView:
    """A request as the back office sees it: everything but who asked (api/http/office_views.py
    shapes it for the office API and the console)."""

    request: RequestRecord
    history: tuple[HistoryEntry, ...]
    service_name_ar: str | None  # the service's name in force on the day it was filed
    overdue: bool
    documents: tuple[DocumentRecord, ...]  # every upload that arrived and every paper received


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


def view_request(staff: StaffMember, tracking_number: str, now: datetime) -> BlindView:
    _require(staff, Action.VIEW_REQUEST)
    return blind_view(load_visible(staff, tracking_number), now)


def move_request(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> BlindView:
    _require(staff, Action.TRANSITION)
    move = read_move(body)
    stored = load_visible(staff, tracking_number)
    request = stored.request
    current = Status(request.status)
    if request.version != move.version:
        raise stale(stored, now)
    if not can_move(current, move.target):
        raise Conflict(
            code="transition_not_allowed",
            message_ar=f"لا يمكن نقل الطلب من «{STATUS_NAMES_AR[current]}» إلى «{STATUS_NAMES_AR[move.target]}».",
            message_en=f"A request cannot move from {current.value} to {move.target.value}.",
            current=blind_view(stored, now),
        )
    if not staff.may_move(current, move.target):
        raise Forbidden
    if move.target in HELD_WHEN_REFUNDED and request.payment is not None and request.payment.status == "refunded":
        # Held, not cancelled by the gateway's notice: a refund is made from the gateway's own
        # dashboard, and may be a mistake or meant for a duplicate; cancelling is final and starts
        # the applicant's deletion clock, so a person decides (reject it with a reason, then close it),
        # and meanwhile nothing unpaid is approved or made ready for handing over.
        raise Conflict(
            code="payment_refunded",
            message_ar="رُدّت رسوم هذا الطلب كاملة، فلا يُوافق عليه ولا يُسلَّم. ارفضه مع ذكر السبب أو راجع الإدارة المالية.",
            message_en="This request's fee was refunded in full: it is neither approved nor handed over. "
            "Reject it with a reason, or refer it to the finance office.",
            current=blind_view(stored, now),
        )
    # Only an approval and a call for information depend on the documents: one query, for those alone.
    missing = missing_documents(request) if move.target in (Status.APPROVED, Status.NEEDS_INFO) else []
    if move.target is Status.NEEDS_INFO and move.missing_documents:
        missing = _with_named_documents(request, missing, move.missing_documents)
    if move.target is Status.APPROVED and missing:
        raise Conflict(
            code="documents_missing",
            message_ar="لا يمكن الموافقة قبل اكتمال المستندات المطلوبة: " + "، ".join(d.name_ar for d in missing) + ".",
            message_en="A request cannot be approved while required documents are missing: "
            + ", ".join(document.code for document in missing)
            + ".",
            current=blind_view(stored, now),
        )
    citizen_message = move.citizen_message
    if move.target is Status.NEEDS_INFO:
        citizen_message = needs_info_message(move.citizen_message, missing)
        if citizen_message is None:
            raise invalid_fields(
                {
                    "message_to_citizen": FieldProblem(
                        "اكتب للمواطن ما الذي ينقص طلبه.", "Tell the citizen what is missing from the request."
                    )
                }
            )
    request.status = move.target.value
    request.version = move.version + 1
    request.updated_at = now
    request.place_in_queues()
    entry = HistoryEntry.by_staff(
        request, HistoryEntry.STATUS_CHANGE, staff, now,
        from_status=current.value, to_status=move.target.value, note=move.note, citizen_message=citizen_message,
    )  # fmt: skip
    closes = move.target in FINAL_STATUSES and not request.identity_erased
    retention = timedelta(days=settings().applicant_retention_days)
    try:
        record_move(
            request,
            entry,
            expected_version=move.version,
            outbox=_intents_of_move(request, move.target, now),
            applicant_expires_at=now + retention if closes else None,
        )
    except VersionConflict:
        fresh = load_request(request.tracking_number)
        raise stale(fresh, now) if fresh else no_such_request() from None
    logger.info(
        "request moved",
        extra={
            "tracking_number": request.tracking_number,
            "from": current.value,
            "to": move.target.value,
            "role": staff.role.value,
            "version": request.version,
        },
    )
    count(Metric.MOVED, by=request.district_code)
    if move.target is Status.CLOSED:  # completed: on time when closed on or before its due date (Cairo)
        count(
            Metric.COMPLETED_ON_TIME if cairo_today(now).isoformat() <= request.sla_due_date else Metric.COMPLETED_LATE,
            by=request.district_code,
        )
    if move.target in FINAL_STATUSES:
        schedule_deletion(request.tracking_number, now)
    return blind_view(StoredRequest(request=request, history=[*stored.history, entry]), now)


def _with_named_documents(request: RequestRecord, missing: list[Document], codes: tuple[str, ...]) -> list[Document]:
    """The documents missing from the request, and those the officer names, in the service's order;
    a code the service does not list is refused."""
    service = current_catalogue().service(request.service_code, on=cairo_today(request.submitted_at))
    listed = {document.code: document for document in (service.documents if service else ())}
    unknown = [code for code in codes if code not in listed]
    if unknown:
        raise invalid_fields(
            {
                "missing_documents": FieldProblem(
                    "اختر المستندات الناقصة من قائمة الخدمة.", "Name documents from the service's list."
                )
            }
        )
    named = {document.code for document in missing} | set(codes)
    return [document for code, document in listed.items() if code in named]


def transfer_request(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> BlindView:
    """Headquarters moves a misrouted request to the district that should handle it: the
    request changes hands and queues, its deadline follows the rule of
    domain.office.due_date_after_transfer, the history records who, why and from where,
    and the citizen is told by SMS; all in one transaction, on the version the caller read."""
    _require(staff, Action.TRANSFER)
    transfer = read_transfer(body)
    stored = load_visible(staff, tracking_number)
    request = stored.request
    catalogue = current_catalogue()
    target = catalogue.district(transfer.to_district)
    service = service_in_force(request.service_code, request.submitted_at)
    if target is None or not target.active or service is None or not service.offered_in(target.code):
        raise invalid_fields(
            {
                "to_district": FieldProblem(
                    "اختر حيًا أو مركزًا يعمل بالمنظومة ويقدم هذه الخدمة.",
                    "Choose an active district that offers this service.",
                )
            }
        )
    if request.version != transfer.version:
        raise stale(stored, now)
    current = Status(request.status)
    if target.code == request.district_code or current in FINAL_STATUSES:
        raise Conflict(
            code="transfer_not_allowed",
            message_ar="لا يمكن تحويل طلب منتهٍ، ولا تحويل طلب إلى الحي الذي يتبعه.",
            message_en="A finished request cannot be transferred, nor a request to the district it belongs to.",
            current=blind_view(stored, now),
        )
    from_district = request.district_code
    due = due_date_after_transfer(
        date.fromisoformat(request.sla_due_date), cairo_today(now), service.sla_days, catalogue.holidays()
    )
    request.district_code = target.code
    request.sla_due_date = due.isoformat()
    request.version = transfer.version + 1
    request.updated_at = now
    request.place_in_queues()
    entry = HistoryEntry.by_staff(
        request, HistoryEntry.TRANSFERRED, staff, now,
        from_district=from_district, to_district=target.code, note=transfer.reason,
    )  # fmt: skip
    message = intent(request, Event.TRANSFERRED, now, district_name_ar=target.name_ar)
    try:
        record_move(request, entry, expected_version=transfer.version, outbox=[message])
    except VersionConflict:
        fresh = load_request(request.tracking_number)
        raise stale(fresh, now) if fresh else no_such_request() from None
    logger.info(
        "request transferred",
        extra={
            "tracking_number": request.tracking_number,
            "from": from_district,
            "to": target.code,
            "version": request.version,
        },
    )
    return blind_view(StoredRequest(request=request, history=[*stored.history, entry]), now)


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
        fresh = load_request(tracking_number)
        raise stale(fresh, now) if fresh else no_such_request() from None
    audit("request_assigned", tracking_number=tracking_number, role=staff.role.value, actor=staff.principal,
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


def _intents_of_move(request: RequestRecord, target: Status, now: datetime) -> list[OutboxMessage]:
    event = EVENT_FOR_STATUS.get(target)
    if event is None:
        return []
    district = current_catalogue().district(request.district_code)
    return [intent(request, event, now, district_name_ar=district.name_ar if district else None)]


def reveal_identity(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> Applicant:
    """Who asked, for a manager with a stated reason; the reveal is recorded before it is made."""
    _require(staff, Action.REVEAL_IDENTITY)
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
    _require(staff, Action.REVEAL_IDENTITY)
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
        fresh = load_request(request.tracking_number)
        raise stale(fresh, now) if fresh else no_such_request() from None
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
    _require(staff, Action.ERASE_IDENTITY)
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
        fresh = load_request(request.tracking_number)
        raise stale(fresh, now) if fresh else no_such_request() from None
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


def _require(staff: StaffMember, action: Action) -> None:
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
