"""The tables' keys and indexes, read from infra/resources.yaml (the one definition AWS gets)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RESOURCES_TEMPLATE = Path(__file__).resolve().parent.parent / "infra" / "resources.yaml"


@dataclass(frozen=True)
class Index:
    name: str
    hash_key: str
    range_key: str | None


@dataclass(frozen=True)
class Table:
    short_name: str  # "requests" for shobbak-<stage>-requests
    hash_key: str
    range_key: str | None
    indexes: tuple[Index, ...]


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads CloudFormation's short tags (!Sub, !Ref, ...) as plain values."""


def _tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_CloudFormationLoader.add_multi_constructor("!", _tag)


def _keys(schema: list[dict[str, str]]) -> tuple[str, str | None]:
    by_type = {key["KeyType"]: key["AttributeName"] for key in schema}
    return by_type["HASH"], by_type.get("RANGE")


def tables(template: Path = RESOURCES_TEMPLATE) -> dict[str, Table]:
    """Every DynamoDB table of the template, by short name."""
    resources = yaml.load(template.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)["Resources"]  # noqa: S506
    found: dict[str, Table] = {}
    for resource in resources.values():
        if resource["Type"] != "AWS::DynamoDB::Table":
            continue
        properties = resource["Properties"]
        short_name = str(properties["TableName"]).rsplit("-", 1)[1]
        hash_key, range_key = _keys(properties["KeySchema"])
        indexes = tuple(
            Index(index["IndexName"], *_keys(index["KeySchema"]))
            for index in properties.get("GlobalSecondaryIndexes", [])
        )
        found[short_name] = Table(short_name, hash_key, range_key, indexes)
    return found
