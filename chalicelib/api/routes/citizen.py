"""The citizen API of CONTRACT.md: the catalogue, submissions and inquiries.

Each view imports its service when it first runs: a fresh Lambda container pays for the code
of the route it answers, not for every route's (bench/cold_start.py measures it).
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.forms import or_form_page
from chalicelib.api.http.responses import answers_errors, json_response
from chalicelib.api.openapi import (
    Parameter,
    documented,
    error_answer,
    html_answer,
    json_answer,
    json_body,
    ref,
    with_busy,
)
from chalicelib.api.openapi.schemas import EXAMPLE_APPLICATION, EXAMPLE_TRACKING_NUMBER, IDEMPOTENCY_KEY_PARAMETER
from chalicelib.api.routes.portal_pages import confirm_application, track_request
from chalicelib.domain.errors import FieldProblem, invalid_fields

citizen_api = Blueprint(__name__)


@citizen_api.route("/v1/districts", methods=["GET"], cors=True)
@documented(
    "Every district and markaz, active or not",
    tag="citizen",
    answers={
        200: json_answer(
            "The units in file order",
            {"type": "object", "properties": {"districts": {"type": "array", "items": ref("District")}},
             "required": ["districts"]},
            {"districts": [{"code": "dokki", "name_ar": "الدقي", "name_en": "Dokki", "kind": "district",
                            "phase": 1, "active": True}]},
        )
    },
)  # fmt: skip
@answers_errors
def list_districts() -> Response:
    from chalicelib.api.http.catalogue_views import district_view
    from chalicelib.services.catalogue import current_catalogue

    catalogue = current_catalogue()
    return json_response({"districts": [district_view(district) for district in catalogue.districts()]})


@citizen_api.route("/v1/services", methods=["GET"], cors=True)
@documented(
    "The services in force today, their fees, deadlines, documents and form fields",
    tag="citizen",
    parameters=(Parameter("district", "query", "Only the services offered in this district", example="dokki"),),
    answers={
        200: json_answer(
            "The services",
            {"type": "object", "properties": {"services": {"type": "array", "items": ref("Service")}},
             "required": ["services"]},
        ),
        400: error_answer("No district has this code", "invalid_fields"),
    },
)  # fmt: skip
@answers_errors
def list_services() -> Response:
    from chalicelib.api.http.catalogue_views import service_view
    from chalicelib.domain.calendar import cairo_today
    from chalicelib.services.catalogue import current_catalogue

    catalogue = current_catalogue()
    district_code = (citizen_api.current_request.query_params or {}).get("district")
    if district_code is not None and catalogue.district(district_code) is None:
        raise invalid_fields({"district": FieldProblem("لا يوجد حي أو مركز بهذا الرمز.", "No district has this code.")})
    services = catalogue.services(on=cairo_today(datetime.now(UTC)), district_code=district_code)
    return json_response({"services": [service_view(service, catalogue) for service in services]})


@citizen_api.route("/v1/requests", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True)
@documented(
    "Apply for a service",
    tag="citizen",
    description="Files the request once: the same `Idempotency-Key` with the same body answers the same "
    "tracking number and creates nothing; with another body, 422. The portal's check-your-answers page "
    "posts here as a form and is answered with the confirmation page (or the form again, 400).",
    parameters=(
        IDEMPOTENCY_KEY_PARAMETER,
    ),
    body=json_body("The application", ref("Application"), EXAMPLE_APPLICATION,
                   form={"type": "object", "additionalProperties": {"type": "string"}}),
    answers=with_busy({
        201: json_answer("Filed", ref("SubmissionAnswer"), {
            "tracking_number": EXAMPLE_TRACKING_NUMBER, "status": "awaiting_payment",
            "submitted_at": "2026-11-30T08:15:00Z", "fee_egp": 500, "sla_due_date": "2026-12-28",
            "payment": {"reference": "482910735612201", "amount_egp": 500, "status": "unpaid",
                        "expires_at": "2026-12-07T08:15:00Z"}}) | html_answer("The confirmation page"),
        400: error_answer("Invalid application: each field in error", "invalid_fields")
        | html_answer("The form again, with an error summary"),
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
        422: error_answer("This Idempotency-Key came with another body", "idempotency_key_reused"),
        429: error_answer("The phone's online submissions for the Cairo day are used up; nothing was stored "
                          "or sent (Retry-After: Cairo midnight)", "too_many_submissions")
        | html_answer("The same, as a page"),
    }, pages=True),
)  # fmt: skip
@or_form_page(confirm_application, citizen_api)  # the portal's "check your answers" page, without JavaScript
@answers_errors
def submit() -> Response:
    from chalicelib.domain.idempotency import read_idempotency_key
    from chalicelib.services.submission import ONLINE, submit_request

    request = citizen_api.current_request
    body = json_object(request)
    idempotency_key = read_idempotency_key(request.headers.get("idempotency-key"))
    answer = submit_request(body, idempotency_key, ONLINE, now=datetime.now(UTC))
    return json_response(answer, status_code=201)


@citizen_api.route("/v1/inquiries", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True)
@documented(
    "Where a request stands",
    tag="citizen",
    description="An unknown tracking number and wrong digits get the same 404. The portal's track form "
    "posts here as a form and is answered with the result page.",
    body=json_body("The tracking number and the national ID's last four digits", ref("Inquiry"),
                   {"tracking_number": EXAMPLE_TRACKING_NUMBER, "national_id_last4": "٢٣٤٩"},
                   form={"type": "object", "additionalProperties": {"type": "string"}}),
    answers=with_busy({
        200: json_answer("The request's public state", ref("InquiryAnswer"), {
            "tracking_number": EXAMPLE_TRACKING_NUMBER, "status": "in_review", "status_ar": "قيد الفحص",
            "service_code": "shop_licence", "district_code": "dokki", "submitted_at": "2026-11-30T08:15:00Z",
            "sla_due_date": "2026-12-28", "payment_status": "paid",
            "history": [{"status": "awaiting_payment", "at": "2026-11-30T08:15:00Z"},
                        {"status": "in_review", "at": "2026-11-30T09:02:11Z"}]}) | html_answer("The result page"),
        400: error_answer("Invalid tracking number or digits", "invalid_fields") | html_answer("The track form again"),
        404: error_answer("No request matches these details", "not_found") | html_answer("The track form again"),
        429: error_answer("Too many failed attempts on this tracking number this hour, issued or not",
                          "too_many_attempts") | html_answer("The track form again, saying when to return"),
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
    }, pages=True),
)  # fmt: skip
@or_form_page(track_request, citizen_api)  # the portal's track form, without JavaScript
@answers_errors
def inquiry() -> Response:
    from chalicelib.services.inquiry import inquire

    return json_response(inquire(json_object(citizen_api.current_request), datetime.now(UTC)))
