"""The district offices' API (CONTRACT.md): every route behind the staff token authorizer.

Each view imports its service when it first runs (see chalicelib/api/citizen.py); so does the
authorizer, which API Gateway runs as a Lambda function of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import AuthResponse, Blueprint, Response
from chalice.app import AuthRequest

from chalicelib.api.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.openapi import (
    Parameter,
    documented,
    error_answer,
    json_answer,
    json_body,
    redirect_answer,
    ref,
    with_busy,
)
from chalicelib.api.openapi.schemas import (
    EXAMPLE_APPLICATION,
    IDEMPOTENCY_KEY_PARAMETER,
    STATUS_SCHEMA,
    TRACKING_NUMBER_PARAMETER,
)
from chalicelib.api.responses import answers_errors, json_response
from chalicelib.config import staff_token_settings
from chalicelib.domain.staff import Role, StaffMember
from chalicelib.observability.audit import audit, audit_logger
from chalicelib.observability.logs import logger

office_api = Blueprint(__name__)


@office_api.authorizer()
def staff_token(auth_request: AuthRequest) -> AuthResponse:
    """Built-in authorizer: enforced by API Gateway, by `chalice local` and by the test client."""
    from chalicelib.adapters.staff_tokens import InvalidToken, verify_staff_token

    for each in (logger, audit_logger):
        each.clear_state()  # it runs before the request's own logging context exists
    scheme, _, credentials = (auth_request.token or "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise _unauthorized()
    try:
        staff = verify_staff_token(credentials.strip(), staff_token_settings())
    except InvalidToken as refusal:
        audit("staff_token_refused", reason=str(refusal))
        raise _unauthorized() from None
    # The whole office API at once: API Gateway caches this answer per token.
    return AuthResponse(
        routes=["*"],
        principal_id=staff.principal,
        context={"role": staff.role.value, "district_code": staff.district_code or ""},
    )


def _unauthorized() -> Exception:
    """API Gateway answers 401 when a token authorizer fails with exactly "Unauthorized";
    chalice's local gateway (chalice local, the test client) needs its own exception for it."""
    try:
        from chalice.local import NotAuthorizedError
    except ImportError:  # deployed: chalice.local is not packaged
        return Exception("Unauthorized")
    return NotAuthorizedError({"x-amzn-ErrorType": "UnauthorizedException"}, b'{"message":"Unauthorized"}')


def _caller() -> StaffMember:
    context = office_api.current_request.context["authorizer"]
    return StaffMember(
        principal=context["principalId"],
        role=Role(context["role"]),
        district_code=context["district_code"] or None,
    )


_FORBIDDEN = error_answer("The caller's role may not do this", "forbidden")
_NO_SUCH_REQUEST = error_answer("No such request in the caller's districts", "not_found")
_BODY_REFUSED = {
    413: error_answer("The body is larger than 64 KB", "body_too_large"),
    415: error_answer("Not JSON", "unsupported_media_type"),
}
_OFFICE_VIEW = json_answer("The request as the back office sees it", ref("OfficeRequest"))


@office_api.route("/v1/office/requests", methods=["POST"], authorizer=staff_token, content_types=ACCEPTED_MEDIA_TYPES)
@documented(
    "File a request at the one window (clerk, manager)",
    tag="office",
    description="The citizen's own validation and idempotency; the request is recorded as the window's, "
    "by whom, with the paper documents handed in, and answered with a printable receipt.",
    parameters=(IDEMPOTENCY_KEY_PARAMETER,),
    body=json_body(
        "An application for any active district (any window serves the governorate), with the paper "
        "documents handed in, by their positions in the service's document list; `receipt_by_message` "
        "when the citizen wants 'received' by message besides the printed receipt",
        {"allOf": [ref("Application"), {"type": "object", "properties": {
            "documents_received": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "receipt_by_message": {"type": "boolean"}}}]},
        {**EXAMPLE_APPLICATION, "documents_received": [0, 2]},
    ),
    answers=with_busy({
        201: json_answer("Filed", {"allOf": [ref("SubmissionAnswer"), {"type": "object", "properties": {
            "receipt_html": {"type": "string"}}, "required": ["receipt_html"]}]}),
        400: error_answer("Invalid application", "invalid_fields"),
        403: _FORBIDDEN,
        **_BODY_REFUSED,
        422: error_answer("This Idempotency-Key came with another body", "idempotency_key_reused"),
    }),
)  # fmt: skip
@answers_errors
def intake() -> Response:
    from chalicelib.api.receipts import render_receipt
    from chalicelib.domain.idempotency import read_idempotency_key
    from chalicelib.services.intake import file_at_window

    request = office_api.current_request
    filed = file_at_window(
        _caller(),
        json_object(request),
        read_idempotency_key(request.headers.get("idempotency-key")),
        datetime.now(UTC),
    )
    return json_response({**filed.answer, "receipt_html": render_receipt(filed)}, status_code=201)


