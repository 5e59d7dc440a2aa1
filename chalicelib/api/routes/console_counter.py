"""The counter in the office console (issue 21, section 2): a clerk or manager files a walk-in
for any active district and prints its receipt, keyboard-only, with JavaScript off.

    GET  /v1/console/counter                     the service, chosen by typing (one match: its form)
    GET  /v1/console/counter/services/{service}  the service's form
    POST /v1/console/counter/services/{service}  files it: the receipt, or the form with what is wrong
    GET  /v1/console/counter/receipts?tracking_number=…  the receipt again, marked «نسخة»
    GET  /v1/console/counter/lookup              a walk-in's requests, by the national ID on their card
    POST /v1/console/counter/lookup              (posted, never in a URL: no log or history holds it)

A shop_licence walk-in is three page loads: the search (Enter), the form (Enter), the receipt.
Filing goes through services/intake.py's `file_at_window`, as the office API's POST
/v1/office/requests does: the portal's questions (portal/fields.py) and the same validation.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from chalice import Blueprint, Response

from chalicelib.api.http.console_session import FORM_TYPES, ConsolePage, console_page, see_other
from chalicelib.console import render as pages

console_counter = Blueprint(__name__)
COUNTER = "/v1/console/counter"
DOCUMENT_PREFIX = "document."
IDEMPOTENCY_FIELD = "idempotency_key"


def _problem(page: ConsolePage, title: str, message: str, status: int) -> Response:
    return page.html(pages.render("problem.html.j2", session=page.session, csrf=page.csrf, title=title,
                                  message=message), status)  # fmt: skip


def _not_for_you(page: ConsolePage) -> Response:
    return _problem(page, "غير متاح لدورك", "تسجيل الطلبات الحضورية لموظف الشباك ومدير الحي.", 403)


@console_counter.route(COUNTER, methods=["GET"])
@console_page(console_counter)
def console_counter_search(page: ConsolePage) -> Response:
    from chalicelib.services.counter import find_services, may_file

    if not may_file(page.staff):
        return _not_for_you(page)
    query = (page.request.query_params or {}).get("q", "")
    found = find_services(query, datetime.now(UTC))
    if query.strip() and len(found) == 1:
        return see_other(f"{COUNTER}/services/{found[0].code}")
    return page.html(pages.render("counter/search.html.j2", session=page.session, csrf=page.csrf, query=query,
                                  services=found))  # fmt: skip


def _service(code: str, now: datetime) -> Any:
    from chalicelib.domain.calendar import cairo_today
    from chalicelib.services.catalogue import current_catalogue

    return current_catalogue().service(code, on=cairo_today(now))


def _form_page(
    page: ConsolePage, service: Any, values: dict[str, str], errors: dict[str, str], key: str, now: datetime
) -> Response:
    from chalicelib.api.http.pages import site
    from chalicelib.portal import urls
    from chalicelib.portal.fields import APPLICANT_QUESTIONS, Question, detail_questions
    from chalicelib.portal.render import CONSENT, problems_for
    from chalicelib.services.counter import filing_districts, read_national_id

    district_question = Question(name="district_code", label="الحي الذي يفحص الطلب", kind="choice", required=True)
    documents_question = Question(name="documents_received", label="المستندات المسلّمة ورقياً", kind="choice",
                                  required=False)  # fmt: skip
    details = detail_questions(service)
    questions = (district_question, *APPLICANT_QUESTIONS, *details, documents_question, CONSENT)
    labels = {question.id: question.label for question in questions}
    problems = problems_for(errors, questions)
    summary = {(target or "main"): (f"{labels[target]}: {text}" if target in labels else text)
               for target, text in problems.summary}  # fmt: skip
    typed_id = values.get("applicant.national_id", "")
    body = pages.render(
        "counter/file.html.j2", session=page.session, csrf=page.csrf, service=service, values=values,
        problems=summary, field_problems=problems, applicant_questions=APPLICANT_QUESTIONS,
        detail_questions=details, consent=CONSENT, districts=filing_districts(service),
        district=values.get("district_code") or page.staff.district_code, idempotency_key=key,
        reading=read_national_id(typed_id, now) if typed_id else None, site=site(), urls=urls,
        received={name.removeprefix(DOCUMENT_PREFIX) for name in values if name.startswith(DOCUMENT_PREFIX)},
    )  # fmt: skip
    return page.html(body, 400 if errors else 200)


@console_counter.route(COUNTER + "/services/{service_code}", methods=["GET"])
@console_page(console_counter)
def console_counter_form(page: ConsolePage, service_code: str) -> Response:
    from chalicelib.services.counter import may_file

    if not may_file(page.staff):
        return _not_for_you(page)
    now = datetime.now(UTC)
    service = _service(service_code, now)
    if service is None:
        return see_other(COUNTER)
    values = dict(page.session.kept_form or {})
    return _form_page(page, service, values, {}, values.get(IDEMPOTENCY_FIELD) or _new_key(), now)


def _new_key() -> str:
    return f"counter-{secrets.token_urlsafe(24)}"


@console_counter.route(COUNTER + "/services/{service_code}", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_counter)
def console_counter_file(page: ConsolePage, service_code: str) -> Response:
    from chalicelib.api.http.errors import refusal_of
    from chalicelib.api.http.forms import application_body
    from chalicelib.domain.errors import Busy, Forbidden, InvalidInput, TooManyRequests, Unavailable
    from chalicelib.domain.idempotency import read_idempotency_key
    from chalicelib.services.counter import may_file, receipt_of
    from chalicelib.services.intake import file_at_window

    if not may_file(page.staff):
        return _not_for_you(page)
    now = datetime.now(UTC)
    service = _service(service_code, now)
    if service is None:
        return see_other(COUNTER)
    values = {name: value for name, value in page.form.items() if name != "csrf"}
    key = values.get(IDEMPOTENCY_FIELD) or _new_key()
    body = {**application_body({**values, "service_code": service.code})}
    received = [document.code for document in service.documents if values.get(DOCUMENT_PREFIX + document.code)]
    if received:
        body["documents_received"] = received
    try:
        filed = file_at_window(page.staff, body, read_idempotency_key(key), now)
    except InvalidInput as refusal:
        return _form_page(page, service, values, refusal.fields or {"": refusal.message_ar}, key, now)
    except Forbidden:
        return _not_for_you(page)
    except (TooManyRequests, Busy, Unavailable) as error:
        refused = refusal_of(error)
        return _problem(page, "لم يُسجَّل الطلب", refused.message_ar + " ما كتبته لم يُحفظ بعد: ارجع وأعد الإرسال.",
                        refused.status)  # fmt: skip
    return _receipt_page(page, receipt_of(filed), 201)


def _receipt_page(page: ConsolePage, receipt: Any, status: int = 200) -> Response:
    body = pages.render("counter/receipt.html.j2", session=page.session, csrf=page.csrf, receipt=receipt,
                        qr=track_qr_data_uri(receipt.track_url), counter=COUNTER,
                        reprint=f"{COUNTER}/receipts?tracking_number={quote(receipt.tracking_number)}")  # fmt: skip
    return page.html(body, status)


def track_qr_data_uri(url: str) -> str:
    """The portal's track page with the number filled in, as a QR code made here by segno."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2, dark="#0b0c0c", light="#ffffff")


