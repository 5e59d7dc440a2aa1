"""Documents online (docs/interfaces.md#documents): the citizen's upload forms and the page S3 returns to.

Without JavaScript: the confirmation and track pages offer, per missing document, a small form
(which document, which kind of file) that posts here; the answer is a page whose form posts the
file straight to S3 with a presigned POST, and S3 redirects the browser back to
`.../documents/{document_id}/uploaded`, which says what was received.

Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.forms import form_fields, or_form_page
from chalicelib.api.http.pages import answers_with_pages, html_response, site
from chalicelib.api.http.responses import answers_errors, json_response
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
    from chalicelib.services.documents import offer_upload

    fields = form_fields(request)
    tracking_number = (request.uri_params or {}).get("tracking_number", "")
    body = {
        "national_id_last4": fields.get("national_id_last4", ""),
        "document": fields.get("document", ""),
        "content_type": fields.get("content_type", ""),
    }
    try:
        offered = offer_upload(tracking_number, body, datetime.now(UTC), redirect_base_url(request))
    except (InvalidInput, NotFound, Conflict) as refusal:
        return html_response(render.problem_page(site(), refusal.message_ar), 400)
    upload = offered.answer["upload"]
    page = render.upload_page(site(), offered.tracking_number, offered.document, body["content_type"], upload,
                              national_id_last4=body["national_id_last4"])  # fmt: skip
    target = urlsplit(upload["url"])
    return html_response(page, leaves_for=f"{target.scheme}://{target.netloc}")


@documents_api.route(
    "/v1/requests/{tracking_number}/documents", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True
)
@or_form_page(upload_form_page, documents_api)
@answers_errors
def offer_upload(tracking_number: str) -> Response:
    from chalicelib.services.documents import request_upload

    request = documents_api.current_request
    offered = request_upload(tracking_number, json_object(request), datetime.now(UTC), redirect_base_url(request))
    return json_response(offered, status_code=201)


@documents_api.route("/v1/requests/{tracking_number}/documents/{document_id}/uploaded", methods=["GET"], cors=True)
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
