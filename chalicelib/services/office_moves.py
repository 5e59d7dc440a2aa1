"""The district offices' moves of a request: a change of status (domain/statuses.py), and
headquarters' transfer of a misrouted request to another district; each on the version the
caller read, with its history entry and its messages in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from chalicelib.config import settings
from chalicelib.domain.calendar import cairo_today
from chalicelib.domain.catalogue import Document
from chalicelib.domain.documents import needs_info_message
from chalicelib.domain.errors import Conflict, FieldProblem, Forbidden, invalid_fields
from chalicelib.domain.messages import EVENT_FOR_STATUS, Event
from chalicelib.domain.office import due_date_after_transfer, read_move, read_transfer
from chalicelib.domain.staff import Action, StaffMember
from chalicelib.domain.statuses import FINAL_STATUSES, STATUS_NAMES_AR, Status, can_move
from chalicelib.observability.logs import logger
from chalicelib.observability.metrics import Metric, count
from chalicelib.services.catalogue import current_catalogue, service_in_force
from chalicelib.services.document_checklist import missing_documents
from chalicelib.services.document_retention import schedule_deletion
from chalicelib.services.intents import intent
from chalicelib.services.office_view import (
    BlindView,
    blind_view,
    changed_since_read,
    load_visible,
    require_permission,
    stale,
)
from chalicelib.store.outbox import OutboxMessage
from chalicelib.store.requests.changes import StoredRequest, VersionConflict, record_move
from chalicelib.store.requests.history import HistoryEntry
from chalicelib.store.requests.request import RequestRecord

# The moves a request whose fee was refunded in full is held from (issue 23, item 11).
# Closing stays open: a rejected request is closed once the refund has gone out.
HELD_WHEN_REFUNDED = frozenset({Status.APPROVED, Status.READY})


def move_request(staff: StaffMember, tracking_number: str, body: Mapping[str, Any], now: datetime) -> BlindView:
    require_permission(staff, Action.TRANSITION)
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
        raise changed_since_read(request.tracking_number, now) from None
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
    service = service_in_force(request.service_code, request.submitted_at)
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
    require_permission(staff, Action.TRANSFER)
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
        raise changed_since_read(request.tracking_number, now) from None
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


def _intents_of_move(request: RequestRecord, target: Status, now: datetime) -> list[OutboxMessage]:
    event = EVENT_FOR_STATUS.get(target)
    if event is None:
        return []
    district = current_catalogue().district(request.district_code)
    return [intent(request, event, now, district_name_ar=district.name_ar if district else None)]
