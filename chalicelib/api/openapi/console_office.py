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
    # console_assign
    ("POST", "/v1/console/requests/{tracking_number}/assignment"): Entry(
        "Takes the request (officer) or assigns it to an officer of the district (manager), on the version carried",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={200: html_answer("The request, assigned"), 409: html_answer("Changed first by someone: as it stands")},
    ),
    # console_reveal
    ("POST", "/v1/console/requests/{tracking_number}/identity"): Entry(
        "Reveals who asked (manager): a stated reason and a sign-in within 5 minutes; shown on the timeline",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={200: html_answer("The request with who asked"), 401: html_answer("Sign in again first")},
    ),
    # console_correct
    ("POST", "/v1/console/requests/{tracking_number}/applicant"): Entry(
        "Corrects who asked: the phone, the name or both (manager, within an hour of their reveal), with a reason",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={
            200: html_answer("The request, corrected"),
            400: html_answer("A field refused, explained; what was typed kept"),
            403: html_answer("Not a manager, or no reveal of theirs within the last hour"),
            409: html_answer("Changed first by someone; what was typed kept"),
        },
    ),
    # console_erase
    ("POST", "/v1/console/requests/{tracking_number}/erasure"): Entry(
        "Erases who asked on the data subject's request (manager, a sign-in within 5 minutes)",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={200: html_answer("The request, without identity"), 401: html_answer("Sign in again first")},
    ),
    # console_transfer
    ("POST", "/v1/console/requests/{tracking_number}/transfer"): Entry(
        "Transfers a misrouted request to another district, with a reason (hq)",
        tag="console",
        parameters=(TRACKING_NUMBER_PARAMETER,),
        answers={200: html_answer("The request, transferred"), 409: html_answer("Changed first by someone")},
    ),
    # console_search
    ("GET", "/v1/console/search"): Entry(
        "A tracking number to its request view (every district for hq)",
        tag="console",
        answers={303: Answer("To the request view"), 400: html_answer("No tracking number")},
    ),
    # console_figures
    ("GET", "/v1/console/figures"): Entry(
        "The performance screen in the console: the manager's district, or every district for hq (district, cursor)",
        tag="console",
        answers={200: html_answer("A page")},
    ),
    # console_my_work
    ("GET", "/v1/console/my-work"): Entry(
        "The open requests the member of staff holds, most urgent first",
        tag="console",
        answers={200: html_answer("A page")},
    ),
    # console_workload
    ("GET", "/v1/console/workload"): Entry(
        "The district's open and overdue requests per officer (manager; hq names a district)",
        tag="console",
        answers={200: html_answer("A page")},
    ),
}
