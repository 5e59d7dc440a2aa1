"""The local AWS emulation's DynamoDB answers, written without moto's attribute-by-attribute
machinery for every item attribute (tools/local/emulation/server.py applies it).

moto writes each answer by walking the botocore model of its output: for every member of every
structure it builds a context and tries several aliases of the member's name on the value. An
item attribute is an `AttributeValue` structure of ten members, so a Query answering ten items
of twenty attributes made thousands of such look-ups; with the emulation's other costs gone
(tools/local/emulation/transactions.py, tools/local/emulation/queries.py), this was the largest share of its time in
`make demo` (64 s of 173 s handling 3,610 calls, profiled; issue 9).

moto's DynamoDB models hand the serializer attribute values that are already plain dicts in the
wire format (`{"S": "..."}`, `{"M": {...}}`), so here such a dict is written member by member
following the same model and the same rules as moto's JSON serializer (a string is `str()`-ed,
a blob base64-encoded, a boolean written as it is, a list or map member by member), without the
look-ups. Anything else (not a dict, a key moto would find by an alias, a missing value or an
empty name inside a list or map) is left to moto's serializer, so the answer is the one moto
would write (tests/unit/tools/local/emulation/test_serialization.py compares both on generated answers).
Applied to the emulation's process only.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

FAST_SHAPES = frozenset({"AttributeValue"})  # DynamoDB's and DynamoDB Streams' item attribute


class _NotPlain(Exception):
    """A value this module does not write; moto's serializer writes it instead."""


def _string(value: Any) -> Any:
    # moto's BaseJSONSerializer._serialize_type_string, as it is.
    if isinstance(value, Enum):
        value = value.value
    return str(value) if value not in [None, {}, []] else value


def _written(serializer: Any, value: Any, shape: Any) -> Any:
    """`value` as moto's JSON serializer writes it for `shape`, or _NotPlain."""
    kind = shape.type_name
    if kind == "string":
        return _string(value)
    if kind == "blob":
        return serializer._base64(value)
    if kind == "boolean":
        return value
    if kind == "list":
        if not isinstance(value, list) or any(item is None for item in value):
            raise _NotPlain
        return [_written(serializer, item, shape.member) for item in value]
    if kind == "map":
        # moto writes a member under an empty name into the map itself; None, not at all.
        if not isinstance(value, dict) or any(name == "" or item is None for name, item in value.items()):
            raise _NotPlain
        return {key: _written(serializer, item, shape.value) for key, item in value.items()}
    if kind == "structure" and shape.name in FAST_SHAPES:
        return _written_structure(serializer, value, shape)
    raise _NotPlain


def _written_structure(serializer: Any, value: Any, shape: Any) -> dict[str, Any]:
    members = shape.members
    if not isinstance(value, dict) or not value.keys() <= members.keys():
        raise _NotPlain  # moto would look for other spellings of the members' names
    written = {}
    for name, member in members.items():
        member_value = value.get(name)
        if member_value is not None:  # moto leaves out a member whose value is None
            written[serializer.get_serialized_name(member, name)] = _written(serializer, member_value, member)
    return written


def attribute_values_written_directly(serialize_structure: Callable[..., None]) -> Callable[..., None]:
    """moto's JSON `_serialize_type_structure`, writing plain attribute values itself."""

    def _serialize_type_structure(self: Any, serialized: Any, value: Any, shape: Any, key: str) -> None:
        # moto's picker may transform values on given paths; no DynamoDB answer has any.
        plain = key and shape.name in FAST_SHAPES and not getattr(self._value_picker, "response_transformers", None)
        if plain and value is not None:
            try:
                written = _written_structure(self, value, shape)
            except _NotPlain:
                pass
            else:
                self._default_serialize(serialized, written, shape, key)
                return
        serialize_structure(self, serialized, value, shape, key)

    return _serialize_type_structure


def write_attribute_values_directly() -> None:
    from moto.core.serialize import BaseJSONSerializer

    BaseJSONSerializer._serialize_type_structure = attribute_values_written_directly(  # type: ignore[method-assign]
        BaseJSONSerializer._serialize_type_structure
    )
