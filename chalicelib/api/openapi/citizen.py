"""The OpenAPI entries of chalicelib/api/routes/citizen.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    Parameter,
    error_answer,
    html_answer,
    json_answer,
    json_body,
    ref,
    with_busy,
)
from chalicelib.api.openapi.schemas import (
    EXAMPLE_APPLICATION,
    EXAMPLE_TRACKING_NUMBER,
    IDEMPOTENCY_KEY_PARAMETER,
)

ENTRIES: dict[tuple[str, str], Entry] = {
    # list_districts
    ("GET", "/v1/districts"): Entry(
        "Every district and markaz, active or not",
        tag="citizen",
        answers={
            200: json_answer(
                "The units in file order",
                {
                    "type": "object",
                    "properties": {"districts": {"type": "array", "items": ref("District")}},
                    "required": ["districts"],
                },
                {
                    "districts": [
                        {
                            "code": "dokki",
                            "name_ar": "الدقي",
                            "name_en": "Dokki",
                            "kind": "district",
                            "phase": 1,
                            "active": True,
                        }
                    ]
                },
            )
        },
    ),
    # list_services
    ("GET", "/v1/services"): Entry(
        "The services in force today, their fees, deadlines, documents and form fields",
        tag="citizen",
        parameters=(Parameter("district", "query", "Only the services offered in this district", example="dokki"),),
        answers={
            200: json_answer(
                "The services",
                {
                    "type": "object",
                    "properties": {"services": {"type": "array", "items": ref("Service")}},
                    "required": ["services"],
                },
            ),
            400: error_answer("No district has this code", "invalid_fields"),
        },
    ),
    # submit
    ("POST", "/v1/requests"): Entry(
        "Apply for a service",
        tag="citizen",
        description="Files the request once: the same `Idempotency-Key` with the same body answers the same "
        "tracking number and creates nothing; with another body, 422. The portal's check-your-answers page "
        "posts here as a form and is answered with the confirmation page (or the form again, 400).",
        parameters=(IDEMPOTENCY_KEY_PARAMETER,),
        body=json_body(
            "The application",
            ref("Application"),
            EXAMPLE_APPLICATION,
            form={"type": "object", "additionalProperties": {"type": "string"}},
        ),
        answers=with_busy(
            {
                201: json_answer(
                    "Filed",
                    ref("SubmissionAnswer"),
                    {
                        "tracking_number": EXAMPLE_TRACKING_NUMBER,
                        "status": "awaiting_payment",
                        "submitted_at": "2026-11-30T08:15:00Z",
                        "fee_egp": 500,
                        "sla_due_date": "2026-12-28",
                        "payment": {
                            "reference": "482910735612201",
                            "amount_egp": 500,
                            "status": "unpaid",
                            "expires_at": "2026-12-07T08:15:00Z",
                        },
                    },
                )
                | html_answer("The confirmation page"),
                400: error_answer("Invalid application: each field in error", "invalid_fields")
                | html_answer("The form again, with an error summary"),
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
                422: error_answer("This Idempotency-Key came with another body", "idempotency_key_reused"),
                429: error_answer(
                    "The phone's online submissions for the Cairo day are used up; nothing was stored "
                    "or sent (Retry-After: Cairo midnight)",
                    "too_many_submissions",
                )
                | html_answer("The same, as a page"),
            },
            pages=True,
        ),
    ),
    # inquiry
    ("POST", "/v1/inquiries"): Entry(
        "Where a request stands",
        tag="citizen",
        description="An unknown tracking number and wrong digits get the same 404. The portal's track form "
        "posts here as a form and is answered with the result page.",
        body=json_body(
            "The tracking number and the national ID's last four digits",
            ref("Inquiry"),
            {"tracking_number": EXAMPLE_TRACKING_NUMBER, "national_id_last4": "٢٣٤٩"},
            form={"type": "object", "additionalProperties": {"type": "string"}},
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "The request's public state",
                    ref("InquiryAnswer"),
                    {
                        "tracking_number": EXAMPLE_TRACKING_NUMBER,
                        "status": "in_review",
                        "status_ar": "قيد الفحص",
                        "service_code": "shop_licence",
                        "district_code": "dokki",
                        "submitted_at": "2026-11-30T08:15:00Z",
                        "sla_due_date": "2026-12-28",
                        "payment_status": "paid",
                        "history": [
                            {"status": "awaiting_payment", "at": "2026-11-30T08:15:00Z"},
                            {"status": "in_review", "at": "2026-11-30T09:02:11Z"},
                        ],
                    },
                )
                | html_answer("The result page"),
                400: error_answer("Invalid tracking number or digits", "invalid_fields")
                | html_answer("The track form again"),
                404: error_answer("No request matches these details", "not_found")
                | html_answer("The track form again"),
                429: error_answer(
                    "Too many failed attempts on this tracking number this hour, issued or not", "too_many_attempts"
                )
                | html_answer("The track form again, saying when to return"),
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
            },
            pages=True,
        ),
    ),
}
