"""The district offices' API (CONTRACT.md): every route behind the staff token authorizer.

Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py); so does the
authorizer, which API Gateway runs as a Lambda function of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import AuthResponse, Blueprint, Response
from chalice.app import AuthRequest

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.responses import answers_errors, json_response
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


@office_api.route("/v1/office/requests", methods=["POST"], authorizer=staff_token, content_types=ACCEPTED_MEDIA_TYPES)
@answers_errors
def intake() -> Response:
    from chalicelib.api.http.receipts import render_receipt
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
@answers_errors
def queue() -> Response:
    from chalicelib.services.office_queue import view_queue

    return json_response(view_queue(_caller(), office_api.current_request.query_params or {}, datetime.now(UTC)))


@office_api.route("/v1/office/requests/{tracking_number}", methods=["GET"], authorizer=staff_token)
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
@answers_errors
def documents_received(tracking_number: str) -> Response:
    from chalicelib.services.office_documents import record_paper

    body = json_object(office_api.current_request)
    return json_response(record_paper(_caller(), tracking_number, body, datetime.now(UTC)))


@office_api.route("/v1/office/requests/{tracking_number}/documents/{document_id}", methods=["GET"],
                  authorizer=staff_token)  # fmt: skip
@answers_errors
def open_one_document(tracking_number: str, document_id: str) -> Response:
    from chalicelib.services.office_documents import open_document

    link = open_document(_caller(), tracking_number, document_id, datetime.now(UTC))
    return Response(body="", status_code=303, headers={"Location": link, "Cache-Control": "no-store"})
