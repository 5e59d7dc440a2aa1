"""Documents online (docs/interfaces.md#documents): the citizen's upload forms and the page S3 returns to.

Without JavaScript: the confirmation and track pages offer one small form («ارفع المستندات», the
national ID's last four digits carried) that posts here; the answer is a page with one form per
document still missing, each posting its file straight to S3 with its own presigned POST, and S3
redirects the browser back to `.../documents/{document_id}/uploaded`, which says what was received
and shows the page's remaining forms again. A page holds UPLOAD_FORMS_PER_PAGE forms at most (the
portal's weight budget) and says how many documents come next. With JavaScript, upload.js sends the
chosen files one after the other from the upload page, without leaving it, then shows the next forms.

Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.forms import form_fields, or_form_page
from chalicelib.api.http.pages import answers_with_pages, html_response, site
from chalicelib.api.http.responses import answers_errors, json_response
from chalicelib.config import PUBLIC_API_URL, portal_settings
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound

if TYPE_CHECKING:
    from chalicelib.services.document_uploads import UploadBatch

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
    """The track or confirmation page's «ارفع المستندات»: one page with a form per document the
    request may still take, each posting its file straight to S3."""
    from chalicelib.portal import render
    from chalicelib.services.document_uploads import offer_uploads

    fields = form_fields(request)
    tracking_number = (request.uri_params or {}).get("tracking_number", "")
    try:
        batch = offer_uploads(tracking_number, fields.get("national_id_last4", ""), datetime.now(UTC),
                              redirect_base_url(request))  # fmt: skip
    except (InvalidInput, NotFound, Conflict) as refusal:
        return html_response(render.problem_page(site(), refusal.message_ar), 400)
    return _with_upload_forms(render.upload_page(site(), tracking_number, batch), batch)


def _with_upload_forms(page: str, batch: UploadBatch) -> Response:
    """A page whose forms post to the bucket: its CSP names the bucket for them, and for the
    script that sends them one after the other without leaving the page."""
    if not batch.shown:
        return html_response(page)
    target = urlsplit(batch.shown[0].upload["url"])
    bucket = f"{target.scheme}://{target.netloc}"
    return html_response(page, leaves_for=bucket, connects_to=bucket)


@documents_api.route(
    "/v1/requests/{tracking_number}/documents", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True
)
@or_form_page(upload_form_page, documents_api)
@answers_errors
def offer_upload(tracking_number: str) -> Response:
    from chalicelib.api.http.document_views import upload_offer_answer
    from chalicelib.services.document_uploads import offer_upload as offer

    request = documents_api.current_request
    offered = offer(tracking_number, json_object(request), datetime.now(UTC), redirect_base_url(request))
    return json_response(upload_offer_answer(offered), status_code=201)


@documents_api.route("/v1/requests/{tracking_number}/documents/{document_id}/uploaded", methods=["GET"], cors=True)
def uploaded(tracking_number: str, document_id: str) -> Response:
    return uploaded_page(documents_api.current_request)


@answers_with_pages
def uploaded_page(request: Request) -> Response:
    """What was received, and the page's forms for the documents still without a file."""
    from chalicelib.portal import render
    from chalicelib.services.document_uploads import slots_still_open, upload_outcome

    params = request.uri_params or {}
    tracking_number, document_id = params.get("tracking_number", ""), params.get("document_id", "")
    try:
        outcome = upload_outcome(tracking_number, document_id)
    except NotFound as missing:
        return html_response(render.problem_page(site(), missing.message_ar), 404)
    batch = slots_still_open(tracking_number, document_id, datetime.now(UTC), redirect_base_url(request))
    return _with_upload_forms(render.uploaded_page(site(), outcome, batch), batch)
