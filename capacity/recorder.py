"""DynamoDB in memory, at botocore's edge, counting capacity units per partition key.

The hot-key simulation runs the real services (submission, inquiry, payment, office,
delivery): PynamoDB builds the real items and keys and hands them to botocore, where this
recorder takes the call instead of the network. It keeps the items (so that later calls
find what earlier ones wrote), applies each write to the tables and indexes of
infra/resources.yaml, and charges each partition what DynamoDB would:

* a write: one unit per started KB of the item; twice that inside a transaction;
* an index: a write for each change of an item's entry (a new key: the old entry's
  delete and the new one's put), never transactional;
* a read: one unit per started 4 KB read (GetItem by item, Query by the items it reads),
  half of that when eventually consistent (every index query is).

Conditions are not judged (the services' writes in a simulation meet no contention), except
an UpdateItem's that asks for the item back when it fails (ReturnValuesOnConditionCheckFailure):
an inquiry's answer is that refusal (chalicelib/store/requests/proof.py). A refused write is charged
as DynamoDB charges it, like a write of the item as it stood.

SNS calls are counted apart (the messages the citizens would get).
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from botocore.client import BaseClient
from botocore.exceptions import ClientError

from capacity.tables import Table, tables

Item = dict[str, dict[str, Any]]
WRITE_UNIT_BYTES, READ_UNIT_BYTES = 1024, 4096


def attribute_size(value: dict[str, Any]) -> int:
    """DynamoDB's size of one attribute value, in bytes (its published sizing rules)."""
    ((kind, raw),) = value.items()
    if kind in ("S", "B"):
        return len(raw.encode("utf-8")) if kind == "S" else len(raw)
    if kind == "N":
        digits = len(str(raw).lstrip("-").replace(".", "").lstrip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(name.encode()) + attribute_size(inner) + 1 for name, inner in raw.items())
    if kind == "L":
        return 3 + sum(attribute_size(inner) + 1 for inner in raw)
    return sum(len(str(member)) for member in raw)  # sets


def item_size(item: Item) -> int:
    return sum(len(name.encode("utf-8")) + attribute_size(value) for name, value in item.items())


def _scalar(value: dict[str, Any]) -> str:
    return next(iter(value.values()))


@dataclass
class Usage:
    """Units per (table or table/index, partition key), per second of the simulated clock."""

    writes: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    reads: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    items_read: int = 0