@office_api.route("/v1/office/requests", methods=["GET"], authorizer=staff_token)
@documented(
    "A district's queue in one status, most urgent first",
    tag="office",
    parameters=(
        Parameter("status", "query", "The status of the queue", required=True, example="in_review"),
        Parameter("district", "query", "The district (headquarters must name one)", example="dokki"),
        Parameter("department", "query", "Only this department's requests"),
        Parameter("page_size", "query", "1 to 100 (25)", example="25"),
        Parameter("cursor", "query", "`next_cursor` of the page before"),
    ),
    answers=with_busy({
        200: json_answer("One page", {"type": "object", "properties": {
            "district_code": {"type": "string"}, "status": {"type": "string"},
            "department": {"type": ["string", "null"]},
            "requests": {"type": "array", "items": {"type": "object"}},
            "next_cursor": {"type": ["string", "null"]}}, "required": ["requests", "next_cursor"]}),
        400: error_answer("Invalid status, district, page size or cursor", "invalid_fields"),
        403: _FORBIDDEN,
    }),
)  # fmt: skip
@answers_errors
def queue() -> Response:
    from chalicelib.services.office_queue import view_queue

    return json_response(view_queue(_caller(), office_api.current_request.query_params or {}, datetime.now(UTC)))


@office_api.route("/v1/office/requests/{tracking_number}", methods=["GET"], authorizer=staff_token)
@documented(
    "One request, without who asked; its `version` is what a move must name",
    tag="office",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    answers=with_busy({200: _OFFICE_VIEW, 403: _FORBIDDEN, 404: _NO_SUCH_REQUEST}),
)
@answers_errors
def one_request(tracking_number: str) -> Response:
    from chalicelib.services.office import view_request

    return json_response(view_request(_caller(), tracking_number, datetime.now(UTC)))


@office_api.route(
    "/v1/office/requests/{tracking_number}/transitions",
    methods=["POST"],
    authorizer=staff_token,
    content_types=ACCEPTED_MEDIA_TYPES,
)
@documented(
    "Move a request to another status",
    tag="office",
    description="Refused with 409 (and the request as it stands) when its version moved on since it was read, "
    "or when its status cannot go there.",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("The move", {"type": "object", "properties": {
        "to": STATUS_SCHEMA, "note": {"type": "string"},
        "message_to_citizen": {"type": "string"}, "version": {"type": "integer"}},
        "required": ["to", "note", "version"]},
        {"to": "needs_info", "note": "الرسم الكروكي غير واضح", "version": 2,
         "message_to_citizen": "يرجى إرفاق رسم كروكي أوضح للمحل."}),
    answers=with_busy({
        200: _OFFICE_VIEW,
        400: error_answer("Invalid move", "invalid_fields"),
        403: _FORBIDDEN,
        404: _NO_SUCH_REQUEST,
        409: error_answer("Stale version, or a move the status does not allow", "stale_version"),
        **_BODY_REFUSED,
    }),
)  # fmt: skip
@answers_errors
def transition(tracking_number: str) -> Response:
    from chalicelib.services.office import move_request

    body = json_object(office_api.current_request)
    return json_response(move_request(_caller(), tracking_number, body, datetime.now(UTC)))


@office_api.route(
    "/v1/office/requests/{tracking_number}/identity",
    methods=["POST"],
    authorizer=staff_token,
    content_types=ACCEPTED_MEDIA_TYPES,
)
@documented(
    "Who asked (manager, with a reason that is recorded first)",
    tag="office",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("Why", {"type": "object", "properties": {"reason": {"type": "string"}},
                           "required": ["reason"]}, {"reason": "التواصل مع مقدم الطلب بشأن موعد المعاينة"}),
    answers=with_busy({
        200: json_answer("The applicant", {"type": "object", "properties": {
            "tracking_number": {"type": "string"}, "full_name": {"type": "string"},
            "national_id": {"type": "string"}, "phone": {"type": "string"}},
            "required": ["tracking_number", "full_name", "national_id", "phone"]}),
        400: error_answer("No reason given", "invalid_fields"),
        403: _FORBIDDEN,
        404: _NO_SUCH_REQUEST,
        **_BODY_REFUSED,
    }),
)  # fmt: skip
@answers_errors
def identity(tracking_number: str) -> Response:
    from chalicelib.services.office import reveal_identity

    body = json_object(office_api.current_request)
    return json_response(reveal_identity(_caller(), tracking_number, body, datetime.now(UTC)))


