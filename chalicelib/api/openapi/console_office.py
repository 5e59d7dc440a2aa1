"""The OpenAPI entries of chalicelib/api/routes/console_office.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import Answer, Entry, Parameter, html_answer
from chalicelib.api.openapi.schemas import TRACKING_NUMBER_PARAMETER

DOCUMENT_ID = Parameter("document_id", "path", "The document's id (32 hex digits)", required=True,
                        example="0f3c9a1e5b7d4c2a8e6f1b3d5a7c9e0f")  # fmt: skip

ENTRIES: dict[tuple[str, str], Entry] = {
    # console_queue
    ("GET", "/v1/console/queue"): Entry(
        "A district's queue, most urgent first (filters status, department, district for hq, cursor)",
        tag="console",
        answers={200: html_answer("A page")},
    ),
    # console_request
    ("GET", "/v1/console/requests/{tracking_number}"): Entry(
        "The blind request view: details, documents, timeline and the moves allowed",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={200: html_answer("A page"), 404: html_answer("No such request in the caller's districts")},
    ),
    # console_move
    ("POST", "/v1/console/requests/{tracking_number}/move"): Entry(
        "Moves a request, on the version the page carried (a form)",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={200: html_answer("The request, moved"), 409: html_answer("Moved first by someone: as it stands")},
    ),
    # console_open_document
    ("GET", "/v1/console/requests/{tracking_number}/documents/{document_id}"): Entry(
        "Opens a clean document (audited)",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER, DOCUMENT_ID),
        answers={303: Answer("To a short-lived link")},
    ),
}
