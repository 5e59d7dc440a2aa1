"""The track page tells the citizen what to do now, first under the status: what to pay, where
and by when; what the office asks for, with the uploads; where to collect and what to bring."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from chalice.test import Client

from chalicelib.domain.calendar import CAIRO, arabic_date
from chalicelib.domain.tracking import grouped_for_reading
from chalicelib.store.requests.request import load_request_record
from tests.factories import free_service_code, national_id, paid_service_code, submission
from tests.integration.api.calls import hand_in_every_document, post_json
from tests.integration.api.conftest import StaffHeaders

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def track_page(client: Client, tracking_number: str) -> str:
    fields = {"tracking_number": tracking_number, "national_id_last4": national_id()[-4:]}
    response = client.http.post("/v1/inquiries", body=urlencode(fields), headers=FORM)
    assert response.status_code == 200, response.body
    return response.body.decode("utf-8")


def first_part(page: str) -> str:
    """The page from its heading to the request's summary: what a citizen sees at a glance."""
    start = page.index("<h1>")
    return page[start : page.index('<dl class="summary">\n<div><dt>الخدمة</dt>', start)]


def move(client: Client, headers: dict[str, str], tracking_number: str, **body: Any) -> None:
    moved = post_json(client, f"/v1/office/requests/{tracking_number}/transitions", body, headers)
    assert moved.status_code == 200, moved.body


def test_a_fee_due_shows_the_amount_the_grouped_reference_the_pay_by_moment_in_cairo_and_the_card_button(
    client: Client,
) -> None:
    answer = post_json(client, "/v1/requests", submission(paid_service_code())).json_body
    record = load_request_record(answer["tracking_number"])
    assert record is not None
    assert record.payment is not None
    pay_by = record.payment.expires_at.astimezone(CAIRO)

    top = first_part(track_page(client, answer["tracking_number"]))

    reference = answer["payment"]["reference"]
    grouped = grouped_for_reading(reference)
    assert "المطلوب منك الآن" in top
    assert f'<strong class="due-reference" dir="ltr">{grouped}</strong>' in top
    assert str(answer["payment"]["amount_egp"]) in top
    assert arabic_date(pay_by.date()) in top
    assert f"{(pay_by.hour % 12) or 12}:{pay_by.minute:02d}" in top
    assert "بتوقيت القاهرة" in top
    assert "/card-payments" in top
    assert "ادفع الرسوم الآن بالبطاقة البنكية" in top


def test_an_invoice_past_its_end_says_so_instead_of_offering_a_reference(client: Client, monkeypatch: Any) -> None:
    monkeypatch.setenv("INVOICE_VALIDITY_HOURS", "0")  # the invoice ends as it is issued

    answer = post_json(client, "/v1/requests", submission(paid_service_code())).json_body
    top = first_part(track_page(client, answer["tracking_number"]))

    assert "انتهت مهلة سداد الرسوم" in top
    assert "due-reference" not in top
    assert "/card-payments" not in top


def test_needs_info_puts_the_officers_reason_and_the_missing_documents_with_their_uploads_first(
    client: Client, staff: StaffHeaders
) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]
    officer = staff("officer", "dokki")
    move(client, officer, tracking_number, to="in_review", note="استلمت", version=1)
    move(client, officer, tracking_number, to="needs_info", note="ناقص",
         message_to_citizen="أرسل صورة واضحة لعقد الإيجار.", version=2)  # fmt: skip

    top = first_part(track_page(client, tracking_number))

    assert "المطلوب منك الآن" in top
    assert "أرسل صورة واضحة لعقد الإيجار." in top
    assert f"/v1/requests/{tracking_number}/documents" in top
    assert "المستندات المطلوبة" in top


def test_ready_says_where_to_collect_and_what_to_bring(client: Client, staff: StaffHeaders) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]
    officer, manager = staff("officer", "dokki"), staff("manager", "dokki")
    move(client, officer, tracking_number, to="in_review", note="استلمت", version=1)
    received = hand_in_every_document(client, manager, tracking_number).json_body
    version = received.get("version", 3)
    move(client, officer, tracking_number, to="approved", note="مستوفى", version=version)
    move(client, officer, tracking_number, to="ready", note="جاهز", version=version + 1)

    top = first_part(track_page(client, tracking_number))

    assert "استلم طلبك من مركز الخدمات في الدقي" in top
    assert "أحضر معك" in top
    assert "بطاقة الرقم القومي لمقدم الطلب" in top


def test_a_request_under_review_asks_nothing_of_the_citizen(client: Client, staff: StaffHeaders) -> None:
    tracking_number = post_json(client, "/v1/requests", submission(free_service_code())).json_body["tracking_number"]
    move(client, staff("officer", "dokki"), tracking_number, to="in_review", note="استلمت", version=1)

    top = first_part(track_page(client, tracking_number))

    assert "لا يلزمك شيء الآن" in top
    assert not re.search("<form", top)
