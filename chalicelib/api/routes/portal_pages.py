"""The portal's forms, answered with whole HTML pages so that they work without JavaScript.

Application: the static form posts to /v1/portal/applications, which checks the answers without writing
anything and answers "check your answers" (the answers in hidden fields, with an idempotency key made
here); that page posts to /v1/requests, which files the request through the same service as the JSON API
and answers the confirmation page. Sending the confirmation twice files nothing new: the key replays the
first answer. Tracking: the static track form posts to /v1/inquiries and gets the result page.
A form with mistakes comes back as the same form, filled in, with an error summary at the top.

The pages' templates, the catalogue and the services are imported when a form first arrives:
the JSON routes, which pass through `or_form_page` (api/http/forms.py), never load them. What every page
the API answers with shares (its security headers, a page whatever goes wrong) is api/http/pages.py.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from chalice import Blueprint, Response
from chalice.app import Request

from chalicelib.api.http.errors import retry_after_seconds
from chalicelib.api.http.forms import (
    FORM_MEDIA_TYPE,
    IDEMPOTENCY_KEY,
    STEP,
    application_body,
    form_fields,
    inquiry_body,
    sent_as_form,
)
from chalicelib.api.http.pages import UnknownChoice, answers_with_pages, card_gateway_origin, html_response, site
from chalicelib.api.http.responses import time_left_s
from chalicelib.domain.errors import InvalidInput, NotFound, TooManyRequests, Unavailable
from chalicelib.portal import urls

if TYPE_CHECKING:
    from chalicelib.domain.catalogue import District, Service

portal_api = Blueprint(__name__)

EDIT = "edit"
_NOT_A_FORM = "هذا العنوان يستقبل نموذج الطلب من صفحات البوابة. ابدأ من الصفحة الرئيسية واختر الحي ثم الخدمة."


def _chosen(fields: dict[str, str], now: datetime) -> tuple[District, Service]:
    from chalicelib.domain.calendar import cairo_today
    from chalicelib.services.catalogue import current_catalogue

    catalogue = current_catalogue()
    district = catalogue.district(fields.get("district_code", ""))
    service = catalogue.service(fields.get("service_code", ""), on=cairo_today(now))
    if district is None or service is None or not service.offered_in(district.code):
        raise UnknownChoice
    return district, service


# JSON (what a post without a Content-Type counts as) is let in to be answered with a page: Chalice's
# own 415 would be JSON of another shape.
@portal_api.route(
    "/v1/portal/applications", methods=["POST"], content_types=[FORM_MEDIA_TYPE, "application/json"], cors=True
)
def application_step() -> Response:
    request = portal_api.current_request
    if not sent_as_form(request):
        from chalicelib.portal import render

        return html_response(render.problem_page(site(), _NOT_A_FORM), 415)
    return check_application(request)


# The pages these forms answer with live at the API's URLs. Opened again later (a bookmark, a shared
# link), they are a GET, which has no answers to show: send the citizen back to the portal instead.
@portal_api.route("/v1/portal/applications", methods=["GET"], cors=True)
def application_step_reopened() -> Response:
    return _back_to_portal(urls.HOME)


@portal_api.route("/v1/requests", methods=["GET"], cors=True)
def confirmation_reopened() -> Response:
    return _back_to_portal(urls.HOME)


@portal_api.route("/v1/inquiries", methods=["GET"], cors=True)
def track_result_reopened() -> Response:
    """The track form with the number filled in (`?tracking_number=`: the receipt's QR code opens
    this, so that the number is there with JavaScript off, which a static page cannot do); else,
    a result page reopened, back to the portal's track page."""
    from chalicelib.domain.digits import digits_only
    from chalicelib.domain.tracking import is_valid_tracking_number

    number = digits_only((portal_api.current_request.query_params or {}).get("tracking_number", ""))
    if not is_valid_tracking_number(number):
        return _back_to_portal(urls.TRACK)
    from chalicelib.portal import render

    return html_response(render.track_page(site(), {"tracking_number": number}))


def _back_to_portal(path: str) -> Response:
    return Response(body="", status_code=303, headers={"Location": site().portal + path, "Cache-Control": "no-store"})


@answers_with_pages
def check_application(request: Request) -> Response:
    """The answers checked, nothing written: the form again with what is wrong, or the check page."""
    from chalicelib.domain.application import read_application
    from chalicelib.domain.calendar import cairo_today
    from chalicelib.portal import render
    from chalicelib.portal.fields import answers
    from chalicelib.services.catalogue import current_catalogue

    now = datetime.now(UTC)
    fields = form_fields(request)
    district, service = _chosen(fields, now)
    values = answers(fields, service)
    if fields.get(STEP) == EDIT:
        return html_response(render.application_page(site(), district, service, values))
    try:
        read_application(application_body(fields), current_catalogue(), cairo_today(now))
    except InvalidInput as refusal:
        return _form_again(district, service, values, refusal)
    key = f"portal-{secrets.token_urlsafe(24)}"
    return html_response(render.check_page(site(), district, service, values, key))


