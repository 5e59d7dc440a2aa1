"""The parts of a route's OpenAPI entry (chalicelib/api/openapi/entries.py)."""

from __future__ import annotations

from chalicelib.api.openapi.entries import (
    FORM,
    HTML,
    JSON,
    Answer,
    Parameter,
    error_answer,
    form_body,
    html_answer,
    json_answer,
    json_body,
    redirect_answer,
    ref,
    with_busy,
)


def test_a_path_parameter_is_always_required_and_others_only_when_said() -> None:
    path = Parameter("tracking_number", "path", "The number").as_openapi()
    query = Parameter("district", "query", "A district", example="dokki").as_openapi()

    assert path == {"name": "tracking_number", "in": "path", "description": "The number", "required": True,
                    "schema": {"type": "string"}}  # fmt: skip
    assert (query["required"], query["example"]) == (False, "dokki")


def test_an_error_answer_is_the_one_error_shape_with_its_codes_and_the_first_as_example() -> None:
    answer = error_answer("Refused", "invalid_fields", "not_found").as_openapi()

    assert answer["x-error-codes"] == ["invalid_fields", "not_found"]
    media = answer["content"][JSON]
    assert media["schema"] == ref("Error") == {"$ref": "#/components/schemas/Error"}
    assert media["example"]["error"]["code"] == "invalid_fields"
    assert media["example"]["error"]["fields"]


def test_a_code_without_an_example_of_its_own_gets_the_general_one_in_both_languages() -> None:
    example = error_answer("Refused", "body_too_large").as_openapi()["content"][JSON]["example"]["error"]

    assert example["code"] == "body_too_large"
    assert any("\u0600" <= char <= "\u06ff" for char in example["message_ar"])
    assert example["message_en"].isascii()


def test_two_answers_joined_offer_both_media_types_and_every_code_once() -> None:
    joined = error_answer("Refused", "invalid_fields") | html_answer("The form again")
    again = joined | error_answer("Refused", "invalid_fields", "not_found")

    assert set(joined.content) == {JSON, HTML}
    assert again.codes == ("invalid_fields", "not_found")


def test_with_busy_adds_409_and_503_with_retry_after_and_keeps_what_the_route_said() -> None:
    answers = with_busy({200: json_answer("Fine", {"type": "object"})}, pages=True)

    assert set(answers) == {200, 409, 503}
    assert (answers[409].codes, answers[503].codes) == (("busy",), ("temporarily_unavailable",))
    for status in (409, 503):
        assert "Retry-After" in answers[status].headers
        assert set(answers[status].content) == {JSON, HTML}


def test_with_busy_joins_a_status_the_route_already_answers() -> None:
    own = {409: error_answer("Already changed", "conflict")}

    assert with_busy(own)[409].codes == ("conflict", "busy")


def test_bodies_and_redirects_say_their_media_type_and_location() -> None:
    body = json_body("An application", {"type": "object"}, {"a": 1}, form={"type": "object"}).as_openapi()

    assert body["required"] is True
    assert set(body["content"]) == {JSON, FORM}
    assert set(form_body("A form", {"type": "object"}).content) == {FORM}
    assert redirect_answer("Elsewhere").as_openapi()["headers"]["Location"]["schema"] == {"type": "string"}


def test_no_two_documents_share_a_dict() -> None:
    answer = Answer("Fine", {JSON: {"schema": {"type": "object"}}})
    first, second = answer.as_openapi(), answer.as_openapi()

    first["content"][JSON]["schema"]["type"] = "array"

    assert second["content"][JSON]["schema"] == {"type": "object"}
    assert answer.content[JSON]["schema"] == {"type": "object"}
