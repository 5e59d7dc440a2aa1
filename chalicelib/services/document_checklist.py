"""A request's documents against its service's list: which are present, which the office lists,
where each stands on the citizen's pages, and which required ones are still missing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chalicelib.domain.catalogue import Document, Service
from chalicelib.domain.documents import PRESENT, REJECTIONS_AR, DocumentStatus, Rejection
from chalicelib.domain.documents import missing_documents as documents_missing
from chalicelib.services.catalogue import service_in_force
from chalicelib.store.documents import DocumentRecord, documents_of
from chalicelib.store.requests.request import RequestRecord


def present_codes(records: Iterable[DocumentRecord]) -> set[str]:
    return {record.document for record in records if DocumentStatus(record.status) in PRESENT}


def missing_documents(request: RequestRecord) -> list[Document]:
    """The required documents neither clean online nor received at a window."""
    return documents_missing(service_of(request).documents, present_codes(documents_of(request.tracking_number)))


def office_document_list(tracking_number: str) -> list[DocumentRecord]:
    """What the office view lists (docs/interfaces.md#documents): every upload that arrived and every paper received."""
    return [record for record in documents_of(tracking_number) if record.status != DocumentStatus.AWAITING_UPLOAD.value]


@dataclass(frozen=True)
class DocumentState:
    """One of a service's documents as the citizen's pages show it."""

    document: Document
    status: DocumentStatus
    rejection_ar: str | None

    @property
    def can_upload(self) -> bool:
        return self.status in (DocumentStatus.AWAITING_UPLOAD, DocumentStatus.REJECTED)


def citizen_document_states(tracking_number: str, service: Service) -> list[DocumentState]:
    """Each listed document and where it stands: the best of its uploads and receipts."""
    by_code: dict[str, list[DocumentRecord]] = {}
    for record in documents_of(tracking_number):
        by_code.setdefault(record.document, []).append(record)
    rank = [DocumentStatus.CLEAN, DocumentStatus.RECEIVED_AT_WINDOW, DocumentStatus.UPLOADED, DocumentStatus.REJECTED]
    states = []
    for document in service.documents:
        statuses = [DocumentStatus(record.status) for record in by_code.get(document.code, [])]
        best = next((status for status in rank if status in statuses), DocumentStatus.AWAITING_UPLOAD)
        rejection = None
        if best is DocumentStatus.REJECTED:
            latest = by_code[document.code][-1]
            rejection = REJECTIONS_AR[Rejection(latest.rejection)] if latest.rejection else None
        states.append(DocumentState(document=document, status=best, rejection_ar=rejection))
    return states


def service_of(request: RequestRecord) -> Service:
    """The service a stored request is judged by: the one in force on the day it was filed."""
    service = service_in_force(request.service_code, request.submitted_at)
    if service is None:
        raise RuntimeError(f"a stored request names an unknown service {request.service_code}")
    return service


def catalogue_document(service: Service, code: str) -> Document:
    """The service's listed document of this code."""
    return next(document for document in service.documents if document.code == code)


def document_of_service(request: RequestRecord, code: str) -> Document:
    return catalogue_document(service_of(request), code)
