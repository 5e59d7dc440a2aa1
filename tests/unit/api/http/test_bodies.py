"""Reading request bodies safely (chalicelib/api/http/bodies.py): size, media type, encoding, JSON shape.
Each refusal through the citizen routes, with nothing written: tests/integration/api/routes/test_citizen.py."""

from __future__ import annotations

import json

import pytest

from chalicelib.api.http.bodies import MAX_BODY_BYTES, json_object, raw_body
from chalicelib.domain.errors import InvalidInput
from tests.unit.api.http.requests import request_of


def refusal_code(body: bytes | str, content_type: str | None = "application/json") -> str:
    with pytest.raises(InvalidInput) as refused:
        json_object(request_of(body, content_type))
    assert refused.value.message_ar
    assert refused.value.message_en.isascii()
    return refused.value.code


def test_a_json_object_is_read_with_its_arabic_text() -> None:
    body = {"service_code": "shop_licence", "applicant": {"full_name": "منى"}}

    assert json_object(request_of(json.dumps(body, ensure_ascii=False))) == body


def test_the_media_type_is_read_without_its_parameters_or_case() -> None:
    assert json_object(request_of("{}", "Application/JSON; charset=utf-8")) == {}


def test_a_body_of_exactly_64_kb_is_read_and_one_byte_more_is_refused() -> None:
    assert len(raw_body(request_of(b"x" * MAX_BODY_BYTES))) == MAX_BODY_BYTES
    with pytest.raises(InvalidInput) as refused:
        raw_body(request_of(b"x" * (MAX_BODY_BYTES + 1)))
    assert refused.value.code == "body_too_large"


def test_another_media_type_is_refused() -> None:
    assert refusal_code("{}", "text/plain") == "unsupported_media_type"
    assert refusal_code("a=1", "application/x-www-form-urlencoded") == "unsupported_media_type"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[1, 2]", id="a-list"),
        pytest.param('"text"', id="a-string"),
        pytest.param('{"a": 1', id="truncated"),
        pytest.param(b"\xff\xfe{}", id="not-utf8"),
        pytest.param('{"a": NaN}', id="nan"),
        pytest.param('{"a": -Infinity}', id="infinity"),
        pytest.param("[" * 5000 + "]" * 5000, id="deep-nesting"),
        pytest.param('{"\\ud800": 1}', id="lone-surrogate-in-a-name"),
        pytest.param('{"a": "\\udc00"}', id="lone-surrogate-in-a-value"),
    ],
)
def test_what_is_not_one_json_object_in_utf8_is_malformed(body: bytes | str) -> None:
    assert refusal_code(body) == "malformed_json"


def test_a_whole_surrogate_pair_escaped_is_a_character_and_is_read() -> None:
    assert json_object(request_of('{"a": "\\ud83d\\ude00"}')) == {"a": "\U0001f600"}


def test_no_body_at_all_is_malformed_json_and_no_content_type_means_json() -> None:
    assert refusal_code(b"", None) == "malformed_json"
    assert json_object(request_of("{}", None)) == {}
