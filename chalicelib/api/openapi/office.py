"""The OpenAPI entries of chalicelib/api/routes/office.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    Parameter,
    error_answer,
    json_answer,
    json_body,
    redirect_answer,
    ref,
    with_busy,
)
from chalicelib.api.openapi.schemas import (
    EXAMPLE_APPLICATION,
    IDEMPOTENCY_KEY_PARAMETER,
    STATUS_SCHEMA,
    TRACKING_NUMBER_PARAMETER,
)

_FORBIDDEN = error_answer("The caller's role may not do this", "forbidden")

_NO_SUCH_REQUEST = error_answer("No such request in the caller's districts", "not_found")

_BODY_REFUSED = {
    413: error_answer("The body is larger than 64 KB", "body_too_large"),
    415: error_answer("Not JSON", "unsupported_media_type"),
}

_OFFICE_VIEW = json_answer("The request as the back office sees it", ref("OfficeRequest"))

ENTRIES: dict[tuple[str, str], Entry] = {
    # intake
    ("POST", "/v1/office/requests"): Entry(
        "File a request at the one window (clerk, manager)",
        tag="office",
        description="The citizen's own validation and idempotency; the request is recorded as the window's, "
        "by whom, with the paper documents handed in, and answered with a printable receipt.",
        parameters=(IDEMPOTENCY_KEY_PARAMETER,),
        body=json_body(
            "An application for any active district (any window serves the governorate), with the paper "
            "documents handed in, by their codes in the service's document list; `receipt_by_message` "
            "when the citizen wants 'received' by message besides the printed receipt",
            {
                "allOf": [
                    ref("Application"),
                    {
                        "type": "object",
                        "properties": {
                            "documents_received": {
                                "description": "The codes of the documents handed in on paper. Deprecated: "
                                "their positions in the service's list (`[0, 2]`) are still read until the "
                                "next release; a list is all codes or all positions.",
                                "oneOf": [
                                    {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                                    {
                                        "type": "array",
                                        "items": {"type": "integer", "minimum": 0},
                                        "uniqueItems": True,
                                        "deprecated": True,
                                    },
                                ],
                            },
                            "receipt_by_message": {"type": "boolean"},
                        },
                    },
                ]
            },
            {**EXAMPLE_APPLICATION, "documents_received": ["national_id_copy", "shop_sketch"]},
        ),
        answers=with_busy(
            {
                201: json_answer(
                    "Filed",
                    {
                        "allOf": [
                            ref("SubmissionAnswer"),
                            {
                                "type": "object",
                                "properties": {"receipt_html": {"type": "string"}},
                                "required": ["receipt_html"],
                            },
                        ]
                    },
                ),
                400: error_answer("Invalid application", "invalid_fields"),
                403: _FORBIDDEN,
                **_BODY_REFUSED,
                422: error_answer("This Idempotency-Key came with another body", "idempotency_key_reused"),
            }
        ),
    ),
    # queue
    ("GET", "/v1/office/requests"): Entry(
        "A district's queue in one status, most urgent first",
        tag="office",
        parameters=(
            Parameter("status", "query", "The status of the queue", required=True, example="in_review"),
            Parameter("district", "query", "The district (headquarters must name one)", example="dokki"),
            Parameter("department", "query", "Only this department's requests"),
            Parameter("page_size", "query", "1 to 100 (25)", example="25"),
            Parameter("cursor", "query", "`next_cursor` of the page before"),
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "One page",
                    {
                        "type": "object",
                        "properties": {
                            "district_code": {"type": "string"},
                            "status": {"type": "string"},
                            "department": {"type": ["string", "null"]},
                            "requests": {"type": "array", "items": {"type": "object"}},
                            "next_cursor": {"type": ["string", "null"]},
                        },
                        "required": ["requests", "next_cursor"],
                    },
                ),
                400: error_answer("Invalid status, district, page size or cursor", "invalid_fields"),
                403: _FORBIDDEN,
            }
        ),
    ),
    # one_request
    ("GET", "/v1/office/requests/{tracking_number}"): Entry(
        "One request, without who asked; its `version` is what a move must name",
        tag="office",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers=with_busy({200: _OFFICE_VIEW, 403: _FORBIDDEN, 404: _NO_SUCH_REQUEST}),
    ),
    # transition
    ("POST", "/v1/office/requests/{tracking_number}/transitions"): Entry(
        "Move a request to another status",
        tag="office",
        description="Refused with 409 (and the request as it stands) when its version moved on since it was read, "
        "or when its status cannot go there.",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "The move",
            {
                "type": "object",
                "properties": {
                    "to": STATUS_SCHEMA,
                    "note": {"type": "string"},
                    "message_to_citizen": {"type": "string"},
                    "version": {"type": "integer"},
                    "missing_documents": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "With needs_info: codes of the service's documents named as missing, "
                        "besides those never received (named anyway)",
                    },
                },
                "required": ["to", "note", "version"],
            },
            {
                "to": "needs_info",
                "note": "الرسم الكروكي غير واضح",
                "version": 2,
                "message_to_citizen": "يرجى إرفاق رسم كروكي أوضح للمحل.",
            },
        ),
        answers=with_busy(
            {
                200: _OFFICE_VIEW,
                400: error_answer("Invalid move", "invalid_fields"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer(
                    "Stale version (`stale_version`), a move the status does not allow (`transition_not_allowed`),"
                    " an approval or handover of a request refunded in full (`payment_refunded`), or an approval"
                    " while required documents are missing (`documents_missing`); each with the request as it stands",
                    "stale_version",
                    "transition_not_allowed",
                    "payment_refunded",
                    "documents_missing",
                ),
                **_BODY_REFUSED,
            }
        ),
    ),
    # assignment
    ("POST", "/v1/office/requests/{tracking_number}/assignment"): Entry(
        "Who holds an open request: an officer takes it, a manager assigns it (officer, manager)",
        tag="office",
        description="`officer` is an officer of the request's district, by principal (the token's `sub`) or "
        "email; an officer may name only themself. Version-checked like a move, recorded in the history "
        "(`event: assigned`) and audited.",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "Whom, on the version read",
            {
                "type": "object",
                "properties": {"officer": {"type": "string"}, "version": {"type": "integer"}},
                "required": ["officer", "version"],
            },
            {"officer": "officer.dokki@staff.shobbak.local", "version": 2},
        ),
        answers=with_busy(
            {
                200: _OFFICE_VIEW,
                400: error_answer("No officer of the district by that name, or no version", "invalid_fields"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer(
                    "Stale version (`stale_version`), or a finished request (`assignment_not_allowed`)",
                    "stale_version",
                    "assignment_not_allowed",
                ),
                503: error_answer("The staff pool cannot be reached", "staff_pool_unavailable"),
                **_BODY_REFUSED,
            }
        ),
    ),
    # identity
    ("POST", "/v1/office/requests/{tracking_number}/identity"): Entry(
        "Who asked (manager, with a reason that is recorded first)",
        tag="office",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "Why",
            {"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]},
            {"reason": "التواصل مع مقدم الطلب بشأن موعد المعاينة"},
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "The applicant",
                    {
                        "type": "object",
                        "properties": {
                            "tracking_number": {"type": "string"},
                            "full_name": {"type": "string"},
                            "national_id": {"type": "string"},
                            "phone": {"type": "string"},
                        },
                        "required": ["tracking_number", "full_name", "national_id", "phone"],
                    },
                ),
                400: error_answer("No reason given", "invalid_fields"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer("The identity was deleted (erasure or retention)", "identity_erased"),
                **_BODY_REFUSED,
            }
        ),
    ),
    # applicant correction
    ("POST", "/v1/office/requests/{tracking_number}/applicant"): Entry(
        "Correct who asked: the phone, the name or both (manager, within an hour of their reveal)",
        tag="office",
        description="Each field is checked as the portal checks it; a field left out or empty stays as it is. "
        "Version-checked like a move, recorded in the history (`event: applicant_corrected`, the fields "
        "by name, never their values) and audited. A new phone gets an SMS, and so does the phone it "
        "replaces when that was a mobile (docs/messages.md).",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "What is corrected, why, on the version read",
            {
                "type": "object",
                "properties": {
                    "phone": {"type": "string"},
                    "full_name": {"type": "string"},
                    "reason": {"type": "string", "minLength": 10},
                    "version": {"type": "integer"},
                },
                "required": ["reason", "version"],
            },
            {"phone": "01012345678", "reason": "أخطأ الموظف في كتابة الرقم عند التقديم", "version": 3},
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "The applicant as now kept",
                    {
                        "type": "object",
                        "properties": {
                            "tracking_number": {"type": "string"},
                            "version": {"type": "integer"},
                            "corrected": {"type": "array", "items": {"enum": ["full_name", "phone"]}},
                            "full_name": {"type": "string"},
                            "national_id": {"type": "string"},
                            "phone": {"type": "string"},
                        },
                        "required": ["tracking_number", "version", "corrected", "full_name", "national_id", "phone"],
                    },
                ),
                400: error_answer("A field refused, nothing to change, no reason or no version", "invalid_fields"),
                403: error_answer("Not a manager, or no reveal of theirs within the last hour", "forbidden"),
                404: _NO_SUCH_REQUEST,
                409: error_answer("Stale version, or the identity is no longer kept", "stale_version"),
                **_BODY_REFUSED,
            }
        ),
    ),
    # erasure
    ("POST", "/v1/office/requests/{tracking_number}/erasure"): Entry(
        "Erase who asked, on the data subject's request (manager, audited)",
        tag="office",
        description="Deletes the applicant; the request and its history stay, without identity. Asking again "
        "answers the same and writes nothing.",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "The data subject's request",
            {"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]},
            {"reason": "طلب صاحب البيانات رقم 2026/118 بحذف بياناته"},
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "Erased",
                    {
                        "type": "object",
                        "properties": {
                            "tracking_number": {"type": "string"},
                            "identity_erased": {"type": "boolean"},
                            "version": {"type": "integer"},
                        },
                        "required": ["tracking_number", "identity_erased", "version"],
                    },
                ),
                400: error_answer("No reason given", "invalid_fields"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer(
                    "The identity was already deleted after its retention, or the request changed", "identity_erased"
                ),
                **_BODY_REFUSED,
            }
        ),
    ),
    # transfer
    ("POST", "/v1/office/requests/{tracking_number}/transfer"): Entry(
        "Move a misrouted request to another district (hq)",
        tag="office",
        description="Version-checked and audited; the citizen is told by SMS; the deadline becomes the later of "
        "the original one and the service's full deadline counted from the transfer day (docs/architecture.md).",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "Where and why",
            {
                "type": "object",
                "properties": {
                    "to_district": {"type": "string"},
                    "reason": {"type": "string"},
                    "version": {"type": "integer"},
                },
                "required": ["to_district", "reason", "version"],
            },
            {"to_district": "omraniya", "reason": "العقار يقع في نطاق حي العمرانية", "version": 1},
        ),
        answers=with_busy(
            {
                200: _OFFICE_VIEW,
                400: error_answer("Invalid district, reason or version", "invalid_fields"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer(
                    "Stale version (`stale_version`), or the same district or a finished request"
                    " (`transfer_not_allowed`)",
                    "stale_version",
                    "transfer_not_allowed",
                ),
                **_BODY_REFUSED,
            }
        ),
    ),
    # documents_received
    ("POST", "/v1/office/requests/{tracking_number}/documents/received"): Entry(
        "Record paper documents handed in at the window (clerk, manager of the owning district)",
        tag="office",
        description="A change like any other: on the `version` read, and the answer carries the next one. "
        "Documents recorded already are not recorded again: sent again, the same paper changes nothing and "
        "answers the request as it stands, whatever its version.",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "The documents, by their codes",
            {
                "type": "object",
                "properties": {
                    "documents": {"type": "array", "items": {"type": "string"}},
                    "version": {"type": "integer"},
                },
                "required": ["documents", "version"],
            },
            {"documents": ["shop_deed_or_lease"], "version": 1},
        ),
        answers=with_busy(
            {
                200: _OFFICE_VIEW,
                400: error_answer("Unknown document codes or no version", "invalid_fields"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer("Stale version", "stale_version"),
                **_BODY_REFUSED,
            }
        ),
    ),
    # open_one_document
    ("GET", "/v1/office/requests/{tracking_number}/documents/{document_id}"): Entry(
        "Open a clean document (officer, manager, hq): a presigned link valid for 5 minutes",
        tag="office",
        description="Only `clean` documents open; a copy of an identity document only for the member of staff who "
        "revealed the applicant. Every opening is recorded in the request's history.",
        parameters=(
            TRACKING_NUMBER_PARAMETER,
            Parameter(
                "document_id",
                "path",
                "The document's id (32 hex digits)",
                required=True,
                example="0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e0f",
            ),
        ),
        answers=with_busy(
            {
                303: redirect_answer("The document itself, through a presigned GET expiring within 5 minutes"),
                403: _FORBIDDEN,
                404: _NO_SUCH_REQUEST,
                409: error_answer("Not checked clean (yet)", "document_not_clean"),
            }
        ),
    ),
    # national_id_lookup
    ("POST", "/v1/office/lookups"): Entry(
        "A walk-in's own requests, found by the national ID on their card (clerk, manager)",
        tag="office",
        description="For a citizen at the counter who lost the tracking number. Every district's requests are "
        "found (any window serves the governorate); the answer names nothing of who asked. Audited (who, when, "
        "which office, which requests), never logging the national ID, and limited per member of staff and "
        "minute (NATIONAL_ID_LOOKUPS_PER_MINUTE). Nothing found is an empty list. Requests filed before this "
        "lookup existed are found once backfilled (docs/runbook.md).",
        body=json_body(
            "The national ID, in the body so that no URL or access log carries it",
            {
                "type": "object",
                "properties": {"national_id": {"type": "string", "description": "14 digits, Western or Arabic-Indic"}},
                "required": ["national_id"],
            },
            {"national_id": "29001011234567"},
        ),
        answers=with_busy(
            {
                200: json_answer(
                    "The citizen's requests, newest first",
                    {
                        "type": "object",
                        "properties": {
                            "requests": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "tracking_number": {"type": "string"},
                                        "service_code": {"type": "string"},
                                        "service_name_ar": {"type": "string"},
                                        "status": STATUS_SCHEMA,
                                        "status_name_ar": {"type": "string"},
                                        "submitted_at": {"type": "string", "format": "date-time"},
                                    },
                                    "required": ["tracking_number", "service_code", "status", "submitted_at"],
                                },
                            }
                        },
                        "required": ["requests"],
                    },
                ),
                400: error_answer("Not a national ID", "invalid_fields"),
                403: _FORBIDDEN,
                **_BODY_REFUSED,
                429: error_answer("Too many lookups by this member of staff this minute", "too_many_lookups"),
            }
        ),
    ),
}
