"""The error summary names each question and what is wrong with it, linked to it, in the words
the portal's script uses too (the form carries the server's words for an empty answer)."""

from __future__ import annotations

import html
import re
from urllib.parse import urlencode

from chalice.test import Client

from chalicelib.domain.catalogue import load_catalogue
from chalicelib.portal import render
from tests.factories import CATALOGUE_DAY

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def summary_of(page: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert box, page
    return [(target, html.unescape(text)) for target, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', box[0])]


def test_an_empty_form_names_every_question_left_empty(client: Client) -> None:
    fields = {"service_code": "shop_licence", "district_code": "dokki", "step": "check", "notify_by": "sms"}

    response = client.http.post("/v1/portal/applications", body=urlencode(fields), headers=FORM)

    assert response.status_code == 400
    assert summary_of(response.body.decode()) == [
        ("f-applicant-full_name", "أدخل الاسم الكامل"),
        ("f-applicant-national_id", "أدخل الرقم القومي"),
        ("f-applicant-phone", "أدخل رقم الهاتف المحمول"),
        ("f-details-shop_address", "أدخل عنوان المحل"),
        ("f-details-activity", "أدخل نشاط المحل"),
        ("f-details-area_m2", "أدخل مساحة المحل (م²)"),
        ("f-details-tenure", "اختر صفة الحيازة"),
        ("f-consent", "يلزم موافقتك على استخدام بياناتك لغرض هذا الطلب."),
    ]
    assert "هذا الحقل مطلوب" not in response.body.decode()


def test_a_wrong_answer_to_a_services_question_is_named_after_it(client: Client) -> None:
    fields = {"service_code": "shop_licence", "district_code": "dokki", "step": "check", "details.area_m2": "كبيرة"}

    response = client.http.post("/v1/portal/applications", body=urlencode(fields), headers=FORM)

    assert ("f-details-area_m2", "مساحة المحل (م²): اكتب رقمًا صحيحًا بالأرقام فقط.") in summary_of(
        response.body.decode()
    )


def test_the_form_carries_the_servers_words_for_each_empty_answer() -> None:
    catalogue = load_catalogue(1)
    service, district = catalogue.service("shop_licence", on=CATALOGUE_DAY), catalogue.district("dokki")
    assert service is not None
    assert district is not None

    page = render.application_page(render.Site(portal="", api=""), district, service)

    assert 'data-required="أدخل الاسم الكامل"' in page
    assert 'data-required="اختر صفة الحيازة"' in page
    assert 'data-label="مساحة المحل (م²)"' in page
