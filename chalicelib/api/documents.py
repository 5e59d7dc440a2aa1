"""Documents online (CONTRACT.md "Documents"): the citizen's upload forms and the page S3 returns to.

Without JavaScript: the confirmation and track pages offer, per missing document, a small form
(which document, which kind of file) that posts here; the answer is a page whose form posts the
file straight to S3 with a presigned POST, and S3 redirects the browser back to
`.../documents/{document_id}/uploaded`, which says what was received.

Each view imports its service when it first runs (see chalicelib/api/citizen.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.forms import form_fields, or_form_page
from chalicelib.api.openapi import Parameter, documented, error_answer, html_answer, json_answer, json_body, with_busy
from chalicelib.api.openapi.schemas import TRACKING_NUMBER_PARAMETER
from chalicelib.api.pages import answers_with_pages, html_response, site
from chalicelib.api.responses import answers_errors, json_response
from chalicelib.config import PUBLIC_API_URL, portal_settings
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound

documents_api = Blueprint(__name__)


def redirect_base_url(request: Request) -> str:
    """Where S3 sends the browser back to: an absolute URL of this API. A deployed stage reads its
    public address from the SSM parameter the stack writes (PUBLIC_API_URL_PARAMETER), here, where
    it is needed, and not at start-up: a container that never builds an upload never reads it.
    Locally (and in tests) PUBLIC_API_URL or the API's own base URL, absolute already, serves."""
    from chalicelib.adapters.secrets import deployed_value

    public = (deployed_value(PUBLIC_API_URL) or "").rstrip("/")
    configured = public or portal_settings().api_base_url
    if configured:
        return configured
    headers = request.headers
    return f"{headers.get('x-forwarded-proto', 'https')}://{headers.get('host', '')}"


@answers_with_pages
def upload_form_page(request: Request) -> Response:
    """The track or confirmation page's "next: choose the file": the page with the S3 form."""
    from chalicelib.portal import render
    from chalicelib.services.documents import document_of_service, request_upload
    from chalicelib.store.requests.request import load_request_record

    fields = form_fields(request)
    tracking_number = (request.uri_params or {}).get("tracking_number", "")
    body = {
        "national_id_last4": fields.get("national_id_last4", ""),
        "document": fields.get("document", ""),
        "content_type": fields.get("content_type", ""),
    }
    try:
        offered = request_upload(tracking_number, body, datetime.now(UTC), redirect_base_url(request))
    except (InvalidInput, NotFound, Conflict) as refusal:
        return html_response(render.problem_page(site(), refusal.message_ar), 400)
    record = load_request_record(tracking_number)
    if record is None:
        return html_response(render.problem_page(site(), NotFound().message_ar), 404)
    document = document_of_service(record, body["document"])
    page = render.upload_page(site(), record.tracking_number, document, body["content_type"], offered["upload"],
                              national_id_last4=body["national_id_last4"])  # fmt: skip
    target = urlsplit(offered["upload"]["url"])
    return html_response(page, leaves_for=f"{target.scheme}://{target.netloc}")


@documents_api.route(
    "/v1/requests/{tracking_number}/documents", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True
)
@documented(
    "Upload one of the request's documents: a presigned POST a plain HTML form can use",
    tag="citizen",
    description="PDF, JPEG or PNG, at most 10 MB: the POST policy pins the key, the declared type, the size "
    "range and the redirect back. The track and confirmation pages post here as a form (which document, which "
    "kind of file) and get the page with the S3 form.",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body("Which document, and the file as declared", {"type": "object", "properties": {
        "national_id_last4": {"type": "string"}, "document": {"type": "string"}, "file_name": {"type": "string"},
        "content_type": {"enum": ["application/pdf", "image/jpeg", "image/png"]},
        "size_bytes": {"type": "integer", "minimum": 1, "maximum": 10485760}},
        "required": ["national_id_last4", "document", "content_type"]},
        {"national_id_last4": "2349", "document": "shop_deed_or_lease", "file_name": "عقد الإيجار.pdf",
         "content_type": "application/pdf", "size_bytes": 482133},
        form={"type": "object", "additionalProperties": {"type": "string"}}),
    answers=with_busy({
        201: json_answer("The upload form's target and fields", {"type": "object", "properties": {
            "document_id": {"type": "string"}, "upload": {"type": "object", "properties": {
                "url": {"type": "string"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}}},
                "required": ["url", "fields"]}}, "required": ["document_id", "upload"]}),
        200: html_answer("The page with the S3 upload form (a form post)"),
        400: error_answer("Invalid document, type, size or digits", "invalid_fields")
        | html_answer("A page saying why (a form post)"),
        404: error_answer("No request matches these details", "not_found"),
        409: error_answer("The request is finished", "request_finished"),
        429: error_answer("Too many failed attempts on this tracking number this hour, issued or not",
                          "too_many_attempts") | html_answer("A page saying when to return (a form post)"),
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
    }, pages=True),
)  # fmt: skip
@or_form_page(upload_form_page, documents_api)
@answers_errors
def offer_upload(tracking_number: str) -> Response:
    from chalicelib.services.documents import request_upload

    request = documents_api.current_request
    offered = request_upload(tracking_number, json_object(request), datetime.now(UTC), redirect_base_url(request))
    return json_response(offered, status_code=201)


@documents_api.route("/v1/requests/{tracking_number}/documents/{document_id}/uploaded", methods=["GET"], cors=True)
@documented(
    "Where S3 sends the browser back after an upload: a page saying what was received",
    tag="portal",
    parameters=(
        TRACKING_NUMBER_PARAMETER,
        Parameter("document_id", "path", "The upload's id (32 hex digits)", required=True,
                  example="0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e0f"),
        Parameter("key", "query", "Added by S3"),
        Parameter("bucket", "query", "Added by S3"),
        Parameter("etag", "query", "Added by S3"),
    ),
    answers=with_busy({200: html_answer("What was received"), 404: html_answer("No such upload")}, pages=True),
)  # fmt: skip
def uploaded(tracking_number: str, document_id: str) -> Response:
    return uploaded_page(documents_api.current_request)


@answers_with_pages
def uploaded_page(request: Request) -> Response:
    from chalicelib.portal import render
    from chalicelib.services.documents import upload_outcome

    params = request.uri_params or {}
    try:
        outcome = upload_outcome(params.get("tracking_number", ""), params.get("document_id", ""))
    except NotFound as missing:
        return html_response(render.problem_page(site(), missing.message_ar), 404)
    return html_response(render.uploaded_page(site(), outcome))