@console_counter.route(COUNTER + "/receipts", methods=["GET"])
@console_page(console_counter)
def console_counter_receipt(page: ConsolePage) -> Response:
    from chalicelib.domain.errors import Forbidden, NotFound
    from chalicelib.services.counter import reprint

    number = (page.request.query_params or {}).get("tracking_number", "")
    try:
        receipt = reprint(page.staff, number)
    except Forbidden:
        return _not_for_you(page)
    except NotFound:
        return _problem(page, "لا يوجد إيصال", "لا يوجد طلب بهذا الرقم سُجّل في شباك حيك.", 404)
    return _receipt_page(page, receipt)


def _lookup_page(
    page: ConsolePage, found: Any, typed: str = "", problems: dict[str, str] | None = None, status: int = 200
) -> Response:
    body = pages.render("counter/lookup.html.j2", session=page.session, csrf=page.csrf, found=found, typed=typed,
                        problems=problems or {})  # fmt: skip
    return page.html(body, status)


def _not_for_lookup(page: ConsolePage) -> Response:
    return _problem(page, "غير متاح لدورك", "البحث بالرقم القومي لموظف الشباك ومدير الحي.", 403)


@console_counter.route(COUNTER + "/lookup", methods=["GET"])
@console_page(console_counter)
def console_counter_lookup_form(page: ConsolePage) -> Response:
    from chalicelib.services.counter import may_look_up

    if not may_look_up(page.staff):
        return _not_for_lookup(page)
    return _lookup_page(page, None)


@console_counter.route(COUNTER + "/lookup", methods=["POST"], content_types=FORM_TYPES)
@console_page(console_counter)
def console_counter_lookup(page: ConsolePage) -> Response:
    """The walk-in's own requests (services/counter.py): audited, a few a minute per member of
    staff; the national ID typed comes back only when it cannot be read, to be corrected."""
    from chalicelib.api.http.errors import refusal_of
    from chalicelib.domain.errors import Busy, Forbidden, InvalidInput, TooManyRequests, Unavailable
    from chalicelib.services.counter import look_up_by_national_id

    typed = page.form.get("national_id", "")
    try:
        found = look_up_by_national_id(page.staff, typed, datetime.now(UTC))
    except Forbidden:
        return _not_for_lookup(page)
    except InvalidInput as refusal:
        return _lookup_page(page, None, typed, dict(refusal.fields) or {"national_id": refusal.message_ar}, 400)
    except (TooManyRequests, Busy, Unavailable) as error:
        refused = refusal_of(error)
        return _problem(page, "لم يتم البحث", refused.message_ar, refused.status)
    return _lookup_page(page, found)
