"""The citizen's notification choice (an opt-out included)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.api.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.openapi import documented, error_answer, json_answer, json_body, with_busy
from chalicelib.api.openapi.schemas import NATIONAL_ID_LAST4, TRACKING_NUMBER_PARAMETER
from chalicelib.api.responses import answers_errors, json_response

preferences_api = Blueprint(__name__)


@preferences_api.route(
    "/v1/requests/{tracking_number}/notifications", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True
)
@documented(
    "Choose how to be told about a request: SMS, WhatsApp, a voice call, or nothing",
    tag="citizen",
    parameters=(TRACKING_NUMBER_PARAMETER,),
    body=json_body(
        "Proof that the request is yours, and the choice",
        {"type": "object", "properties": {
            "national_id_last4": NATIONAL_ID_LAST4,
            "notify_by": {"type": "string", "enum": ["sms", "voice", "whatsapp", "none"]}},
         "required": ["national_id_last4", "notify_by"]},
        {"national_id_last4": "٢٣٤٩", "notify_by": "voice"},
    ),
    answers=with_busy({
        200: json_answer("Changed, from now on", {"type": "object", "properties": {
            "tracking_number": {"type": "string"}, "notify_by": {"type": "string"}},
            "required": ["tracking_number", "notify_by"]}),
        400: error_answer("Invalid digits or choice", "invalid_fields"),
        404: error_answer("No request matches these details", "not_found"),
        429: error_answer("Too many failed attempts on this tracking number this hour", "too_many_attempts"),
        413: error_answer("The body is larger than 64 KB", "body_too_large"),
        415: error_answer("Not JSON", "unsupported_media_type"),
    }),
)  # fmt: skip
@answers_errors
def notifications(tracking_number: str) -> Response:
    from chalicelib.services.preferences import choose_notifications  # on first use: see api/citizen.py

    body = json_object(preferences_api.current_request)
    return json_response(choose_notifications(tracking_number, body, datetime.now(UTC)))