class RecordingDynamoDB:
    def __init__(self, definitions: dict[str, Table] | None = None) -> None:
        self.tables = definitions or tables()
        self.items: dict[str, dict[tuple[str, str], Item]] = {name: {} for name in self.tables}
        # index -> partition key -> sorted [(range key, item key)]
        self.index_entries: dict[str, dict[str, list[tuple[str, tuple[str, str]]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.second = 0
        self.current = Usage()
        self.on_second_closed: list[Any] = []
        self.calls: Counter[str] = Counter()
        self.published: list[dict[str, Any]] = []

    # The clock -------------------------------------------------------------------------
    def at(self, second: int) -> None:
        """Moves the clock on; the units of the second that ends go to the listeners."""
        if second != self.second:
            for listener in self.on_second_closed:
                listener(self.second, self.current)
            self.current = Usage()
            self.second = second

    def close(self) -> None:
        self.at(self.second + 1)

    # botocore's edge ---------------------------------------------------------------------
    @contextmanager
    def installed(self) -> Iterator[RecordingDynamoDB]:
        recorder = self

        def answer(client: BaseClient, operation: str, params: dict[str, Any]) -> dict[str, Any]:
            service = client.meta.service_model.service_name
            recorder.calls[f"{service}:{operation}"] += 1
            if service == "dynamodb":
                return getattr(recorder, f"_{operation}")(params)
            if service == "sns" and operation == "Publish":
                recorder.published.append(params)
                return {"MessageId": f"simulated-{len(recorder.published)}"}
            raise NotImplementedError(f"the simulation does not answer {service}:{operation}")

        with mock.patch.object(BaseClient, "_make_api_call", answer):
            yield self

    # Tables ------------------------------------------------------------------------------
    def _short(self, table_name: str) -> str:
        return table_name.rsplit("-", 1)[1]

    def _key_of(self, table: Table, item: Item) -> tuple[str, str]:
        return _scalar(item[table.hash_key]), _scalar(item[table.range_key]) if table.range_key else ""

    def _write(self, short: str, key: tuple[str, str], new: Item | None, factor: float) -> None:
        table = self.tables[short]
        old = self.items[short].get(key)
        size = item_size(new if new is not None else old or {})
        self.current.writes[(short, key[0])] += factor * max(1, math.ceil(size / WRITE_UNIT_BYTES))
        for index in table.indexes:
            old_key = _scalar(old[index.hash_key]) if old and index.hash_key in old else None
            new_key = _scalar(new[index.hash_key]) if new and index.hash_key in new else None
            old_range = _scalar(old[index.range_key]) if old and index.range_key in old else ""
            new_range = _scalar(new[index.range_key]) if new and index.range_key in new else ""
            name = f"{short}/{index.name}"
            moved = (old_key, old_range) != (new_key, new_range)
            if old_key is not None and moved:
                self.current.writes[(name, old_key)] += max(1, math.ceil(item_size(old) / WRITE_UNIT_BYTES))
                entries = self.index_entries[name][old_key]
                position = bisect.bisect_left(entries, (old_range, key))
                if position < len(entries) and entries[position] == (old_range, key):
                    entries.pop(position)
            if new_key is not None:
                self.current.writes[(name, new_key)] += max(1, math.ceil(size / WRITE_UNIT_BYTES))
                if moved:
                    bisect.insort(self.index_entries[name][new_key], (new_range, key))
        if new is None:
            self.items[short].pop(key, None)
        else:
            self.items[short][key] = new

    def _put(self, params: dict[str, Any], factor: float) -> None:
        short = self._short(params["TableName"])
        item = params["Item"]
        self._write(short, self._key_of(self.tables[short], item), dict(item), factor)

    def _update(self, params: dict[str, Any], factor: float) -> Item:
        short = self._short(params["TableName"])
        key = self._key_of(self.tables[short], params["Key"])
        item = dict(self.items[short].get(key) or params["Key"])
        apply_update(item, params["UpdateExpression"], params.get("ExpressionAttributeNames", {}),
                     params.get("ExpressionAttributeValues", {}))  # fmt: skip
        self._write(short, key, item, factor)
        return item

    def seed(self, short: str, item: Item) -> None:
        """Stores an item as if it had always been there: nothing is charged."""
        charging, self.current = self.current, Usage()
        self._write(short, self._key_of(self.tables[short], item), dict(item), factor=0)
        self.current = charging

    # Operations --------------------------------------------------------------------------
    def _TransactWriteItems(self, params: dict[str, Any]) -> dict[str, Any]:
        for entry in params["TransactItems"]:
            if "Put" in entry:
                self._put(entry["Put"], factor=2)
            elif "Update" in entry:
                self._update(entry["Update"], factor=2)
            elif "Delete" in entry:
                short = self._short(entry["Delete"]["TableName"])
                self._write(short, self._key_of(self.tables[short], entry["Delete"]["Key"]), None, factor=2)
            else:
                raise NotImplementedError(f"transaction entry {sorted(entry)}")
        return {}

    def _PutItem(self, params: dict[str, Any]) -> dict[str, Any]:
        self._put(params, factor=1)
        return {}

    def _UpdateItem(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
            short = self._short(params["TableName"])
            key = self._key_of(self.tables[short], params["Key"])
            stood = self.items[short].get(key)
            names, values = params.get("ExpressionAttributeNames", {}), params.get("ExpressionAttributeValues", {})
            if not holds(stood or {}, params["ConditionExpression"], names, values):
                size = item_size(stood or params["Key"])
                self.current.writes[(short, key[0])] += max(1, math.ceil(size / WRITE_UNIT_BYTES))
                refusal = {"Code": "ConditionalCheckFailedException", "Message": "The conditional request failed"}
                raise ClientError({"Error": refusal, **({"Item": stood} if stood else {})}, "UpdateItem")
        item = self._update(params, factor=1)
        return {"Attributes": item} if params.get("ReturnValues") == "ALL_NEW" else {}

    def _GetItem(self, params: dict[str, Any]) -> dict[str, Any]:
        short = self._short(params["TableName"])
        key = self._key_of(self.tables[short], params["Key"])
        item = self.items[short].get(key)
        self.current.items_read += item is not None
        self._charge_read(short, key[0], item_size(item) if item else 1, bool(params.get("ConsistentRead")))
        return {"Item": item} if item is not None else {}

    def _Query(self, params: dict[str, Any]) -> dict[str, Any]:
        short = self._short(params["TableName"])
        table = self.tables[short]
        names, values = params.get("ExpressionAttributeNames", {}), params.get("ExpressionAttributeValues", {})
        partition, range_test = parse_key_condition(params["KeyConditionExpression"], names, values)
        index_name = params.get("IndexName")
        if index_name is None:
            keys = sorted(key for key in self.items[short] if key[0] == partition)
            candidates = [(key[1], key) for key in keys]
            target, consistent = short, bool(params.get("ConsistentRead"))
        else:
            candidates = self.index_entries[f"{short}/{index_name}"].get(partition, [])
            target, consistent = f"{short}/{index_name}", False
        start = params.get("ExclusiveStartKey")
        position = 0
        if start is not None:
            start_key = self._key_of(table, start)
            start_range = next((rng for rng, key in candidates if key == start_key), None)
            position = bisect.bisect_right(candidates, (start_range or "", start_key))
        limit = params.get("Limit")
        read: list[Item] = []
        stopped_at_limit = False
        for range_value, key in candidates[position:]:
            if range_test is not None and not range_test(range_value):
                continue
            read.append(self.items[short][key])
            if limit is not None and len(read) >= limit:
                stopped_at_limit = True
                break
        self.current.items_read += len(read)
        self._charge_read(target, partition, sum(item_size(item) for item in read) or 1, consistent)
        kept = [item for item in read if passes_filter(item, params.get("FilterExpression"), names, values)]
        answer: dict[str, Any] = {"Items": kept, "Count": len(kept), "ScannedCount": len(read)}
        if stopped_at_limit:
            last = read[-1]
            answer["LastEvaluatedKey"] = {
                name: last[name]
                for name in (table.hash_key, table.range_key, *self._index_key_names(short, index_name))
                if name and name in last
            }
        return answer

    def _index_key_names(self, short: str, index_name: str | None) -> tuple[str, ...]:
        for index in self.tables[short].indexes:
            if index.name == index_name:
                return tuple(name for name in (index.hash_key, index.range_key) if name)
        return ()

    def _charge_read(self, target: str, partition: str, size: int, consistent: bool) -> None:
        units = math.ceil(size / READ_UNIT_BYTES)
        self.current.reads[(target, partition)] += units if consistent else units / 2


_CLAUSE = re.compile(r"\b(SET|REMOVE|ADD|DELETE)\b")


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for character in text:
        depth += character == "("
        depth -= character == ")"
        if character == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += character
    if current.strip():
        parts.append(current.strip())
    return parts


def _path(text: str, names: dict[str, str]) -> list[str]:
    return [names.get(part, part) for part in text.strip().split(".")]


def _resolve(item: Item, path: list[str]) -> dict[str, Any] | None:
    value: dict[str, Any] | None = {"M": item}
    for part in path:
        if value is None or "M" not in value:
            return None
        value = value["M"].get(part)
    return value


def _assign(item: Item, path: list[str], value: dict[str, Any] | None) -> None:
    container = item
    for part in path[:-1]:
        container = container.setdefault(part, {"M": {}})["M"]
    if value is None:
        container.pop(path[-1], None)
    else:
        container[path[-1]] = value


# PynamoDB writes "list_append (if_not_exists (#2, :2), :3)": a function's name, a space, its arguments.
_FUNCTION_NAME = re.compile(r"\b(list_append|if_not_exists)\s+\(")


def _operand(item: Item, text: str, names: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    text = _FUNCTION_NAME.sub(r"\1(", text.strip())
    if text.startswith(":"):
        return values[text]
    if text.startswith("list_append("):
        first, second = _split_top_level(text[len("list_append(") : -1])
        return {"L": _operand(item, first, names, values)["L"] + _operand(item, second, names, values)["L"]}
    if text.startswith("if_not_exists("):
        path, default = _split_top_level(text[len("if_not_exists(") : -1])
        return _resolve(item, _path(path, names)) or _operand(item, default, names, values)
    if "+" in text or " - " in text:
        sign = 1 if "+" in text else -1
        left, right = re.split(r"\s[+-]\s", text, maxsplit=1)
        total = float(_scalar(_operand(item, left, names, values))) + sign * float(
            _scalar(_operand(item, right, names, values))
        )
        return {"N": str(int(total) if total.is_integer() else total)}
    found = _resolve(item, _path(text, names))
    if found is None:
        raise ValueError(f"the update reads {text}, which the item does not have")
    return found


def apply_update(item: Item, expression: str, names: dict[str, str], values: dict[str, Any]) -> None:
    """Applies an UpdateExpression (SET, REMOVE and ADD, as PynamoDB writes them) to `item`."""
    pieces = _CLAUSE.split(expression)
    for keyword, body in zip(pieces[1::2], pieces[2::2], strict=True):
        for action in _split_top_level(body):
            if keyword == "SET":
                target, operand = action.split("=", 1)
                _assign(item, _path(target, names), _operand(item, operand, names, values))
            elif keyword == "REMOVE":
                _assign(item, _path(action, names), None)
            elif keyword == "ADD":
                target, operand = action.split()
                path = _path(target, names)
                current = _resolve(item, path)
                added = float(_scalar(values[operand])) + (float(_scalar(current)) if current else 0)
                _assign(item, path, {"N": str(int(added) if added.is_integer() else added)})
            else:
                raise NotImplementedError(f"{keyword} in an update")


_COMPARISON = re.compile(r"^\(?\s*(#\w+)\s*(=|<=|>=|<|>)\s*(:\w+)\s*\)?$")


def parse_key_condition(expression: str, names: dict[str, str], values: dict[str, Any]) -> tuple[str, Any]:
    """The partition key a Query names, and a test of the sort key when it has one."""
    clauses = [clause.strip() for clause in re.split(r"\bAND\b", expression)]
    hash_clause = _COMPARISON.match(clauses[0])
    if hash_clause is None or hash_clause.group(2) != "=":
        raise NotImplementedError(f"key condition {expression}")
    partition = _scalar(values[hash_clause.group(3)])
    if len(clauses) == 1:
        return partition, None
    range_clause = _COMPARISON.match(clauses[1])
    if range_clause is None:
        raise NotImplementedError(f"key condition {expression}")
    operator, bound = range_clause.group(2), _scalar(values[range_clause.group(3)])
    tests = {
        "=": lambda value: value == bound,
        "<=": lambda value: value <= bound,
        ">=": lambda value: value >= bound,
        "<": lambda value: value < bound,
        ">": lambda value: value > bound,
    }
    return partition, tests[operator]


_CONDITION_TOKEN = re.compile(
    r"\s*(\(|\)|AND\b|OR\b|attribute_not_exists\(\s*#\w+\s*\)|attribute_exists\(\s*#\w+\s*\)"
    r"|#\w+\s*(?:<>|<=|>=|=|<|>)\s*:\w+)"
)
_COMPARED = re.compile(r"(#\w+)\s*(<>|<=|>=|=|<|>)\s*(:\w+)")


def holds(item: Item, expression: str, names: dict[str, str], values: dict[str, Any]) -> bool:
    """A condition expression of comparisons, attribute_exists / attribute_not_exists, AND, OR
    and parentheses, judged on `item` (a comparison with an attribute it lacks is false)."""
    tokens, position = [], 0
    while position < len(expression.rstrip()):
        found = _CONDITION_TOKEN.match(expression, position)
        if found is None:
            raise NotImplementedError(f"condition {expression}")
        tokens.append(found.group(1))
        position = found.end()

    def either() -> bool:
        result = both()
        while tokens and tokens[0] == "OR":
            tokens.pop(0)
            result = both() or result  # both sides are read, as the grammar requires
        return result

    def both() -> bool:
        result = single()
        while tokens and tokens[0] == "AND":
            tokens.pop(0)
            result = single() and result
        return result

    def single() -> bool:
        part = tokens.pop(0)
        if part == "(":
            result = either()
            tokens.pop(0)  # ")"
            return result
        if part.startswith("attribute_"):
            present = names[part[part.index("(") + 1 : -1].strip()] in item
            return present if part.startswith("attribute_exists") else not present
        name, operator, value = _COMPARED.fullmatch(part).groups()  # type: ignore[union-attr]
        stored = item.get(names[name])
        if stored is None:
            return False
        ((kind, left),), right = stored.items(), _scalar(values[value])
        ordered: tuple[Any, Any] = (float(left), float(right)) if kind == "N" else (left, right)
        return {
            "=": ordered[0] == ordered[1], "<>": ordered[0] != ordered[1], "<": ordered[0] < ordered[1],
            "<=": ordered[0] <= ordered[1], ">": ordered[0] > ordered[1], ">=": ordered[0] >= ordered[1],
        }[operator]  # fmt: skip

    return either()


_IN_FILTER = re.compile(r"^(#\w+) IN \(([^)]*)\)$")


def passes_filter(item: Item, expression: str | None, names: dict[str, str], values: dict[str, Any]) -> bool:
    """The one filter PynamoDB adds on a discriminated model's queries: `kind IN (...)`."""
    if expression is None:
        return True
    found = _IN_FILTER.match(expression.strip())
    if found is None:
        raise NotImplementedError(f"filter {expression}")
    attribute = item.get(names[found.group(1)])
    allowed = {_scalar(values[name.strip()]) for name in found.group(2).split(",")}
    return attribute is not None and _scalar(attribute) in allowed
