"""The shapes every answer takes (chalicelib/api/http/responses.py): JSON bodies and the one error shape."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice import Response

from chalicelib.api.http.responses import answers_errors, error_response, json_response, time_left_s
from chalicelib.domain.errors import Busy, InvalidInput, TooManyRequests
from tests.unit.api.http.requests import request_of


def body_of(response: Response) -> dict[str, Any]:
    return json.loads(response.body)


def test_json_is_utf8_compact_and_never_cached() -> None:
    response = json_response({"name_ar": "الدقي", "n": 1}, 201, {"Location": "/v1/requests/1"})

    assert response.body == '{"name_ar":"الدقي","n":1}'
    assert response.status_code == 201
    assert response.headers == {
        "Content-Type": "application/json; charset=utf-8",
        "Cache-Control": "no-store",
        "Location": "/v1/requests/1",
    }


def test_a_routes_own_refusal_takes_the_one_error_shape() -> None:
    response = error_response(401, "unverified_notice", "لم يتم التحقق", "Not verified")

    assert response.status_code == 401
    assert body_of(response) == {
        "error": {
            "code": "unverified_notice",
            "message_ar": "لم يتم التحقق",
            "message_en": "Not verified",
            "fields": {},
        }
    }


def test_an_answer_passes_through_untouched() -> None:
    answered = json_response({"ok": True})

    assert answers_errors(lambda: answered)() is answered


def test_invalid_input_is_answered_with_its_fields_and_logged_without_their_values(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def refuse() -> Response:
        raise InvalidInput("invalid_fields", "بيانات غير صحيحة", "Invalid fields", {"applicant.phone": "رقم خاطئ"})

    with caplog.at_level("INFO"):
        response = answers_errors(refuse)()

    assert response.status_code == 400
    assert body_of(response)["error"]["fields"] == {"applicant.phone": "رقم خاطئ"}
    assert "رقم خاطئ" not in caplog.text
    assert [record.getMessage() for record in caplog.records] == ["input refused"]


def test_a_limit_reached_says_when_to_return() -> None:
    def limited() -> Response:
        raise TooManyRequests("too_many_attempts", "حاول لاحقًا", "Try later", datetime.now(UTC) + timedelta(minutes=5))

    response = answers_errors(limited)()

    assert response.status_code == 429
    assert 290 <= int(response.headers["Retry-After"]) <= 300


def test_a_busy_store_is_a_409_or_a_503_with_retry_after() -> None:
    def busy(contended: bool) -> Response:
        raise Busy(contended)

    assert answers_errors(busy)(True).status_code == 409
    throttled = answers_errors(busy)(False)
    assert throttled.status_code == 503
    assert body_of(throttled)["error"]["code"] == "temporarily_unavailable"
    assert "Retry-After" in throttled.headers


def test_anything_unforeseen_is_a_logged_500_that_shows_nothing_of_it(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> Response:
        raise RuntimeError("national id 29001011211234 in a stack")

    response = answers_errors(broken)()

    assert response.status_code == 500
    error = body_of(response)["error"]
    assert error["code"] == "internal_error"
    assert "29001011211234" not in response.body
    assert any(record.getMessage() == "unhandled error" for record in caplog.records)


class Context:
    def get_remaining_time_in_millis(self) -> int:
        return 2500


def test_the_time_left_is_lambdas_and_unknown_outside_it() -> None:
    assert time_left_s(request_of("{}", lambda_context=Context())) == 2.5
    assert time_left_s(request_of("{}")) is None
