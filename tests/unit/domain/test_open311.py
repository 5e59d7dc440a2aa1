"""Open311 in this service's words: plain Python, no AWS."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.errors import FieldProblem, invalid_fields
from chalicelib.domain.open311 import (
    Open311Error,
    application_from_form,
    check_jurisdiction,
    derived_idempotency_key,
    filing_refused,
    months_between,
    open311_status,
    read_request_query,
    split_format,
)
from chalicelib.domain.statuses import Status

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def test_a_form_becomes_the_citizen_s_application() -> None:
    form = {
        "service_code": "shop_licence",
        "first_name": " منى ",
        "last_name": "أحمد عبد الله",
        "phone": "01012345678",
        "lat": "30.03",
        "description": "ignored",
        "attribute[district_code]": "dokki",
        "attribute[national_id]": "29001012112349",
        "attribute[consent]": "TRUE",
        "attribute[notify_by]": "voice",
        "attribute[area_m2]": "45",
    }

    assert application_from_form(form) == {
        "service_code": "shop_licence",
        "district_code": "dokki",
        "applicant": {"full_name": "منى أحمد عبد الله", "national_id": "29001012112349", "phone": "01012345678"},
        "details": {"area_m2": "45"},
        "consent": True,
        "notify_by": "voice",
    }


def test_consent_is_only_the_word_true() -> None:
    assert application_from_form({"attribute[consent]": "yes"})["consent"] is False
    assert application_from_form({})["consent"] is False


def test_the_derived_idempotency_key_ignores_the_api_key_and_follows_every_other_argument() -> None:
    form = {"service_code": "shop_licence", "attribute[area_m2]": "45"}

    assert derived_idempotency_key({**form, "api_key": "a"}) == derived_idempotency_key({**form, "api_key": "b"})
    assert derived_idempotency_key(form) != derived_idempotency_key({**form, "attribute[area_m2]": "46"})


def test_a_refusal_lists_the_whole_then_each_field_by_its_open311_name_in_both_languages() -> None:
    refused = invalid_fields(
        {
            "applicant.full_name": FieldProblem("الاسم مطلوب.", "The name is required."),
            "details.area_m2": FieldProblem("اكتب رقمًا.", "Enter a number."),
            "consent": FieldProblem("الموافقة مطلوبة.", "Consent is required."),
        }
    )

    errors = filing_refused(refused).as_list()

    assert errors[0]["code"] == 400
    assert [error["description"] for error in errors[1:]] == [
        "first_name/last_name: الاسم مطلوب. — The name is required.",
        "attribute[consent]: الموافقة مطلوبة. — Consent is required.",
        "attribute[area_m2]: اكتب رقمًا. — Enter a number.",
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [(Status.SUBMITTED, "open"), (Status.READY, "open"), (Status.CLOSED, "closed"), (Status.CANCELLED, "closed")],
)
def test_only_final_statuses_are_closed(status: Status, expected: str) -> None:
    assert open311_status(status.value) == expected


@pytest.mark.parametrize(
    ("file_name", "expected"), [("shop_licence.json", ("shop_licence", "json")), ("a.b.xml", ("a.b", "xml"))]
)
def test_a_file_name_gives_the_code_and_format(file_name: str, expected: tuple[str, str]) -> None:
    assert split_format(file_name) == expected


@pytest.mark.parametrize("file_name", ["shop_licence", "shop_licence.csv", ".json", ""])
def test_another_file_name_is_not_found(file_name: str) -> None:
    with pytest.raises(Open311Error) as refused:
        split_format(file_name)
    assert refused.value.status == 404


def test_the_listing_defaults_to_the_last_90_days() -> None:
    query = read_request_query({}, NOW)

    assert (query.end - query.start).days == 90
    assert query.tracking_numbers == ()


def test_ids_are_read_in_any_digits_and_invalid_ones_dropped() -> None:
    query = read_request_query({"service_request_id": "٤٨٢٩١٠٧٣٥٦١٢٥, 1234, 4829107356122"}, NOW)

    assert query.tracking_numbers == ("4829107356122",)


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "not a date"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-05-01T00:00:00Z"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"end_date": "0001-01-01T00:00:00Z"},
        {"status": "open,pending"},
        {"service_request_id": ",".join(["4829107356122"] * 51)},
    ],
)
def test_an_invalid_listing_is_a_400(params: dict[str, str]) -> None:
    with pytest.raises(Open311Error) as refused:
        read_request_query(params, NOW)
    assert refused.value.status == 400


def test_months_run_from_the_end_back_to_the_start_across_a_year() -> None:
    assert months_between(datetime(2025, 11, 15, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)) == [
        "2026-01",
        "2025-12",
        "2025-11",
    ]


def test_only_giza_s_jurisdiction_is_served() -> None:
    check_jurisdiction(None)
    check_jurisdiction("giza.gov.eg")
    with pytest.raises(Open311Error):
        check_jurisdiction("cairo.gov.eg")
