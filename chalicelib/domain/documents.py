"""The documents a request needs: what may be uploaded, how an upload is judged, what is missing.

A document's life: a citizen asks to upload (`awaiting_upload`, never shown to staff); S3 tells
us the file arrived and its size and first bytes are checked again (`uploaded`, or `rejected`);
the malware scan decides (`clean` or `rejected`). Paper handed in at the window is
`received_at_window`. A required document counts as present when it is `clean` or received.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from chalicelib.domain.catalogue import Document, Service
from chalicelib.domain.errors import FieldProblem, invalid_fields
from chalicelib.domain.statuses import Status

# What a file may be, by the type its first bytes show, and the name the citizen reads.
ACCEPTED_TYPES: dict[str, str] = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
LARGEST_FILE_BYTES = 10 * 1024 * 1024
# The extension of the name a stored file is shown under, by its type.
_EXTENSIONS: dict[str, str] = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# The bytes each accepted type begins with; all three are at most 8 long.
_SIGNATURES: dict[bytes, str] = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}
SNIFFED_BYTES = 8
# A request takes documents while it is being worked on; once reviewed (approved, rejected,
# ready) or finished, no more.
TAKES_UPLOADS = frozenset({Status.SUBMITTED, Status.AWAITING_PAYMENT, Status.IN_REVIEW, Status.NEEDS_INFO})
# Upload slots a request is offered in all: each listed document (a handful) with room for a few
# rejected files; a citizen beyond it hands the rest in at the window.
UPLOAD_OFFERS_PER_REQUEST = 20
# Upload forms on one page: each carries its own presigned POST (its slot's key, and the Lambda
# role's session token twice, in its field and in the policy), about 3 KB gzipped for the first and
# 0.3 KB for each further one; the page must stay within the portal's budget (portal_site/budget.py).
# The page's other documents come once these are sent.
UPLOAD_FORMS_PER_PAGE = 4


class DocumentStatus(StrEnum):
    AWAITING_UPLOAD = "awaiting_upload"
    UPLOADED = "uploaded"
    CLEAN = "clean"
    REJECTED = "rejected"
    RECEIVED_AT_WINDOW = "received_at_window"


PRESENT = frozenset({DocumentStatus.CLEAN, DocumentStatus.RECEIVED_AT_WINDOW})

STATUS_NAMES_AR: dict[DocumentStatus, str] = {
    DocumentStatus.AWAITING_UPLOAD: "لم يُرفع بعد",
    DocumentStatus.UPLOADED: "وصل ويجري فحصه",
    DocumentStatus.CLEAN: "وصل وقُبل",
    DocumentStatus.REJECTED: "رُفض، ارفعه مرة أخرى",
    DocumentStatus.RECEIVED_AT_WINDOW: "سُلّم ورقيًا في الشباك",
}


class Rejection(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    WRONG_TYPE = "wrong_type"
    MALWARE = "malware"
    UNSCANNABLE = "unscannable"


REJECTIONS_AR: dict[Rejection, str] = {
    Rejection.EMPTY: "الملف فارغ.",
    Rejection.TOO_LARGE: "الملف أكبر من 10 ميجابايت.",
    Rejection.WRONG_TYPE: "الملف ليس PDF أو صورة JPEG أو PNG.",
    Rejection.MALWARE: "وُجد في الملف ما يضر، فلم يُقبل.",
    Rejection.UNSCANNABLE: "تعذر فحص الملف (قد يكون محميًا بكلمة مرور).",
}


@dataclass(frozen=True)
class UploadRequest:
    """An upload a citizen announces: which document, and as what kind of file."""

    document: Document
    file_name: str  # built from the document's kind (document_file_name), never the citizen's own
    content_type: str


def read_upload_request(body: Mapping[str, Any], service: Service) -> UploadRequest:
    """Which of the service's documents, what kind of file and how large, as the citizen declares
    them; the POST policy then holds the file to the type and size, and its arrival is checked."""
    problems: dict[str, FieldProblem] = {}
    codes = {document.code: document for document in service.documents}
    document = codes.get(body.get("document")) if isinstance(body.get("document"), str) else None
    if document is None:
        problems["document"] = FieldProblem(
            "اختر مستندًا من مستندات الخدمة.", "Choose one of the documents the service lists."
        )
    content_type = body.get("content_type")
    if not isinstance(content_type, str) or content_type not in ACCEPTED_TYPES:
        problems["content_type"] = FieldProblem(
            "يُقبل ملف PDF أو صورة JPEG أو PNG فقط.", "Only PDF, JPEG and PNG files are accepted."
        )
    size = body.get("size_bytes")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or not 0 < size <= LARGEST_FILE_BYTES):
        problems["size_bytes"] = FieldProblem(
            "حجم الملف يجب ألا يزيد على 10 ميجابايت.", "A file must be larger than 0 bytes and at most 10 MB."
        )
    if problems or document is None:
        raise invalid_fields(problems)
    # The citizen's own `file_name` is read by nobody: it may hold a national ID ("بطاقة 2900….png").
    return UploadRequest(
        document=document,
        file_name=document_file_name(document.code, str(content_type)),
        content_type=str(content_type),
    )


def document_file_name(code: str, content_type: str) -> str:
    """The name a stored file is shown and downloaded under: its document's kind and its type,
    never the name the citizen gave it (which may hold personal data)."""
    return f"{code}.{_EXTENSIONS.get(content_type, 'bin')}"


def sniffed_type(first_bytes: bytes) -> str | None:
    """The accepted type a file's first bytes show, whatever its name or declared type."""
    return next((kind for signature, kind in _SIGNATURES.items() if first_bytes.startswith(signature)), None)


