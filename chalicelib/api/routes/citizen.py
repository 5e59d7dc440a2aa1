"""The citizen API of docs/interfaces.md#citizen-api: the catalogue, submissions and inquiries.

Each view imports its service when it first runs: a fresh Lambda container pays for the code
of the route it answers, not for every route's (bench/cold_start.py measures it).
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.forms import or_form_page
from chalicelib.api.http.responses import answers_errors, json_response
from chalicelib.api.routes.portal_pages import confirm_application, track_request
from chalicelib.domain.errors import FieldProblem, invalid_fields

citizen_api = Blueprint(__name__)


@citizen_api.route("/v1/districts", methods=["GET"], cors=True)
@answers_errors
def list_districts() -> Response:
    from chalicelib.api.http.catalogue_views import district_view
    from chalicelib.services.catalogue import current_catalogue

    catalogue = current_catalogue()
    return json_response({"districts": [district_view(district) for district in catalogue.districts()]})


@citizen_api.route("/v1/services", methods=["GET"], cors=True)
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
@or_form_page(confirm_application, citizen_api)  # the portal's "check your answers" page, without JavaScript
@answers_errors
def submit() -> Response:
    from chalicelib.domain.application import submission_answer
    from chalicelib.domain.idempotency import read_idempotency_key
    from chalicelib.services.submission import ONLINE, submit_request

    request = citizen_api.current_request
    body = json_object(request)
    idempotency_key = read_idempotency_key(request.headers.get("idempotency-key"))
    answer = submit_request(body, idempotency_key, ONLINE, now=datetime.now(UTC))
    return json_response(submission_answer(answer), status_code=201)


@citizen_api.route("/v1/inquiries", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True)
@or_form_page(track_request, citizen_api)  # the portal's track form, without JavaScript
@answers_errors
def inquiry() -> Response:
    from chalicelib.api.http.request_views import inquiry_answer
    from chalicelib.services.inquiry import inquire

    return json_response(inquiry_answer(inquire(json_object(citizen_api.current_request), datetime.now(UTC))))
