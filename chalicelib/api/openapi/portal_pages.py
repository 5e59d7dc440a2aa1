"""The OpenAPI entries of chalicelib/api/routes/portal_pages.py, by route."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    Entry,
    Parameter,
    form_body,
    html_answer,
    redirect_answer,
)

_REOPENED = {303: redirect_answer("Back to the portal: a page these forms answer with has no answers to show")}

ENTRIES: dict[tuple[str, str], Entry] = {
    # application_step
    ("POST", "/v1/portal/applications"): Entry(
        "The portal's application form: checks the answers and writes nothing",
        tag="portal",
        body=form_body(
            "The form's fields: service_code, district_code, full_name, national_id, phone, consent and the "
            "service's fields by name",
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"service_code": "shop_licence", "district_code": "dokki", "full_name": "منى أحمد عبد الله"},
        ),
        answers={
            200: html_answer("The check-your-answers page (or the form again, when asked to edit)"),
            400: html_answer("The form again with an error summary, or a page saying the choice is unknown"),
            415: html_answer("Not a form: a page pointing back to the portal"),
        },
    ),
    # application_step_reopened
    ("GET", "/v1/portal/applications"): Entry("The check page reopened", tag="portal", answers=_REOPENED),
    # confirmation_reopened
    ("GET", "/v1/requests"): Entry("The confirmation page reopened", tag="portal", answers=_REOPENED),
    # track_result_reopened
    ("GET", "/v1/inquiries"): Entry(
        "The track form with the number filled in (the receipt's QR code), or a result page reopened",
        tag="portal",
        parameters=(Parameter("tracking_number", "query", "The number to fill in; without a valid one, 303"),),
        answers={200: html_answer("The track form, the number filled in"), **_REOPENED},
    ),
}
