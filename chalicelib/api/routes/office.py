"""The district offices' API (docs/interfaces.md#office-api): every route a staff route (routes/staff_access.py).

Each view imports its service when it first runs (see chalicelib/api/routes/citizen.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.api.http.bodies import json_object
from chalicelib.api.http.responses import json_response
from chalicelib.api.routes.staff_access import staff_route
from chalicelib.domain.staff import StaffMember

office_api = Blueprint(__name__)


@staff_route(office_api, "/v1/office/requests", methods=["POST"], takes_body=True)
def intake(staff: StaffMember) -> Response:
    from chalicelib.api.http.receipts import render_receipt
    from chalicelib.domain.application import submission_answer
    from chalicelib.domain.idempotency import read_idempotency_key
    from chalicelib.services.intake import file_at_window

    request = office_api.current_request
    filed = file_at_window(
        staff,
        json_object(request),
        read_idempotency_key(request.headers.get("idempotency-key")),
        datetime.now(UTC),
    )
    return json_response({**submission_answer(filed.answer), "receipt_html": render_receipt(filed)}, status_code=201)


@staff_route(office_api, "/v1/office/requests", methods=["GET"])
def queue(staff: StaffMember) -> Response:
    from chalicelib.api.http.office_views import queue_answer
    from chalicelib.services.office_queue import view_queue

    page = view_queue(staff, office_api.current_request.query_params or {}, datetime.now(UTC))
    return json_response(queue_answer(page))


@staff_route(office_api, "/v1/office/requests/{tracking_number}", methods=["GET"])
def one_request(staff: StaffMember, tracking_number: str) -> Response:
    from chalicelib.api.http.office_views import blind_view_answer
    from chalicelib.services.office_view import view_request

    return json_response(blind_view_answer(view_request(staff, tracking_number, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/transitions", methods=["POST"], takes_body=True)
def transition(staff: StaffMember, tracking_number: str) -> Response:
    from chalicelib.api.http.office_views import blind_view_answer
    from chalicelib.services.office_moves import move_request

    body = json_object(office_api.current_request)
    return json_response(blind_view_answer(move_request(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/assignment", methods=["POST"], takes_body=True)
def assignment(staff: StaffMember, tracking_number: str) -> Response:
    """Who holds the request: an officer takes it, a manager assigns it to an officer of the district."""
    from chalicelib.api.http.office_views import blind_view_answer
    from chalicelib.services.office_assignment import assign_request

    body = json_object(office_api.current_request)
    return json_response(blind_view_answer(assign_request(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/identity", methods=["POST"], takes_body=True)
def identity(staff: StaffMember, tracking_number: str) -> Response:
    from chalicelib.api.http.office_views import applicant_answer
    from chalicelib.services.office_identity import reveal_identity

    body = json_object(office_api.current_request)
    return json_response(applicant_answer(reveal_identity(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/applicant", methods=["POST"], takes_body=True)
def applicant_correction(staff: StaffMember, tracking_number: str) -> Response:
    """A wrong phone or name corrected by a manager within an hour of their reveal: audited."""
    from chalicelib.api.http.office_views import correction_answer
    from chalicelib.services.office_identity import correct_applicant

    body = json_object(office_api.current_request)
    return json_response(correction_answer(correct_applicant(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/erasure", methods=["POST"], takes_body=True)
def erasure(staff: StaffMember, tracking_number: str) -> Response:
    """A data subject's request to erase their identity: a manager of the district, audited."""
    from chalicelib.api.http.office_views import erasure_answer
    from chalicelib.services.office_identity import erase_identity

    body = json_object(office_api.current_request)
    return json_response(erasure_answer(erase_identity(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/transfer", methods=["POST"], takes_body=True)
def transfer(staff: StaffMember, tracking_number: str) -> Response:
    from chalicelib.api.http.office_views import blind_view_answer
    from chalicelib.services.office_moves import transfer_request

    body = json_object(office_api.current_request)
    return json_response(blind_view_answer(transfer_request(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/documents/received", methods=["POST"], takes_body=True)
def documents_received(staff: StaffMember, tracking_number: str) -> Response:
    from chalicelib.api.http.office_views import blind_view_answer
    from chalicelib.services.office_documents import record_paper

    body = json_object(office_api.current_request)
    return json_response(blind_view_answer(record_paper(staff, tracking_number, body, datetime.now(UTC))))


@staff_route(office_api, "/v1/office/requests/{tracking_number}/documents/{document_id}", methods=["GET"])
def open_one_document(staff: StaffMember, tracking_number: str, document_id: str) -> Response:
    from chalicelib.services.office_documents import open_document

    link = open_document(staff, tracking_number, document_id, datetime.now(UTC))
    return Response(body="", status_code=303, headers={"Location": link, "Cache-Control": "no-store"})


@staff_route(office_api, "/v1/office/lookups", methods=["POST"], takes_body=True)
def national_id_lookup(staff: StaffMember) -> Response:
    """A walk-in's own requests by the national ID on their card (clerk, manager): in the body,
    never in the URL, so that no access log holds it."""
    from chalicelib.domain.calendar import iso_utc
    from chalicelib.services.counter import look_up_by_national_id

    national_id = json_object(office_api.current_request).get("national_id")
    found = look_up_by_national_id(staff, national_id if isinstance(national_id, str) else "", datetime.now(UTC))
    return json_response(
        {
            "requests": [
                {
                    "tracking_number": request.tracking_number,
                    "service_code": request.service_code,
                    "service_name_ar": request.service_name,
                    "status": request.status,
                    "status_name_ar": request.status_name,
                    "submitted_at": iso_utc(request.submitted_at),
                }
                for request in found
            ]
        }
    )
