"""The OpenAPI entries of chalicelib/api/routes/documents.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    Parameter,
    error_answer,
    html_answer,
    json_answer,
    json_body,
    with_busy,
)
from chalicelib.api.openapi.schemas import (
    TRACKING_NUMBER_PARAMETER,
)

ENTRIES: dict[tuple[str, str], Entry] = {
    # offer_upload
    ("POST", "/v1/requests/{tracking_number}/documents"): Entry(
        "Upload one of the request's documents: a presigned POST a plain HTML form can use",
        tag="citizen",
        description="PDF, JPEG or PNG, at most 10 MB: the POST policy pins the key, the declared type, the size "
        "range and the redirect back. The track and confirmation pages post here as a form with only "
        "national_id_last4 and get the upload page: a single-use slot for every document the request may still "
        "take, an S3 form for the first four (no type declared: the file's first bytes decide it on arrival), "
        "and how many come next.",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        body=json_body(
            "Which document, and the file as declared",
            {
                "type": "object",
                "properties": {
                    "national_id_last4": {"type": "string"},
                    "document": {"type": "string"},
                    "file_name": {"type": "string"},
                    "content_type": {"enum": ["application/pdf", "image/jpeg", "image/png"]},
                    "size_bytes": {"type": "integer", "minimum": 1, "maximum": 10485760},
                },
                "required": ["national_id_last4", "document", "content_type"],
            },
            {
                "national_id_last4": "2349",
                "document": "shop_deed_or_lease",
                "file_name": "عقد الإيجار.pdf",
                "content_type": "application/pdf",
                "size_bytes": 482133,
            },
            form={"type": "object", "additionalProperties": {"type": "string"}},
        ),
        answers=with_busy(
            {
                201: json_answer(
                    "The upload form's target and fields",
                    {
                        "type": "object",
                        "properties": {
                            "document_id": {"type": "string"},
                            "upload": {
                                "type": "object",
                                "properties": {
                                    "url": {"type": "string"},
                                    "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                                },
                                "required": ["url", "fields"],
                            },
                        },
                        "required": ["document_id", "upload"],
                    },
                ),
                200: html_answer("The upload page: an S3 form per document, four at most (a form post)"),
                400: error_answer("Invalid document, type, size or digits", "invalid_fields")
                | html_answer("A page saying why (a form post)"),
                404: error_answer("No request matches these details", "not_found"),
                409: error_answer(
                    "The request is finished (`request_finished`); it was reviewed and takes no more documents"
                    " (`documents_closed`); this document was accepted already and the office did not ask for"
                    " it again (`document_accepted`); or the request has had all the upload slots it is offered"
                    " (`too_many_uploads`)",
                    "request_finished",
                    "documents_closed",
                    "document_accepted",
                    "too_many_uploads",
                ),
                429: error_answer(
                    "Too many failed attempts on this tracking number this hour, issued or not", "too_many_attempts"
                )
                | html_answer("A page saying when to return (a form post)"),
                413: error_answer("The body is larger than 64 KB", "body_too_large"),
                415: error_answer("Not JSON", "unsupported_media_type"),
            },
            pages=True,
        ),
    ),
    # uploaded
    ("GET", "/v1/requests/{tracking_number}/documents/{document_id}/uploaded"): Entry(
        "Where S3 sends the browser back after an upload: a page saying what was received",
        tag="portal",
        parameters=(
            TRACKING_NUMBER_PARAMETER,
            Parameter(
                "document_id",
                "path",
                "The upload's id (32 hex digits)",
                required=True,
                example="0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e0f",
            ),
            Parameter("key", "query", "Added by S3"),
            Parameter("bucket", "query", "Added by S3"),
            Parameter("etag", "query", "Added by S3"),
        ),
        answers=with_busy(
            {
                200: html_answer("What was received, and the forms of that page's slots still without a file"),
                404: html_answer("No such upload"),
            },
            pages=True,
        ),
    ),
}
