"""The shapes several routes share (chalicelib/api/openapi/schemas.py), held to what the code accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from chalicelib.api.openapi.schemas import (
    EXAMPLE_APPLICATION,
    EXAMPLE_TRACKING_NUMBER,
    IDEMPOTENCY_KEY_PARAMETER,
    NATIONAL_ID_LAST4,
    SCHEMAS,
    STATUS_SCHEMA,
    digits,
)
from chalicelib.domain.statuses import Status
from chalicelib.domain.tracking import is_valid_tracking_number


def valid(schema: dict[str, Any], value: Any) -> bool:
    return Draft202012Validator({**schema, "components": {"schemas": SCHEMAS}}).is_valid(value)


@pytest.mark.parametrize("written", ["1234", "١٢٣٤", "۱۲۳۴", "12 34", "-1-2-3-4-"])
def test_the_last_four_digits_may_be_written_in_any_of_the_three_digit_sets(written: str) -> None:
    assert valid(NATIONAL_ID_LAST4, written)


@pytest.mark.parametrize("written", ["123", "12345", "12a4", ""])
def test_anything_but_four_digits_is_not_the_last_four(written: str) -> None:
    assert not valid(NATIONAL_ID_LAST4, written)


def test_digits_takes_any_regex_quantifier() -> None:
    pattern = re.compile(digits("12,14", "A number")["pattern"])

    assert pattern.match("1" * 13)
    assert not pattern.match("1" * 11)


def test_the_example_application_is_an_application() -> None:
    assert valid({"$ref": "#/components/schemas/Application"}, EXAMPLE_APPLICATION)


def test_the_example_tracking_number_is_one_the_service_would_issue() -> None:
    assert is_valid_tracking_number(EXAMPLE_TRACKING_NUMBER)


def test_the_statuses_are_the_domains() -> None:
    assert STATUS_SCHEMA["enum"] == [status.value for status in Status]


def test_the_idempotency_key_pattern_takes_its_example_and_refuses_spaces() -> None:
    key = IDEMPOTENCY_KEY_PARAMETER.as_openapi()

    assert valid(key["schema"], key["example"])
    assert not valid(key["schema"], "a b")
    assert not valid(key["schema"], "short")


def test_every_reference_between_the_shapes_names_one_of_them() -> None:
    references = re.findall(r"#/components/schemas/(\w+)", repr(SCHEMAS))

    assert references
    assert set(references) <= set(SCHEMAS)
