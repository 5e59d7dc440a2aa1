"""The OpenAPI entries of chalicelib/api/routes/console_counter.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import Answer, Entry, Parameter, html_answer

_SERVICE = Parameter("service_code", "path", "The service's code in the catalogue", example="shop_licence")

ENTRIES: dict[tuple[str, str], Entry] = {
    # console_counter_search
    ("GET", "/v1/console/counter"): Entry(
        "The counter: the service chosen by typing (q, searched in Arabic); one match opens its form",
        tag="console",
        parameters=(Parameter("q", "query", "Words of the service's name, as typed", example="ترخيص محل"),),
        answers={200: html_answer("The services found"), 303: Answer("One match: to its form")},
    ),
    # console_counter_form
    ("GET", "/v1/console/counter/services/{service_code}"): Entry(
        "The counter: a service's walk-in form (clerk, manager)",
        tag="console",
        parameters=(_SERVICE,),
        answers={200: html_answer("The form")},
    ),
    # console_counter_file
    ("POST", "/v1/console/counter/services/{service_code}"): Entry(
        "The counter: files the walk-in for any active district, with the paper documents handed in (a form)",
        tag="console",
        parameters=(_SERVICE,),
        answers={201: html_answer("The receipt, to print"), 400: html_answer("The form again, with what is wrong")},
    ),
    # console_counter_receipt
    ("GET", "/v1/console/counter/receipts"): Entry(
        "The counter: a receipt printed again, marked «نسخة» (the filing office's windows only)",
        tag="console",
        parameters=(Parameter("tracking_number", "query", "The request's tracking number", required=True),),
        answers={200: html_answer("The receipt"), 404: html_answer("No request filed at this office's window")},
    ),
    # console_counter_lookup_form
    ("GET", "/v1/console/counter/lookup"): Entry(
        "The counter: the form that finds a walk-in's requests by the national ID on their card (clerk, manager)",
        tag="console",
        answers={200: html_answer("The form")},
    ),
    # console_counter_lookup
    ("POST", "/v1/console/counter/lookup"): Entry(
        "The counter: the walk-in's own requests, found by national ID (a form; audited, a few a minute)",
        tag="console",
        description="Every district's requests of this national ID: tracking number, service, status and date, "
        "nothing of anyone else. The national ID is posted, never put in a URL, and never logged.",
        answers={
            200: html_answer("The requests found, or a plain «none»"),
            400: html_answer("The form again: the national ID cannot be read"),
            403: html_answer("Not a clerk or manager, or no CSRF token"),
            429: html_answer("Too many lookups this minute, explained in Arabic"),
        },
    ),
}
