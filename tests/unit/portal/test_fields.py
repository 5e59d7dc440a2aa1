"""chalicelib/portal/fields.py: the application form's questions, the names the form sends and the
answers read back from it, held against the catalogue and against what the API itself reads
(chalicelib/domain/application.py): one list, so no question is on the form and missing from the API
or the other way round. Plain Python, no AWS."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.api.http.forms import CONSENT_GIVEN, STEP, application_body
from chalicelib.domain.application import DEFAULT_TEXT_LENGTH, read_application
from chalicelib.domain.catalogue import Service, load_catalogue
from chalicelib.domain.errors import InvalidInput
from chalicelib.portal.fields import APPLICANT_QUESTIONS, answers, detail_questions, field_names
from tests.factories import CATALOGUE_DAY, submission

CATALOGUE = load_catalogue(1)
SERVICES = CATALOGUE.services(on=CATALOGUE_DAY)


def _service(code: str) -> Service:
    service = CATALOGUE.service(code, on=CATALOGUE_DAY)
    assert service is not None, code
    return service


def _form(service: Service) -> dict[str, str]:
    """What the portal's form sends for a valid application: every value a string, as a browser posts."""
    body: dict[str, Any] = submission(service.code)
    return {
        "service_code": body["service_code"],
        "district_code": body["district_code"],
        **{f"applicant.{name}": str(value) for name, value in body["applicant"].items()},
        **{f"details.{name}": str(value) for name, value in body["details"].items()},
        "notify_by": "whatsapp",
        "consent": CONSENT_GIVEN,
    }


def _refusal(form: dict[str, str]) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        read_application(application_body(form), CATALOGUE, CATALOGUE_DAY)
    return refused.value


def test_the_catalogue_offers_services_to_check() -> None:
    assert len(SERVICES) >= 5


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.code)
def test_a_service_s_questions_are_its_catalogue_fields_in_order(service: Service) -> None:
    questions = detail_questions(service)

    assert [q.name for q in questions] == [f"details.{f.name}" for f in service.fields]
    assert [q.label for q in questions] == [f.label_ar for f in service.fields]
    assert [q.required for q in questions] == [f.required for f in service.fields]
    assert [q.kind for q in questions] == [f.format or f.type for f in service.fields]
    assert all(q.detail for q in questions)
    assert not any(q.detail for q in APPLICANT_QUESTIONS)


def test_a_choice_keeps_the_catalogue_s_options_and_shows_an_answer_by_its_label() -> None:
    service = _service("shop_licence")
    tenure = next(q for q in detail_questions(service) if q.name == "details.tenure")
    field = next(f for f in service.fields if f.name == "tenure")

    assert tenure.options == tuple((option.value, option.label_ar) for option in field.options)
    value, label = tenure.options[0]
    assert tenure.shown(value) == label
    assert tenure.shown("not-an-option") == "not-an-option"  # a tampered value is shown as sent, not hidden


def test_a_number_says_its_range_in_the_hint_and_on_the_input() -> None:
    area = next(q for q in detail_questions(_service("shop_licence")) if q.name == "details.area_m2")

    assert area.hint == "بالأرقام، من 1 إلى 10000."
    assert (area.minimum_text, area.maximum_text) == ("1", "10000")
    assert area.inputmode == "decimal"
    assert area.digits
    assert area.id == "f-details-area_m2"


def test_a_date_and_a_reference_number_say_how_to_write_them_and_plain_text_says_nothing() -> None:
    questions = {q.name: q for q in detail_questions(_service("demolition_licence"))}

    assert questions["details.demolition_decision_date"].hint == "مثل 2026-12-31 (سنة-شهر-يوم)."
    reference = questions["details.demolition_decision_number"]
    assert reference.kind == "reference_number"
    assert reference.hint == "بالأرقام، مثل 123 لسنة 2024 أو 123/2024."
    assert reference.inputmode is None  # «لسنة» is a word: the ordinary keyboard, not the numeric one
    assert questions["details.property_address"].hint == ""
    assert questions["details.property_address"].minimum_text == ""


def test_a_text_with_no_limit_of_its_own_takes_the_limit_the_api_enforces() -> None:
    for service in SERVICES:
        for field, question in zip(service.fields, detail_questions(service), strict=True):
            if field.type in DEFAULT_TEXT_LENGTH:
                assert question.max_length == (field.max_length or DEFAULT_TEXT_LENGTH[field.type])
            else:
                assert question.max_length == field.max_length


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.code)
def test_the_form_s_names_are_the_applicant_s_then_the_service_s_then_consent(service: Service) -> None:
    names = field_names(service)

    assert names == (
        "applicant.full_name",
        "applicant.national_id",
        "applicant.phone",
        "notify_by",
        *(f"details.{f.name}" for f in service.fields),
        "consent",
    )
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.code)
def test_a_form_carrying_just_those_names_is_an_application_the_api_accepts(service: Service) -> None:
    form = _form(service)
    assert set(form) - {"service_code", "district_code"} == set(field_names(service))

    application = read_application(application_body(form), CATALOGUE, CATALOGUE_DAY)

    assert application.service.code == service.code


@pytest.mark.parametrize("service", SERVICES, ids=lambda service: service.code)
def test_every_answer_the_api_asks_for_on_an_empty_form_is_a_question_with_the_api_s_words(service: Service) -> None:
    empty = {"service_code": service.code, "district_code": "dokki"}
    questions = {q.name: q for q in (*APPLICANT_QUESTIONS, *detail_questions(service))}

    refusal = _refusal(empty)

    # notify_by is left out: an unsent choice is the form's default (sms), as application_body reads it
    required = {name for name, q in questions.items() if q.required and not q.default}
    assert "applicant.national_id" in required
    assert required <= set(refusal.fields)
    for name in required:
        assert refusal.fields[name] == questions[name].required_message
    assert set(refusal.fields) <= set(field_names(service))


def test_answers_keep_what_the_form_asks_and_drop_the_rest() -> None:
    service = _service("shop_licence")
    form = {
        **_form(service),
        STEP: "check",
        "idempotency_key": "portal-abc",
        "details.not_asked": "x",
        "applicant.role": "admin",
    }

    kept = answers(form, service)

    assert list(kept) == [name for name in field_names(service) if name in form]
    assert kept == {name: form[name] for name in field_names(service)}
    assert "details.not_asked" not in kept
    assert "applicant.role" not in kept
    assert "service_code" not in kept


def test_answers_keep_an_empty_answer_and_leave_out_an_unsent_one() -> None:
    service = _service("shop_licence")

    kept = answers({"applicant.full_name": "", "details.tenure": "owned"}, service)

    assert kept == {"applicant.full_name": "", "details.tenure": "owned"}
