"""The citizen API (chalicelib/api/routes/citizen.py) through the Chalice test client, against moto's
DynamoDB: submission and inquiry, and bad input refused with a clear Arabic and English error, never
a 5xx, writing nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.tracking import new_tracking_number
from tests.factories import free_service_code, national_id, submission
from tests.integration.api.calls import assert_error_shape, assert_refused, stored_counts
from tools.testing.aws_calls import counted_aws_calls

TABLES = ("shobbak-local-requests", "shobbak-local-applicants", "shobbak-local-idempotency")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def post(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.http.post(path, body=raw, headers={"Content-Type": "application/json", **(headers or {})})


def stored_items() -> dict[str, int]:
    return stored_counts(TABLES)


def nothing_stored() -> bool:
    return set(stored_items().values()) == {0}


def test_a_fee_bearing_submission_answers_with_a_tracking_number_and_an_invoice(client: Client) -> None:
    response = post(client, "/v1/requests", submission())

    assert response.status_code == 201
    answer = response.json_body
    assert answer["tracking_number"].isdigit()
    assert 12 <= len(answer["tracking_number"]) <= 14
    assert answer["status"] == "awaiting_payment"
    assert answer["fee_egp"] > 0
    assert answer["sla_due_date"] > "2026-01-01"
    payment = answer["payment"]
    assert payment["reference"] == answer["tracking_number"] + "01"
    assert (payment["amount_egp"], payment["status"]) == (answer["fee_egp"], "unpaid")
    assert payment["expires_at"] > answer["submitted_at"]
    assert stored_items() == {TABLES[0]: 3, TABLES[1]: 1, TABLES[2]: 0}  # the request, its first entry, its proof


def test_a_free_service_starts_submitted_without_an_invoice(client: Client) -> None:
    answer = post(client, "/v1/requests", submission(free_service_code())).json_body

    assert answer["status"] == "submitted"
    assert answer["fee_egp"] == 0
    assert answer["payment"] is None


def test_the_citizen_tracks_the_request_with_the_last_four_digits(client: Client) -> None:
    submitted = post(client, "/v1/requests", submission()).json_body

    response = post(
        client,
        "/v1/inquiries",
        {
            "tracking_number": submitted["tracking_number"],
            "national_id_last4": national_id()[-4:],
        },
    )

    assert response.status_code == 200
    status = response.json_body
    assert status["tracking_number"] == submitted["tracking_number"]
    assert status["status"] == "awaiting_payment"
    assert status["status_ar"] == "في انتظار سداد الرسوم"
    assert status["district_code"] == "dokki"
    assert status["sla_due_date"] == submitted["sla_due_date"]
    assert status["payment_status"] == "unpaid"
    assert status["submitted_at"].endswith("Z")
    assert status["history"] == [{"status": "awaiting_payment", "at": status["submitted_at"]}]


def test_arabic_indic_digits_spaces_and_dashes_are_read_as_the_same_numbers(client: Client) -> None:
    body = submission()
    body["applicant"]["national_id"] = "\u200f" + " ".join(national_id().translate(ARABIC_INDIC))
    body["applicant"]["phone"] = "٠١٠-١٢٣٤-٥٦٧٨"
    submitted = post(client, "/v1/requests", body)
    assert submitted.status_code == 201

    tracking = submitted.json_body["tracking_number"]
    spaced = f"{tracking[:4]} {tracking[4:8]}-{tracking[8:]}".translate(ARABIC_INDIC)
    response = post(
        client,
        "/v1/inquiries",
        {
            "tracking_number": spaced,
            "national_id_last4": national_id()[-4:].translate(ARABIC_INDIC),
        },
    )
    assert response.status_code == 200


def test_an_unknown_number_and_wrong_digits_get_the_same_404(client: Client) -> None:
    tracking = post(client, "/v1/requests", submission()).json_body["tracking_number"]
    never_issued = new_tracking_number()

    wrong_digits = post(client, "/v1/inquiries", {"tracking_number": tracking, "national_id_last4": "0000"})
    unknown = post(client, "/v1/inquiries", {"tracking_number": never_issued, "national_id_last4": national_id()[-4:]})

    assert wrong_digits.status_code == unknown.status_code == 404
    assert wrong_digits.json_body == unknown.json_body
    assert wrong_digits.json_body["error"]["code"] == "not_found"


def test_a_mistyped_tracking_number_is_caught_before_any_lookup(client: Client) -> None:
    tracking = post(client, "/v1/requests", submission()).json_body["tracking_number"]
    mistyped = tracking[:-1] + str((int(tracking[-1]) + 1) % 10)

    response = post(client, "/v1/inquiries", {"tracking_number": mistyped, "national_id_last4": national_id()[-4:]})

    assert response.status_code == 400
    assert "tracking_number" in response.json_body["error"]["fields"]


def test_submission_is_one_transaction_and_inquiry_one_update_that_judges_and_answers(client: Client) -> None:
    with counted_aws_calls() as submit_calls:
        tracking = post(client, "/v1/requests", submission(), {"Idempotency-Key": "portal-0001-abcdef"}).json_body[
            "tracking_number"
        ]
    with counted_aws_calls() as inquiry_calls:
        post(client, "/v1/inquiries", {"tracking_number": tracking, "national_id_last4": national_id()[-4:]})

    assert dict(submit_calls) == {"dynamodb:TransactWriteItems": 1}
    # The attempt is judged and, had it been wrong, counted in one conditional update of the
    # request's proof, whose refusal carries the item a right one is answered from
    # (store/requests/proof.py; tests/integration/api/test_guessing.py).
    assert dict(inquiry_calls) == {"dynamodb:UpdateItem": 1}


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
        pytest.param(
            json.dumps(submission()).replace('"consent"', '"\\udc00": 1, "consent"'),
            400,
            "malformed_json",
            None,
            id="lone-low-surrogate-escape",
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
    response = post(client, "/v1/requests", body)

    assert_refused(response, status, code, field)
    assert nothing_stored()


def test_every_problem_is_reported_at_once(client: Client) -> None:
    body = submission(consent=False)
    body["applicant"] = {"full_name": "", "national_id": "1", "phone": "02"}

    fields = assert_error_shape(post(client, "/v1/requests", body).json_body)["fields"]

    assert {"consent", "applicant.full_name", "applicant.national_id", "applicant.phone"} <= set(fields)


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status", "code", "field"),
    [
        # Form posts are the portal's, answered with pages (routes/test_portal_pages.py); the rest is refused.
        pytest.param(
            "POST", "/v1/requests", "service_code=x", {"Content-Type": "text/plain"}, 415, "unsupported_media_type",
            None, id="another-media-type",
        ),
        pytest.param(
            "POST", "/v1/requests", json.dumps(submission()),
            {"Content-Type": "application/json", "Idempotency-Key": "a b"}, 400, "invalid_idempotency_key", None,
            id="malformed-idempotency-key",
        ),
        pytest.param(
            "GET", "/v1/services?district=atlantis", None, {}, 400, "invalid_fields", "district",
            id="unknown-district-filter-on-services",
        ),
    ],
)  # fmt: skip
def test_a_request_the_routes_cannot_take_is_refused_in_the_error_shape_and_writes_nothing(
    client: Client,
    method: str,
    path: str,
    body: str | None,
    headers: dict[str, str],
    status: int,
    code: str,
    field: str | None,
) -> None:
    response = client.http.request(method, path, body=body, headers=headers)

    assert_refused(response, status, code, field)
    assert nothing_stored()


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
    response = post(client, "/v1/requests", body)

    assert response.status_code in (201, 400), response.body
    if response.status_code == 400:
        assert_error_shape(response.json_body)
