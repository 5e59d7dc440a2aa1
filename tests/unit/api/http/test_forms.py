"""The portal's plain HTML forms (chalicelib/api/http/forms.py), read into the JSON API's bodies."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from chalicelib.api.http.forms import (
    MAX_FORM_FIELDS,
    application_body,
    form_fields,
    inquiry_body,
    sent_as_form,
)
from chalicelib.domain.errors import InvalidInput
from tests.unit.api.http.requests import request_of

FORM = "application/x-www-form-urlencoded"


def test_a_form_is_told_from_json_by_its_media_type_alone() -> None:
    assert sent_as_form(request_of("a=1", "Application/X-WWW-Form-Urlencoded; charset=utf-8"))
    assert not sent_as_form(request_of("{}", "application/json"))
    assert not sent_as_form(request_of("a=1", None))


def test_fields_are_read_in_utf8_blank_ones_kept_and_a_repeated_name_keeps_its_last_value() -> None:
    body = urlencode([("applicant.full_name", "منى أحمد"), ("note", ""), ("step", "check"), ("step", "confirm")])

    assert form_fields(request_of(body, FORM)) == {"applicant.full_name": "منى أحمد", "note": "", "step": "confirm"}


@pytest.mark.parametrize(
    "body",
    [pytest.param(b"name=\xff", id="raw-bytes-not-utf8"), pytest.param(b"name=%FF%FE", id="escapes-not-utf8")],
)
def test_a_form_that_is_not_utf8_is_refused_in_both_languages(body: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        form_fields(request_of(body, FORM))

    assert refused.value.code == "malformed_form"
    assert refused.value.message_ar
    assert refused.value.message_en.isascii()


def test_more_fields_than_any_form_has_are_refused() -> None:
    body = urlencode([(f"f{index}", "x") for index in range(MAX_FORM_FIELDS + 1)])

    with pytest.raises(InvalidInput):
        form_fields(request_of(body, FORM))
    assert len(form_fields(request_of(urlencode([(f"f{i}", "x") for i in range(MAX_FORM_FIELDS)]), FORM))) == 100


def test_the_application_form_becomes_the_json_submission_body() -> None:
    fields = {
        "service_code": "shop_licence",
        "district_code": "dokki",
        "applicant.full_name": "منى",
        "applicant.phone": "01012345678",
        "details.activity": "بقالة",
        "notify_by": "whatsapp",
        "consent": "yes",
        "step": "confirm",
        "idempotency_key": "portal-1234-abcdef",
    }

    assert application_body(fields) == {
        "service_code": "shop_licence",
        "district_code": "dokki",
        "applicant": {"full_name": "منى", "phone": "01012345678"},
        "details": {"activity": "بقالة"},
        "notify_by": "whatsapp",
        "consent": True,
    }


def test_an_empty_application_form_asks_for_sms_and_gives_no_consent() -> None:
    assert application_body({"consent": "on"}) == {
        "service_code": "",
        "district_code": "",
        "applicant": {},
        "details": {},
        "notify_by": "sms",
        "consent": False,
    }


def test_the_track_form_becomes_the_json_inquiry_body() -> None:
    assert inquiry_body({"tracking_number": "4829 1073 5612 2", "other": "x"}) == {
        "tracking_number": "4829 1073 5612 2",
        "national_id_last4": "",
    }