@answers_with_pages
def confirm_application(request: Request) -> Response:
    """Files the request the check page carries, once however often it is sent, and confirms it."""
    from chalicelib.domain.application import submission_answer
    from chalicelib.domain.digits import digits_only
    from chalicelib.domain.idempotency import read_idempotency_key
    from chalicelib.portal import render
    from chalicelib.portal.fields import answers
    from chalicelib.services.document_checklist import citizen_document_states
    from chalicelib.services.submission import ONLINE, submit_request

    now = datetime.now(UTC)
    fields = form_fields(request)
    district, service = _chosen(fields, now)
    try:
        key = read_idempotency_key(fields.get(IDEMPOTENCY_KEY) or None)
        body = application_body(fields)
        filed = submit_request(body, key, ONLINE, now)
    except InvalidInput as refusal:
        return _form_again(district, service, answers(fields, service), refusal)
    documents = citizen_document_states(filed.tracking_number, service)
    last4 = digits_only(str(body["applicant"].get("national_id", "")))[-4:]
    answer = submission_answer(filed)
    page = render.confirmation_page(site(), district, service, answer, documents, national_id_last4=last4,
                                    notify_by=str(body.get("notify_by", "sms")))  # fmt: skip
    return html_response(page, 201)


def _form_again(district: District, service: Service, values: dict[str, str], refusal: InvalidInput) -> Response:
    from chalicelib.portal import render

    errors = refusal.fields or {"": refusal.message_ar}
    page = render.application_page(site(), district, service, values, errors)
    return html_response(page, 400)


@answers_with_pages
def track_request(request: Request) -> Response:
    """The track result page, or the track form again with what is wrong (404: nothing matches)."""
    from chalicelib.api.http.request_views import inquiry_answer
    from chalicelib.domain.digits import digits_only
    from chalicelib.portal import render
    from chalicelib.services.catalogue import current_catalogue, service_in_force
    from chalicelib.services.document_checklist import citizen_document_states
    from chalicelib.services.inquiry import fee_due, inquire

    fields = inquiry_body(form_fields(request))
    try:
        standing = inquire(fields, datetime.now(UTC))
    except InvalidInput as refusal:
        return html_response(render.track_page(site(), fields, refusal.fields), 400)
    except NotFound as missing:
        return html_response(render.track_page(site(), fields, message=missing.message_ar), 404)
    except TooManyRequests as limited:
        page = render.track_page(site(), fields, message=limited.message_ar)
        return html_response(page, 429, {"Retry-After": retry_after_seconds(limited)})
    catalogue = current_catalogue()
    service = service_in_force(standing.service_code, standing.submitted_at)
    district = catalogue.district(standing.district_code)
    unpaid = standing.payment_status == "unpaid"
    page = render.track_result_page(
        site(),
        inquiry_answer(standing),
        service_name=service.name_ar if service else standing.service_code,
        district_name=district.name_ar if district else standing.district_code,
        national_id_last4=digits_only(fields["national_id_last4"]),
        documents=citizen_document_states(standing.tracking_number, service) if service else (),
        fee=fee_due(standing.tracking_number) if unpaid else None,
    )
    # Its "pay by card" form posts to the API, which answers 303 to the card gateway's page.
    return html_response(page, leaves_for=card_gateway_origin() if unpaid else None)


@answers_with_pages
def pay_by_card(request: Request) -> Response:
    """The track result page's "pay by card": off to the card gateway, or a page saying why not."""
    from chalicelib.portal import render
    from chalicelib.services.card_checkout import start_card_payment

    fields = form_fields(request)
    tracking_number = (request.uri_params or {}).get("tracking_number", "")
    try:
        checkout = start_card_payment(tracking_number, {"national_id_last4": fields.get("national_id_last4", "")},
                                      datetime.now(UTC), time_left_s(request))  # fmt: skip
    except (InvalidInput, NotFound) as refusal:
        return html_response(render.problem_page(site(), refusal.message_ar), 400)
    except Unavailable as down:
        return html_response(render.problem_page(site(), down.message_ar), 503)
    return Response(
        body="", status_code=303, headers={"Location": checkout["redirect_url"], "Cache-Control": "no-store"}
    )
