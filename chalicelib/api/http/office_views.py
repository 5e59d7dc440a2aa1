"""How the district offices' requests are shown (docs/interfaces.md#office-api): the blind view, a
queue and its entries, the workload, a reveal, a correction and an erasure. The office API answers
these, and the console's pages read the same shapes (api/routes/console_office.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.domain.calendar import iso_utc
from chalicelib.domain.payments import PIASTERS_PER_POUND
from chalicelib.domain.statuses import STATUS_NAMES_AR, Status

if TYPE_CHECKING:  # types only: a queue page loads none of the office's other services, and app.py no store
    from chalicelib.services.office_identity import Applicant, CorrectedApplicant, ErasedIdentity
    from chalicelib.services.office_queue import QueueEntry, QueuePage, Workload
    from chalicelib.services.office_view import BlindView
    from chalicelib.store.documents import DocumentRecord
    from chalicelib.store.requests.history import HistoryEntry
    from chalicelib.store.requests.request import PaymentTerms


def blind_view_answer(view: BlindView) -> dict[str, Any]:
    """A request as the back office sees it: everything but who asked."""
    request = view.request
    status = Status(request.status)
    return {
        "tracking_number": request.tracking_number,
        "version": request.version,
        "status": status.value,
        "status_ar": STATUS_NAMES_AR[status],
        "service_code": request.service_code,
        "service_name_ar": view.service_name_ar,
        "district_code": request.district_code,
        "department": request.department,
        "channel": request.channel,
        "filed_at_office": request.filed_at_office,
        "submitted_at": iso_utc(request.submitted_at),
        "updated_at": iso_utc(request.updated_at),
        "sla_due_date": request.sla_due_date,
        "sla_due_date_provisional": bool(request.sla_provisional),
        "overdue": view.overdue,
        "fee_egp": request.fee_egp,
        "payment": _payment_view(request.payment) if request.payment else None,
        "details": request.details.as_dict(),
        "documents_received": list(request.documents_received or []),
        "identity_erased": bool(request.identity_erased),
        "assignee": {"officer": request.assignee, "email": request.assignee_email} if request.assignee else None,
        "documents": [_document_entry(record) for record in view.documents],
        "history": [_history_entry(entry) for entry in view.history],
    }


def _payment_view(payment: PaymentTerms) -> dict[str, Any]:
    return {
        "reference": payment.reference,
        "amount_egp": payment.amount_egp,
        "status": payment.status,
        "expires_at": iso_utc(payment.expires_at),
        "paid_at": iso_utc(payment.paid_at) if payment.paid_at else None,
        "paid_by": payment.paid_by,
        "refunded_egp": int(payment.refunded_piasters or 0) / PIASTERS_PER_POUND,
    }


def _document_entry(record: DocumentRecord) -> dict[str, Any]:
    """An upload that arrived or paper received (docs/interfaces.md#documents)."""
    return {
        "document_id": record.document_id,
        "document": record.document,
        "status": record.status,
        "rejection": record.rejection,
        "updated_at": iso_utc(record.updated_at),
    }


def _history_entry(entry: HistoryEntry) -> dict[str, Any]:
    from chalicelib.store.requests.history import HistoryEntry  # loaded already: it read `entry`

    assigned = {"assignee": entry.assignee} if entry.event == HistoryEntry.ASSIGNED else {}
    sent = (
        {"message_kind": entry.message_kind, "channel": entry.channel}
        if entry.event == HistoryEntry.MESSAGE_SENT
        else {}
    )
    is_correction = entry.event == HistoryEntry.APPLICANT_CORRECTED
    corrected = {"corrected": (entry.corrected or "").split()} if is_correction else {}
    return {
        **assigned,
        **sent,
        **corrected,
        "event": entry.event,
        "version": entry.version,
        "at": iso_utc(entry.at),
        "from": entry.from_status,
        "to": entry.to_status,
        "actor_role": entry.actor_role,
        "actor": entry.actor,
        "office": entry.office,
        "from_district": entry.from_district,
        "to_district": entry.to_district,
        "note": entry.note,
        "message_to_citizen": entry.citizen_message,
    }


def queue_answer(page: QueuePage) -> dict[str, Any]:
    return {
        "district_code": page.district_code,
        "status": page.status.value,
        "department": page.department,
        "requests": [queue_entry_answer(entry) for entry in page.entries],
        "next_cursor": page.next_cursor,
    }


def queue_entry_answer(entry: QueueEntry) -> dict[str, Any]:
    request = entry.request
    return {
        "tracking_number": request.tracking_number,
        "version": request.version,
        "status": Status(request.status).value,
        "service_code": request.service_code,
        "department": request.department,
        "submitted_at": iso_utc(request.submitted_at),
        "sla_due_date": request.sla_due_date,
        "sla_due_date_provisional": bool(request.sla_provisional),
        "overdue": entry.overdue,
        "documents_received": list(request.documents_received or []),
        "documents_uploaded": sorted(request.documents_uploaded or ()),
        "uploaded_since_last_move": entry.uploaded_since_last_move,
    }


def workload_answer(load: Workload) -> dict[str, Any]:
    officers = [{"officer": row.officer, "open": row.open, "overdue": row.overdue} for row in load.officers]
    return {"district_code": load.district_code, "officers": officers}


def applicant_answer(applicant: Applicant) -> dict[str, str]:
    return {
        "tracking_number": applicant.tracking_number,
        "full_name": applicant.full_name,
        "national_id": applicant.national_id,
        "phone": applicant.phone,
    }


def correction_answer(corrected: CorrectedApplicant) -> dict[str, Any]:
    applicant = corrected.applicant
    return {
        "tracking_number": applicant.tracking_number,
        "version": corrected.version,
        "corrected": list(corrected.corrected),
        "full_name": applicant.full_name,
        "national_id": applicant.national_id,
        "phone": applicant.phone,
    }


def erasure_answer(erased: ErasedIdentity) -> dict[str, Any]:
    return {"tracking_number": erased.tracking_number, "identity_erased": True, "version": erased.version}
