"""Shapes shared by several routes (components.schemas). A shape one route uses alone may stay
inline in that route's entry; a new shared one is added here under its own name."""

from __future__ import annotations

from typing import Any

from chalicelib.api.openapi.entries import Parameter
from chalicelib.domain.statuses import Status

_TEXT = {"type": "string"}
_DATE = {"type": "string", "format": "date"}
_DATETIME = {"type": "string", "format": "date-time"}
STATUS_SCHEMA = {"type": "string", "enum": [status.value for status in Status]}
_STATUS = STATUS_SCHEMA


def digits(count: str, description: str) -> dict[str, Any]:
    """`count` digits (a regex quantifier) in ASCII, Arabic-Indic or Persian, with spaces and
    dashes anywhere (docs/interfaces.md#digits). The server also drops invisible bidi marks, which this leaves out."""
    return {
        "type": "string",
        "pattern": f"^[-\\s]*(?:[0-9٠-٩۰-۹][-\\s]*){{{count}}}$",
        "description": f"{description}: digits (ASCII, ٠١٢ or ۰۱۲), spaces and dashes allowed",
    }


NATIONAL_ID_LAST4 = digits("4", "The national ID's last four digits")
_PHONE = {"type": "string", "description": "An Egyptian mobile number, as people write it: 010…, +20…, 0020…"}
_NOTIFY_BY = {"type": "string", "enum": ["sms", "voice", "whatsapp", "none"]}


def _object(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties), **extra}


_PAYMENT_TERMS = _object(
    {"reference": _TEXT, "amount_egp": {"type": "number"}, "status": _TEXT, "expires_at": _DATETIME},
    ["reference", "amount_egp", "status"],
)

SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": _TEXT,
                    "message_ar": _TEXT,
                    "message_en": _TEXT,
                    "fields": {
                        "type": "object",
                        "description": "Each field in error (dotted name) and its Arabic message",
                        "additionalProperties": _TEXT,
                    },
                }
            ),
            "current": {"type": "object", "description": "409 only: the request as it stands now"},
        },
        ["error"],
    ),
    "District": _object(
        {
            "code": _TEXT,
            "name_ar": _TEXT,
            "name_en": _TEXT,
            "kind": {"type": "string", "enum": ["district", "markaz"]},
            "phase": {"type": "integer"},
            "active": {"type": "boolean"},
        }
    ),
    "FormField": _object(
        {
            "name": _TEXT,
            "label_ar": _TEXT,
            "label_en": _TEXT,
            "type": {"type": "string", "enum": ["text", "textarea", "number", "date", "choice"]},
            "required": {"type": "boolean"},
            "options": {
                "type": "array",
                "items": _object({"value": _TEXT, "label_ar": _TEXT, "label_en": _TEXT}),
            },
            "max_length": {"type": "integer"},
            "min": {"type": "number"},
            "max": {"type": "number"},
        },
        ["name", "label_ar", "type", "required"],
    ),
    "Service": _object(
        {
            "code": _TEXT,
            "name_ar": _TEXT,
            "name_en": _TEXT,
            "group": _TEXT,
            "group_name_ar": _TEXT,
            "department": _TEXT,
            "fee_egp": {"type": "number"},
            "sla_days": {"type": "integer"},
            "effective_from": _DATE,
            "legal_basis_ar": _TEXT,
            "legal_basis_en": _TEXT,
            "documents": {"type": "array", "items": _object({"name_ar": _TEXT, "name_en": _TEXT})},
            "fields": {"type": "array", "items": {"$ref": "#/components/schemas/FormField"}},
        },
        ["code", "name_ar", "name_en", "group", "fee_egp", "sla_days", "documents", "fields"],
    ),
    "Application": _object(
        {
            "service_code": _TEXT,
            "district_code": _TEXT,
            "applicant": _object({"full_name": _TEXT, "national_id": digits("14", "The national ID"), "phone": _PHONE}),
            "details": {
                "type": "object",
                "description": "The service's fields (GET /v1/services), by name",
                "additionalProperties": {"type": ["string", "number"]},
            },
            "notify_by": _NOTIFY_BY,
            "consent": {"type": "boolean", "const": True},
        },
        ["service_code", "district_code", "applicant", "consent"],
    ),
    "SubmissionAnswer": _object(
        {
            "tracking_number": {"type": "string", "pattern": "^[0-9]{12,14}$"},
            "status": _STATUS,
            "submitted_at": _DATETIME,
            "fee_egp": {"type": "number"},
            "sla_due_date": _DATE,
            "payment": {"oneOf": [{"type": "null"}, _PAYMENT_TERMS]},
        },
        ["tracking_number", "status", "fee_egp", "sla_due_date", "payment"],
    ),
    "Inquiry": _object(
        {"tracking_number": digits("12,14", "The tracking number"), "national_id_last4": NATIONAL_ID_LAST4}
    ),
    "InquiryAnswer": _object(
        {
            "tracking_number": _TEXT,
            "status": _STATUS,
            "status_ar": _TEXT,
            "service_code": _TEXT,
            "district_code": _TEXT,
            "submitted_at": _DATETIME,
            "sla_due_date": _DATE,
            "payment_status": {"type": ["string", "null"], "enum": [None, "unpaid", "paid", "refunded"]},
            "history": {
                "type": "array",
                "items": _object({"status": _STATUS, "at": _DATETIME, "message_ar": _TEXT}, ["status", "at"]),
            },
        }
    ),
    "NoticeAnswer": _object(
        {"received": {"type": "boolean", "const": True}, "outcome": _TEXT},
        description="A genuine gateway notice, applied or recorded (also when it repeats one)",
    ),
    "OfficeRequest": _object(
        {
            "tracking_number": _TEXT,
            "version": {"type": "integer"},
            "status": _STATUS,
            "status_ar": _TEXT,
            "service_code": _TEXT,
            "service_name_ar": {"type": ["string", "null"]},
            "district_code": _TEXT,
            "department": _TEXT,
            "channel": _TEXT,
            "submitted_at": _DATETIME,
            "updated_at": _DATETIME,
            "sla_due_date": _DATE,
            "overdue": {"type": "boolean"},
            "fee_egp": {"type": "number"},
            "payment": {"type": ["object", "null"]},
            "details": {"type": "object"},
            "documents_received": {"type": "array", "items": _TEXT},
            "filed_at_office": {"type": ["string", "null"]},
            "assignee": {
                "type": ["object", "null"],
                "description": "The officer who holds the request: `officer` (principal) and `email`",
            },
            "documents": {
                "type": "array",
                "items": _object(
                    {
                        "document_id": _TEXT,
                        "document": _TEXT,
                        "status": {"enum": ["uploaded", "clean", "rejected", "received_at_window"]},
                        "rejection": {"type": ["string", "null"]},
                        "updated_at": {**_DATETIME, "description": "When it last changed: arrived, scanned, refused"},
                    },
                    ["document_id", "document", "status"],
                ),
            },
            "history": {"type": "array", "items": {"type": "object"}},
        },
        ["tracking_number", "version", "status", "district_code", "history"],
        description="A request as the back office sees it: never who asked",
    ),
}

EXAMPLE_APPLICATION: dict[str, Any] = {
    "service_code": "shop_licence",
    "district_code": "dokki",
    "applicant": {"full_name": "منى أحمد عبد الله", "national_id": "٢٩٠٠١٠١٢١١٢٣٤٩", "phone": "010 1234 5678"},
    "details": {"shop_address": "١٢ شارع التحرير، الدقي", "activity": "بقالة", "area_m2": "٤٥", "tenure": "leased"},
    "notify_by": "sms",
    "consent": True,
}
EXAMPLE_TRACKING_NUMBER = "4829107356122"

TRACKING_NUMBER_PARAMETER = Parameter(
    "tracking_number",
    "path",
    "The request's tracking number (13 digits, the last a check digit)",
    example=EXAMPLE_TRACKING_NUMBER,
)
IDEMPOTENCY_KEY_PARAMETER = Parameter(
    "Idempotency-Key",
    "header",
    "Names this attempt: the same key with the same body answers as the first time and creates nothing",
    {"type": "string", "pattern": "^[A-Za-z0-9._:-]{8,128}$"},
    example="shop-licence-2026-0001",
)
