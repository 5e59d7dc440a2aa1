"""The OpenAPI entries of chalicelib/api/routes/preferences.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    error_answer,
    json_answer,
    json_body,
    with_busy,
)
from chalicelib.api.openapi.schemas import (
    NATIONAL_ID_LAST4,
    TRACKING_NUMBER_PARAMETER,
)

ENTRIES: dict[tuple[str, str], Entry] = {
    # notifications
    ("POST", "/v1/requests/{tracking_number}/notifications"): Entry(
        "Choose how to be told about a request: SMS, WhatsApp, a voice call, or nothing",
        tag="citizen",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "Proof that the request is yours, and the choice",
            {
                "type": "object",
                "properties": {
                    "national_id_last4": NATIONAL_ID_LAST4,
                    "notify_by": {"type": "string", "enum": ["sms", "voice", "whatsapp", "none"]},
                },
                "required": ["national_id_last4", "notify_by"],
            },
            {"national_id_last4": "٢٣٤٩", "notify_by": "voice"},
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "Changed, from now on",
                    {
                        "type": "object",
                        "properties": {"tracking_number": {"type": "string"}, "notify_by": {"type": "string"}},
                        "required": ["tracking_number", "notify_by"],
                    },
                ),
                400: error_answer("Invalid digits or choice", "invalid_fields"),
                404: error_answer("No request matches these details", "not_found"),
                429: error_answer("Too many failed attempts on this tracking number this hour", "too_many_attempts"),
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
            }
        ),
    ),
}
