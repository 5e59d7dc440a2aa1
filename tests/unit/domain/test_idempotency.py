from __future__ import annotations

import json
import re
import string
import uuid
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.idempotency import body_digest, key_reused, read_idempotency_key
from tests.factories import submission

ARABIC_LETTER = re.compile("[\u0621-\u064a]")
KEY_CHARACTERS = string.ascii_letters + string.digits + "._:-"


def refused(raw: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_idempotency_key(raw)
    error = caught.value
    assert error.code == "invalid_idempotency_key"
    assert ARABIC_LETTER.search(error.message_ar)
    assert not ARABIC_LETTER.search(error.message_en)
    return error


# Keys


def test_no_key_passes_through_as_none() -> None:
    assert read_idempotency_key(None) is None


@pytest.mark.parametrize(
    "raw",
    [
        "abcdefgh",
        "a" * 128,
        pytest.param(str(uuid.uuid4()), id="a-uuid4"),  # random: a fixed id, the same in every xdist worker
        pytest.param(uuid.uuid4().hex, id="a-uuid4-in-hex"),
        "order:2026-11-27.1_A",
        "--------",
        "12345678",
    ],
)
def test_a_valid_key_is_returned_unchanged(raw: str) -> None:
    assert read_idempotency_key(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "abcdefg",  # 7 characters
        "a" * 129,
        "abcd efgh",
        " abcdefgh",
        "abcdefgh\n",
        "abcd/efgh",
        "abcd+efgh",
        "abcd=efgh",
        "مفتاح-منع-التكرار",
        "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic digits are for citizens' fields, not for keys
        "ｆｕｌｌｗｉｄｔｈ",
        "\u200fabcdefgh",
        "abcdéfgh",
    ],
)
def test_an_invalid_key_is_refused(raw: str) -> None:
    refused(raw)


@given(st.text(alphabet=KEY_CHARACTERS, min_size=8, max_size=128))
def test_any_key_of_allowed_characters_and_length_is_accepted(raw: str) -> None:
    assert read_idempotency_key(raw) == raw


@given(st.text(max_size=140))
def test_a_key_is_accepted_exactly_when_its_length_and_characters_are_allowed(raw: str) -> None:
    allowed = 8 <= len(raw) <= 128 and all(character in KEY_CHARACTERS for character in raw)
    if allowed:
        assert read_idempotency_key(raw) == raw
    else:
        refused(raw)


def test_a_reused_key_names_the_key_and_says_so_in_arabic() -> None:
    error = key_reused("retry-key-0001")
    assert error.code == "idempotency_key_reused"
    assert ARABIC_LETTER.search(error.message_ar)
    assert "retry-key-0001" in error.message_en


# Digests

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=15,
)
json_bodies = st.dictionaries(st.text(max_size=10), json_values, max_size=6)


def reordered(value: Any) -> Any:
    """The same content with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {key: reordered(value[key]) for key in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(item) for item in value]
    return value


def test_a_digest_is_sha256_in_hex() -> None:
    assert re.fullmatch("[0-9a-f]{64}", body_digest(submission()))


def test_a_real_submission_has_the_same_digest_whatever_its_spacing_and_order() -> None:
    body = submission()
    compact = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    spaced = json.dumps(reordered(body), ensure_ascii=True, indent=4)
    assert body_digest(json.loads(compact)) == body_digest(json.loads(spaced)) == body_digest(body)


@pytest.mark.parametrize(
    "change",
    [
        lambda body: body.update(consent=False),
        lambda body: body["applicant"].update(phone="01012345679"),
        lambda body: body["details"].update(floors_count=59),
        lambda body: body["details"].update(floors_count=60.0),
        lambda body: body["details"].update(floors_count="60"),
        lambda body: body["details"].pop("floors_count"),
        lambda body: body.update(extra=None),
        lambda body: body["applicant"].update(full_name=body["applicant"]["full_name"] + " "),
    ],
)
def test_any_change_to_a_real_submission_changes_its_digest(change: Any) -> None:
    body = submission()
    before = body_digest(body)
    change(body)
    assert body_digest(body) != before


@given(json_bodies)
def test_key_order_and_spacing_do_not_change_the_digest(body: dict[str, Any]) -> None:
    respaced = json.loads(json.dumps(reordered(body), indent=2, ensure_ascii=True))
    assert body_digest(respaced) == body_digest(body)


@st.composite
def changed(draw: st.DrawFn, value: Any) -> Any:
    """`value` with one thing changed somewhere inside it: a key added or removed, or a value replaced."""
    if isinstance(value, dict) and value and draw(st.booleans()):
        key = draw(st.sampled_from(sorted(value)))
        action = draw(st.sampled_from(["descend", "remove"]))
        if action == "remove":
            return {k: v for k, v in value.items() if k != key}
        return {**value, key: draw(changed(value[key]))}
    if isinstance(value, dict) and draw(st.booleans()):
        key = draw(st.text(max_size=8).filter(lambda k: k not in value))
        return {**value, key: draw(json_values)}
    if isinstance(value, list) and value and draw(st.booleans()):
        index = draw(st.integers(min_value=0, max_value=len(value) - 1))
        return [*value[:index], draw(changed(value[index])), *value[index + 1 :]]
    replacement = draw(json_values)
    # Python's == is coarser than JSON (1 == 1.0 == True), so what it calls different is different content.
    assume(replacement != value)
    return replacement


@given(st.data())
def test_any_change_anywhere_changes_the_digest(data: st.DataObject) -> None:
    body = data.draw(json_bodies)
    other = data.draw(changed(body))
    assume(isinstance(other, dict))
    assume(other != body)
    assert body_digest(other) != body_digest(body)


@given(json_bodies, json_bodies)
def test_bodies_with_different_content_have_different_digests(first: dict[str, Any], second: dict[str, Any]) -> None:
    assume(first != second)
    assert body_digest(first) != body_digest(second)


def test_any_body_json_can_parse_has_a_digest() -> None:
    body = json.loads('{"details": {"trade_name": "\\ud800"}}')
    assert re.fullmatch("[0-9a-f]{64}", body_digest(body))
