"""The citizen's notification choice (an opt-out included)."""

from __future__ import annotations

from datetime import UTC, datetime

from chalice import Blueprint, Response

from chalicelib.api.http.bodies import ACCEPTED_MEDIA_TYPES, json_object
from chalicelib.api.http.responses import answers_errors, json_response

preferences_api = Blueprint(__name__)


@preferences_api.route(
    "/v1/requests/{tracking_number}/notifications", methods=["POST"], content_types=ACCEPTED_MEDIA_TYPES, cors=True
)
@answers_errors
def notifications(tracking_number: str) -> Response:
    from chalicelib.services.preferences import choose_notifications  # on first use: see api/routes/citizen.py

    body = json_object(preferences_api.current_request)
    choice = choose_notifications(tracking_number, body, datetime.now(UTC))
    return json_response({"tracking_number": choice.tracking_number, "notify_by": choice.notify_by})
