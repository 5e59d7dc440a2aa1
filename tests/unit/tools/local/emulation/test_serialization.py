"""The local AWS emulation writes DynamoDB answers (tools/local/emulation/serialization.py) exactly as moto's own
serializer does: both serialize the same generated answers, and the JSON must be the same text."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from moto.core.serialize import JSONSerializer, XFormedAttributePicker
from moto.core.utils import get_service_model

from tools.local.emulation.serialization import attribute_values_written_directly


class DirectSerializer(JSONSerializer):
    _serialize_type_structure = attribute_values_written_directly(JSONSerializer._serialize_type_structure)


texts = st.text(max_size=8)
numbers = st.integers(-(10**12), 10**12).map(str) | st.decimals(allow_nan=False, allow_infinity=False).map(str)
plain_values = st.one_of(
    st.builds(lambda text: {"S": text}, texts),
    st.builds(lambda number: {"N": number}, numbers),
    st.builds(lambda blob: {"B": blob}, st.binary(max_size=8) | texts),
    st.builds(lambda strings: {"SS": strings}, st.lists(texts, max_size=3)),
    st.builds(lambda strings: {"NS": strings}, st.lists(numbers, max_size=3)),
    st.builds(lambda blobs: {"BS": blobs}, st.lists(st.binary(max_size=4), max_size=3)),
    st.builds(lambda flag: {"BOOL": flag}, st.booleans()),
    st.just({"NULL": True}),
)
# What moto's models never hand over but its serializer still writes somehow: left to it.
odd_values = st.sampled_from([None, {}, {"S": None}, {"s": "lower"}, {"S": 5}, {"SS": [None]}, {"SS": "abc"}, "x"])
attribute_values = st.recursive(
    plain_values | odd_values,
    lambda inner: (
        st.builds(lambda items: {"L": items}, st.lists(inner, max_size=3))
        | st.builds(lambda named: {"M": named}, st.dictionaries(texts, inner, max_size=3))
    ),
    max_leaves=12,
)
items = st.lists(st.dictionaries(st.text(min_size=1, max_size=6), attribute_values, max_size=5), max_size=3)


def written(serializer_class: type[JSONSerializer], service: str, operation: str, answer: dict[str, Any]) -> Any:
    serializer = serializer_class(
        operation_model=get_service_model(service).operation_model(operation), value_picker=XFormedAttributePicker()
    )
    try:
        return serializer.serialize(answer)
    except Exception as error:  # both must fail alike
        return type(error)


@settings(max_examples=300, deadline=None)
@given(found=items, last_key=st.dictionaries(st.text(min_size=1, max_size=4), attribute_values, max_size=2))
def test_a_query_answer_is_written_as_moto_writes_it(found: list[dict[str, Any]], last_key: dict[str, Any]) -> None:
    answer = {"Items": found, "Count": len(found), "ScannedCount": len(found), "LastEvaluatedKey": last_key}

    assert written(DirectSerializer, "dynamodb", "Query", answer) == written(
        JSONSerializer, "dynamodb", "Query", answer
    )


@settings(max_examples=100, deadline=None)
@given(old=items, new=items)
def test_stream_records_are_written_as_moto_writes_them(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    records = [
        {"eventName": "MODIFY", "dynamodb": {"OldImage": before, "NewImage": after, "SequenceNumber": "1"}}
        for before, after in zip(old, new, strict=False)
    ]
    answer = {"Records": records, "NextShardIterator": "next"}

    assert written(DirectSerializer, "dynamodbstreams", "GetRecords", answer) == written(
        JSONSerializer, "dynamodbstreams", "GetRecords", answer
    )


def test_an_item_is_written_in_the_wire_format() -> None:
    item = {"name": {"S": "منى"}, "age": {"N": "41"}, "tags": {"L": [{"S": "a"}, {"M": {"n": {"NULL": True}}}]}}

    body = written(DirectSerializer, "dynamodb", "GetItem", {"Item": item})["body"]

    assert body == (
        '{"Item": {"name": {"S": "\\u0645\\u0646\\u0649"}, "age": {"N": "41"}, '
        '"tags": {"L": [{"S": "a"}, {"M": {"n": {"NULL": true}}}]}}}'
    )
