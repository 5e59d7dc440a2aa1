"""Bad input gets a clear Arabic and English error, never a 5xx, and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from chalice.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import national_id, submission

TABLES = ("shobbak-local-requests", "shobbak-local-applicants", "shobbak-local-idempotency")


def post(client: Client, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.http.post("/v1/requests", body=raw, headers={"Content-Type": "application/json", **(headers or {})})


def nothing_stored() -> bool:
    dynamodb = boto3.client("dynamodb")
    return all(dynamodb.scan(TableName=table, Select="COUNT")["Count"] == 0 for table in TABLES)


def assert_error_shape(body: dict[str, Any]) -> dict[str, Any]:
    error = body["error"]
    assert set(error) == {"code", "message_ar", "message_en", "fields"}
    assert any("\u0600" <= char <= "\u06ff" for char in error["message_ar"])
    assert error["message_en"]
    assert error["message_en"].isascii()
    for message in error["fields"].values():
        assert any("\u0600" <= char <= "\u06ff" for char in message)
    return error


def with_applicant(**changes: Any) -> dict[str, Any]:
    body = submission()
    body["applicant"].update(changes)
    return body


def with_detail(service_code: str, name: str, value: Any) -> dict[str, Any]:
    body = submission(service_code)
    body["details"][name] = value
    return body


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        pytest.param(
            submission(district_code="agouza"),
            400,
            "district_not_active",
            "district_code",
            id="district-not-rolled-out",
        ),
        pytest.param(
            submission(district_code="october"), 400, "invalid_fields", "district_code", id="unknown-district"
        ),
        pytest.param(
            submission(service_code=None) | {"service_code": "tax_refund"},
            400,
            "invalid_fields",
            "service_code",
            id="unknown-service",
        ),
        pytest.param(submission(consent=False), 400, "invalid_fields", "consent", id="no-consent"),
        pytest.param(
            {k: v for k, v in submission().items() if k != "consent"},
            400,
            "invalid_fields",
            "consent",
            id="consent-missing",
        ),
        pytest.param(submission(applicant="منى"), 400, "invalid_fields", "applicant", id="applicant-not-an-object"),
        pytest.param(
            with_applicant(national_id=national_id(century="3", birth="300101")),
            400,
            "invalid_fields",
            "applicant.national_id",
            id="national-id-born-in-the-future",
        ),
        pytest.param(
            with_applicant(national_id=national_id(century="4")),
            400,
            "invalid_fields",
            "applicant.national_id",
            id="national-id-unknown-century",
        ),
        pytest.param(
            with_applicant(national_id="123"), 400, "invalid_fields", "applicant.national_id", id="national-id-short"
        ),
        pytest.param(
            with_applicant(national_id=national_id(birth="991332")),
            400,
            "invalid_fields",
            "applicant.national_id",
            id="national-id-impossible-date",
        ),
        pytest.param(
            with_applicant(national_id=national_id(governorate="77")),
            400,
            "invalid_fields",
            "applicant.national_id",
            id="national-id-unknown-governorate",
        ),
        pytest.param(with_applicant(phone="0233345678"), 400, "invalid_fields", "applicant.phone", id="landline"),
        pytest.param(with_applicant(phone="+971501234567"), 400, "invalid_fields", "applicant.phone", id="foreign"),
        pytest.param(with_applicant(phone=1012345678), 400, "invalid_fields", "applicant.phone", id="phone-as-number"),
        pytest.param(with_applicant(full_name="M1"), 400, "invalid_fields", "applicant.full_name", id="bad-name"),
        pytest.param(
            submission(details={"colour": "أحمر"}), 400, "invalid_fields", "details.colour", id="unknown-detail"
        ),
        pytest.param(submission(details=[1, 2]), 400, "invalid_fields", "details", id="details-not-an-object"),
        pytest.param(
            with_detail("road_occupancy_new", "occupancy_type", ["other"]),
            400,
            "invalid_fields",
            "details.occupancy_type",
            id="choice-given-a-list",
        ),
        pytest.param(
            with_detail("building_permit", "plot_area_m2", 10**400),
            400,
            "invalid_fields",
            "details.plot_area_m2",
            id="number-beyond-any-float",
        ),
        pytest.param(
            with_detail("shop_licence", "shop_address", "\u200f\u200e"),
            400,
            "invalid_fields",
            "details.shop_address",
            id="required-text-of-invisible-marks",
        ),
        pytest.param(
            json.dumps(submission()).replace('"consent"', '"\\ud800": 1, "consent"'),
            400,
            "malformed_json",
            None,
            id="lone-surrogate-escape",
        ),
        pytest.param([submission()], 400, "malformed_json", None, id="body-is-a-list"),
        pytest.param('{"service_code": "shop_licence",', 400, "malformed_json", None, id="truncated-json"),
        pytest.param(b"\xff\xfe{}", 400, "malformed_json", None, id="not-utf8"),
        pytest.param('{"consent": NaN}', 400, "malformed_json", None, id="nan-is-not-json"),
        pytest.param("[" * 5000 + "]" * 5000, 400, "malformed_json", None, id="deep-nesting"),
        pytest.param(
            json.dumps(submission() | {"padding": "x" * 70_000}), 413, "body_too_large", None, id="over-64-kb"
        ),
    ],
)
def test_refused_with_a_clear_error_and_nothing_written(
    client: Client, body: Any, status: int, code: str, field: str | None
) -> None:
    response = post(client, body)

    assert response.status_code == status, response.body
    error = assert_error_shape(response.json_body)
    assert error["code"] == code
    if field is not None:
        assert field in error["fields"]
    assert nothing_stored()


def test_every_problem_is_reported_at_once(client: Client) -> None:
    body = submission(consent=False)
    body["applicant"] = {"full_name": "", "national_id": "1", "phone": "02"}

    fields = assert_error_shape(post(client, body).json_body)["fields"]

    assert {"consent", "applicant.full_name", "applicant.national_id", "applicant.phone"} <= set(fields)


def test_another_media_type_is_refused_in_the_error_shape(client: Client) -> None:
    # Form posts are the portal's, answered with pages (api/test_portal_forms.py); the rest is refused.
    response = client.http.post("/v1/requests", body="service_code=x", headers={"Content-Type": "text/plain"})

    assert response.status_code == 415
    assert assert_error_shape(response.json_body)["code"] == "unsupported_media_type"


def test_a_malformed_idempotency_key_is_refused(client: Client) -> None:
    response = post(client, submission(), {"Idempotency-Key": "a b"})

    assert response.status_code == 400
    assert assert_error_shape(response.json_body)["code"] == "invalid_idempotency_key"
    assert nothing_stored()


def test_unknown_district_filter_on_services_is_a_400(client: Client) -> None:
    response = client.http.get("/v1/services?district=atlantis")

    assert response.status_code == 400
    assert "district" in assert_error_shape(response.json_body)["fields"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
submission_like = st.fixed_dictionaries(
    {},
    optional={
        "service_code": json_values | st.sampled_from(["shop_licence", "demolition_licence"]),
        "district_code": json_values | st.sampled_from(["dokki", "agouza"]),
        "applicant": json_values
        | st.fixed_dictionaries(
            {}, optional={"full_name": json_values, "national_id": json_values, "phone": json_values}
        ),
        "details": json_values,
        "consent": json_values,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=submission_like)
def test_no_body_ever_gets_a_5xx(client: Client, body: dict[str, Any]) -> None:
    response = post(client, body)

    assert response.status_code in (201, 400), response.body
    if response.status_code == 400:
        assert_error_shape(response.json_body)