@office_api.route(
    "/v1/office/requests/{tracking_number}/erasure",
    methods=["POST"],
    authorizer=staff_token,
    content_types=ACCEPTED_MEDIA_TYPES,
)
@documented(
    "Erase who asked, on the data subject's request (manager, audited)",
    tag="office",
    description="Deletes the applicant; the request and its history stay, without identity. Asking again "
    "answers the same and writes nothing.",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("The data subject's request", {"type": "object", "properties": {"reason": {"type": "string"}},
                   "required": ["reason"]}, {"reason": "طلب صاحب البيانات رقم 2026/118 بحذف بياناته"}),
    answers=with_busy({
        200: json_answer("Erased", {"type": "object", "properties": {
            "tracking_number": {"type": "string"}, "identity_erased": {"type": "boolean"},
            "version": {"type": "integer"}}, "required": ["tracking_number", "identity_erased", "version"]}),
        400: error_answer("No reason given", "invalid_fields"),
        403: _FORBIDDEN,
        404: _NO_SUCH_REQUEST,
        409: error_answer("The identity was already deleted after its retention, or the request changed",
                          "identity_erased"),
        **_BODY_REFUSED,
    }),
)  # fmt: skip
@answers_errors
def erasure(tracking_number: str) -> Response:
    """A data subject's request to erase their identity: a manager of the district, audited."""
    from chalicelib.services.office import erase_identity

    body = json_object(office_api.current_request)
    return json_response(erase_identity(_caller(), tracking_number, body, datetime.now(UTC)))


@office_api.route(
    "/v1/office/requests/{tracking_number}/transfer",
    methods=["POST"],
    authorizer=staff_token,
    content_types=ACCEPTED_MEDIA_TYPES,
)
@documented(
    "Move a misrouted request to another district (hq)",
    tag="office",
    description="Version-checked and audited; the citizen is told by SMS; the deadline becomes the later of "
    "the original one and the service's full deadline counted from the transfer day (README).",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("Where and why", {"type": "object", "properties": {
        "to_district": {"type": "string"}, "reason": {"type": "string"}, "version": {"type": "integer"}},
        "required": ["to_district", "reason", "version"]},
        {"to_district": "omraniya", "reason": "العقار يقع في نطاق حي العمرانية", "version": 1}),
    answers=with_busy({
        200: _OFFICE_VIEW,
        400: error_answer("Invalid district, reason or version", "invalid_fields"),
        403: _FORBIDDEN,
        404: _NO_SUCH_REQUEST,
        409: error_answer("Stale version, the same district, or a finished request", "stale_version"),
        **_BODY_REFUSED,
    }),
)  # fmt: skip
@answers_errors
def transfer(tracking_number: str) -> Response:
    from chalicelib.services.office import transfer_request

    body = json_object(office_api.current_request)
    return json_response(transfer_request(_caller(), tracking_number, body, datetime.now(UTC)))


@office_api.route(
    "/v1/office/requests/{tracking_number}/documents/received",
    methods=["POST"],
    authorizer=staff_token,
    content_types=ACCEPTED_MEDIA_TYPES,
)
@documented(
    "Record paper documents handed in at the window (clerk, manager of the owning district)",
    tag="office",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("The documents, by their codes", {"type": "object", "properties": {
        "documents": {"type": "array", "items": {"type": "string"}}, "version": {"type": "integer"}},
        "required": ["documents", "version"]}, {"documents": ["shop_deed_or_lease"], "version": 1}),
    answers=with_busy({
        200: _OFFICE_VIEW,
        400: error_answer("Unknown document codes or no version", "invalid_fields"),
        403: _FORBIDDEN,
        404: _NO_SUCH_REQUEST,
        409: error_answer("Stale version", "stale_version"),
        **_BODY_REFUSED,
    }),
)  # fmt: skip
@answers_errors
def documents_received(tracking_number: str) -> Response:
    from chalicelib.services.office_documents import record_paper

    body = json_object(office_api.current_request)
    return json_response(record_paper(_caller(), tracking_number, body, datetime.now(UTC)))


@office_api.route("/v1/office/requests/{tracking_number}/documents/{document_id}", methods=["GET"],
                  authorizer=staff_token)  # fmt: skip
@documented(
    "Open a clean document (officer, manager, hq): a presigned link valid for 5 minutes",
    tag="office",
    description="Only `clean` documents open; a copy of an identity document only for the member of staff who "
    "revealed the applicant. Every opening is recorded in the request's history.",
    parameters=(TRACKING_NUMBER_PARAMETER,
                Parameter("document_id", "path", "The document's id (32 hex digits)", required=True,
                          example="0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e0f")),
    answers=with_busy({
        303: redirect_answer("The document itself, through a presigned GET expiring within 5 minutes"),
        403: _FORBIDDEN,
        404: _NO_SUCH_REQUEST,
        409: error_answer("Not checked clean (yet)", "document_not_clean"),
    }),
)  # fmt: skip
@answers_errors
def open_one_document(tracking_number: str, document_id: str) -> Response:
    from chalicelib.services.office_documents import open_document

    link = open_document(_caller(), tracking_number, document_id, datetime.now(UTC))
    return Response(body="", status_code=303, headers={"Location": link, "Cache-Control": "no-store"})