def check_arrival(declared_type: str | None, size_bytes: int, first_bytes: bytes) -> Rejection | None:
    """A file as S3 holds it, judged again: what the policy enforces in AWS, and what no policy
    can (the type the content really is). `declared_type` None: a slot offered by the upload page,
    which asks for no type, takes any accepted type its first bytes show (arrived_type)."""
    if size_bytes <= 0:
        return Rejection.EMPTY
    if size_bytes > LARGEST_FILE_BYTES:
        return Rejection.TOO_LARGE
    sniffed = sniffed_type(first_bytes)
    if sniffed is None or (declared_type is not None and sniffed != declared_type):
        return Rejection.WRONG_TYPE
    return None


def arrived_type(declared_type: str | None, first_bytes: bytes) -> str | None:
    """The type a checked file is kept, shown and opened as: the one declared, or else its bytes'."""
    return declared_type or sniffed_type(first_bytes)


# GuardDuty Malware Protection for S3's result (its object tag and its EventBridge event).
GUARDDUTY_STATUS_TAG = "GuardDutyMalwareScanStatus"
_VERDICTS: dict[str, Rejection | None] = {
    "NO_THREATS_FOUND": None,
    "THREATS_FOUND": Rejection.MALWARE,
    "UNSUPPORTED": Rejection.UNSCANNABLE,
}


def scan_verdict(scan_status: str) -> tuple[bool, Rejection | None]:
    """(decided, rejection): ACCESS_DENIED and FAILED decide nothing, the file stays unopened and
    operations are alerted; anything unknown is treated alike."""
    if scan_status in _VERDICTS:
        return True, _VERDICTS[scan_status]
    return False, None


def missing_documents(service_documents: Iterable[Document], present_codes: set[str]) -> list[Document]:
    """The required documents neither clean online nor received at the window, in the list's order."""
    return [document for document in service_documents if document.required and document.code not in present_codes]


def needs_info_message(officer_message: str | None, missing: list[Document]) -> str | None:
    """What the citizen reads with `needs_info`: the officer's words, then the missing documents by name."""
    parts = [officer_message] if officer_message else []
    if missing:
        parts.append("المستندات الناقصة: " + "، ".join(document.name_ar for document in missing) + ".")
        parts.append("ارفعها من صفحة متابعة الطلب أو سلّمها في الشباك.")
    return " ".join(parts) or None


@dataclass(frozen=True)
class PaperReceived:
    """Paper documents handed in at a window, on the version of the request the clerk saw."""

    documents: tuple[Document, ...]
    version: int


def read_paper_received(body: Mapping[str, Any], service: Service) -> PaperReceived:
    """Paper handed in at the window, by the codes of the service's documents, on the version seen."""
    problems: dict[str, FieldProblem] = {}
    codes = {document.code: document for document in service.documents}
    raw = body.get("documents")
    if not isinstance(raw, list) or not raw or not all(isinstance(code, str) and code in codes for code in raw):
        problems["documents"] = FieldProblem(
            "اختر المستندات المستلمة من قائمة مستندات الخدمة.", "List the documents received by their codes."
        )
    version = body.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems["version"] = FieldProblem(
            "أرسل رقم إصدار الطلب كما ظهر لك.", "Send the request's version as you last saw it."
        )
    if problems or not isinstance(raw, list) or not isinstance(version, int):
        raise invalid_fields(problems)
    wanted = set(raw)
    return PaperReceived(documents=tuple(d for d in service.documents if d.code in wanted), version=version)
