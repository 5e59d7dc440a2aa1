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
}
