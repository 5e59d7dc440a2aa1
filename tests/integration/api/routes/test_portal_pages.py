"""The portal's forms without JavaScript: urlencoded posts answered with whole HTML pages."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
from chalice.test import Client

from chalicelib.domain.calendar import cairo_today
from chalicelib.portal.wording import fee_text
from chalicelib.services.catalogue import current_catalogue
from chalicelib.store.applicants import ApplicantRecord
from tests.factories import national_id, submission
from tests.integration.api.calls import post_json

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def form_of(body: dict[str, Any]) -> dict[str, str]:
    """The application form's fields for a JSON submission body."""
    fields = {"service_code": body["service_code"], "district_code": body["district_code"]}
    fields.update({f"applicant.{name}": str(value) for name, value in body["applicant"].items()})
    fields.update({f"details.{name}": str(value) for name, value in body["details"].items()})
    if body.get("consent"):
        fields["consent"] = "yes"
    return fields


def post_form(client: Client, path: str, fields: dict[str, str]) -> Any:
    return client.http.post(path, body=urlencode(fields), headers=FORM)


def page_of(response: Any) -> str:
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    return response.body.decode("utf-8")


def hidden_fields(page: str) -> dict[str, str]:
    """What the check page's form carries, as a browser would send it back."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
    return {name: html.unescape(value) for name, value in found}


def tracking_number_on(page: str) -> str:
    grouped = re.search(r'<p class="reference" dir="ltr">([0-9 ]+)</p>', page)
    assert grouped, page
    return grouped.group(1).replace(" ", "")


def checked(client: Client, fields: dict[str, str]) -> str:
    response = post_form(client, "/v1/portal/applications", {**fields, "step": "check"})
    assert response.status_code == 200, response.body
    return page_of(response)


def test_the_check_page_shows_every_answer_and_carries_them_with_a_key(client: Client) -> None:
    fields = form_of(submission("shop_licence"))
    page = checked(client, fields)

    assert "راجع بيانات طلبك قبل إرساله" in page
    carried = hidden_fields(page)
    assert {name: carried[name] for name in fields} == fields
    assert re.fullmatch(r"portal-[A-Za-z0-9_-]{32}", carried["idempotency_key"])
    assert "<bdi>منى أحمد عبد الله</bdi>" in page
    assert "<bdi>ملك</bdi>" in page  # a choice is shown by its Arabic label, not its code
    assert 'action="http://127.0.0.1:8000/v1/requests"' in page


def test_checking_writes_nothing(client: Client) -> None:
    checked(client, form_of(submission("shop_licence")))

    dynamodb = boto3.client("dynamodb")
    for table in ("requests", "applicants", "idempotency"):
        assert dynamodb.scan(TableName=f"shobbak-local-{table}")["Count"] == 0


def test_confirming_files_once_however_often_it_is_sent(client: Client) -> None:
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))

    first = post_form(client, "/v1/requests", carried)
    again = post_form(client, "/v1/requests", carried)

    assert first.status_code == again.status_code == 201
    number = tracking_number_on(page_of(first))
    assert tracking_number_on(page_of(again)) == number
    assert "تم إرسال طلبك" in page_of(first)
    tracked = post_json(client, "/v1/inquiries", {"tracking_number": number, "national_id_last4": national_id()[-4:]})
    assert tracked.status_code == 200
    assert len(tracked.json_body["history"]) == 1


def test_the_confirmation_shows_the_number_in_groups_and_how_to_pay(client: Client) -> None:
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))
    page = page_of(post_form(client, "/v1/requests", carried))

    grouped = re.search(r'<p class="reference" dir="ltr">([0-9 ]+)</p>', page)
    assert grouped
    assert re.fullmatch(r"[0-9]{4} [0-9]{3} [0-9]{3} [0-9]{3}", grouped.group(1))  # no lone last digit
    service = current_catalogue().service("shop_licence", on=cairo_today(datetime.now(UTC)))
    assert service is not None
    assert f"<strong>{fee_text(service.fee_egp)}</strong>" in page
    assert "/payment.html" in page


def test_a_form_with_mistakes_comes_back_filled_in_with_a_summary(client: Client) -> None:
    fields = form_of(submission("shop_licence"))
    fields["applicant.national_id"] = "123"
    fields["details.area_m2"] = "٠"
    del fields["consent"]

    response = post_form(client, "/v1/portal/applications", {**fields, "step": "check"})

    assert response.status_code == 400
    page = page_of(response)
    assert page.count('<div class="error-summary"') == 1
    assert "<title>خطأ: " in page
    for field_id in ("f-applicant-national_id", "f-details-area_m2", "f-consent"):
        assert f'<a href="#{field_id}">' in page
        assert f'id="{field_id}-error">' in page
    assert 'aria-describedby="f-applicant-national_id-hint f-applicant-national_id-error"' in page
    assert 'value="123"' in page
    assert 'value="٠"' in page
    assert 'value="منى أحمد عبد الله"' in page


def test_digits_in_arabic_indic_and_persian_are_accepted(client: Client) -> None:
    body = submission("shop_licence")
    fields = form_of(body)
    fields["applicant.national_id"] = national_id().translate(ARABIC_INDIC)
    fields["applicant.phone"] = "۰۱۰ ۱۲۳۴ ۵۶۷۸"
    fields["details.area_m2"] = "٤٥"

    carried = hidden_fields(checked(client, fields))
    assert carried["details.area_m2"] == "٤٥"
    assert post_form(client, "/v1/requests", carried).status_code == 201


def test_change_brings_back_the_form_filled_in(client: Client) -> None:
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))

    response = post_form(client, "/v1/portal/applications", {**carried, "step": "edit"})

    assert response.status_code == 200
    page = page_of(response)
    assert "error-summary" not in page
    assert 'name="applicant.phone" type="tel" value="01012345678"' in page
    assert 'value="yes" checked' in page


def test_a_form_naming_no_real_service_gets_a_page_not_json(client: Client) -> None:
    fields = form_of(submission("shop_licence"))
    fields["service_code"] = "no_such_service"

    response = post_form(client, "/v1/portal/applications", fields)

    assert response.status_code == 400
    assert "لم نتعرف على الخدمة أو الحي المختار" in page_of(response)


def test_a_district_not_yet_online_is_refused_on_the_form(client: Client) -> None:
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))
    carried["district_code"] = "haram"

    response = post_form(client, "/v1/requests", carried)

    assert response.status_code == 400
    assert "لم تبدأ الخدمات الإلكترونية في الهرم بعد" in page_of(response)


def test_a_reused_key_with_other_answers_is_explained_on_the_form(client: Client) -> None:
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))
    assert post_form(client, "/v1/requests", carried).status_code == 201
    carried["details.activity"] = "مكتبة"

    response = post_form(client, "/v1/requests", carried)

    assert response.status_code == 400
    assert "سبق استخدام مفتاح منع التكرار" in page_of(response)


def test_tracking_by_form_shows_the_status_in_arabic(client: Client) -> None:
    carried = hidden_fields(checked(client, form_of(submission("shop_licence"))))
    number = tracking_number_on(page_of(post_form(client, "/v1/requests", carried)))

    response = post_form(
        client,
        "/v1/inquiries",
        {
            "tracking_number": " ".join(number[start : start + 4] for start in range(0, len(number), 4)),
            "national_id_last4": national_id()[-4:].translate(ARABIC_INDIC),
        },
    )

    assert response.status_code == 200
    page = page_of(response)
    assert "حالة طلبك: في انتظار سداد الرسوم" in page
    assert "ترخيص محل عام" in page
    assert "الدقي" in page
    assert "لم تُسدَّد بعد" in page


@pytest.mark.parametrize(
    ("fields", "status", "message"),
    [
        ({"tracking_number": "12", "national_id_last4": ""}, 400, "رقم المتابعة غير صحيح"),
        ({"tracking_number": "1234567890123", "national_id_last4": "2349"}, 404, "لم نجد طلبًا بهذه البيانات"),
    ],
)
def test_a_track_form_that_finds_nothing_comes_back_filled_in(
    client: Client, fields: dict[str, str], status: int, message: str
) -> None:
    response = post_form(client, "/v1/inquiries", fields)

    assert response.status_code == status
    page = page_of(response)
    assert message in page
    assert '<a href="#f-tracking_number">' in page
    assert f'value="{fields["tracking_number"]}"' in page


def test_the_json_api_is_unchanged_for_other_media_types(client: Client) -> None:
    response = client.http.post("/v1/requests", body="{}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json_body["error"]["code"] == "unsupported_media_type"
    assert post_json(client, "/v1/requests", submission("shop_licence")).status_code == 201


def test_form_pages_forbid_framing_and_foreign_scripts(client: Client) -> None:
    response = post_form(client, "/v1/portal/applications", {**form_of(submission("shop_licence")), "step": "check"})

    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src http://127.0.0.1:8080;" in policy
    assert response.headers["Cache-Control"] == "no-store"


def test_a_body_that_is_not_utf8_gets_a_page(client: Client) -> None:
    response = client.http.post("/v1/portal/applications", body="applicant.full_name=%FF%FE", headers=FORM)

    assert response.status_code == 400
    assert "تعذر قراءة بيانات النموذج" in page_of(response)


def test_deployed_the_pages_are_same_origin(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    """dev and prod (.chalice/config.json): CloudFront serves the portal and the API under one domain."""
    monkeypatch.setenv("PORTAL_BASE_URL", "/")
    monkeypatch.setenv("API_BASE_URL", "/")

    response = post_form(client, "/v1/portal/applications", {**form_of(submission("shop_licence")), "step": "check"})

    page = page_of(response)
    assert '<form method="post" action="/v1/requests">' in page
    assert '<link rel="stylesheet" href="/assets/portal.' in page
    assert '<a href="/track.html">' in page
    assert "script-src 'self'; " in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("path", "portal_page"),
    [("/v1/portal/applications", "/"), ("/v1/requests", "/"), ("/v1/inquiries", "/track.html")],
)
def test_a_result_page_opened_again_leads_back_to_the_portal(client: Client, path: str, portal_page: str) -> None:
    response = client.http.get(path)

    assert response.status_code == 303
    assert response.headers["Location"] == "http://127.0.0.1:8080" + portal_page


def test_the_channel_chosen_on_the_form_is_the_one_stored(client: Client) -> None:
    fields = {**form_of(submission("shop_licence")), "notify_by": "voice"}
    carried = hidden_fields(checked(client, fields))

    confirmed = post_form(client, "/v1/requests", carried)

    tracking_number = tracking_number_on(page_of(confirmed))
    assert ApplicantRecord.get(tracking_number).notify_by == "voice"


@pytest.mark.parametrize("headers", [{}, {"Content-Type": "application/json"}])
def test_the_application_step_answers_anything_but_a_form_with_a_page(client: Client, headers: dict[str, str]) -> None:
    # Found by Schemathesis: a post without a Content-Type (read as JSON) got Chalice's own JSON 415.
    response = client.http.post("/v1/portal/applications", body="{}", headers=headers)

    assert response.status_code == 415
    assert response.headers["Content-Type"].startswith("text/html")
    assert "ابدأ من الصفحة الرئيسية" in response.body.decode("utf-8")


# --- the error summary: each question and what is wrong with it, linked to it -------------------------


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
