"""An evaluator of an identity policy's statements, as IAM evaluates them for one request
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
a request is denied unless a statement allows it, and an explicit Deny overrides every Allow.

A statement applies when its Action (or NotAction) matches the action and its Resource (or
NotResource) matches the resource's ARN. Actions match without regard to case, `*` and `?` as
wildcards (reference_policies_elements_action.html). Resource ARNs match with regard to case;
within a segment of the ARN (the parts between colons) `*` is any run of characters and `?` any
one, and a `*` that ends a segment may run past the colons after it
(reference_policies_elements_resource.html). Conditions are not evaluated: a statement with one
is treated as applying, and named in the decision so that a reader sees what was assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any


@dataclass(frozen=True)
class Decision:
    allowed: bool
    allowed_by: tuple[str, ...] = ()
    denied_by: tuple[str, ...] = ()
    conditions_ignored: tuple[str, ...] = field(default=())


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@cache
def _action_pattern(pattern: str) -> re.Pattern[str]:
    translated = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(translated, re.IGNORECASE | re.DOTALL)


@cache
def _resource_pattern(pattern: str) -> re.Pattern[str]:
    parts = []
    for index, character in enumerate(pattern):
        if character == "*":
            ends_segment = index + 1 == len(pattern) or pattern[index + 1] == ":"
            parts.append(".*" if ends_segment else "[^:]*")
        elif character == "?":
            parts.append("[^:]")
        else:
            parts.append(re.escape(character))
    return re.compile("".join(parts), re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    return _action_pattern(pattern).fullmatch(action) is not None


def resource_matches(pattern: str, arn: str) -> bool:
    return _resource_pattern(pattern).fullmatch(arn) is not None


def applies(statement: dict[str, Any], action: str, arn: str) -> bool:
    if "NotAction" in statement:
        acts = not any(action_matches(pattern, action) for pattern in as_list(statement["NotAction"]))
    else:
        acts = any(action_matches(pattern, action) for pattern in as_list(statement["Action"]))
    if "NotResource" in statement:
        on = not any(resource_matches(pattern, arn) for pattern in as_list(statement["NotResource"]))
    else:
        on = any(resource_matches(pattern, arn) for pattern in as_list(statement["Resource"]))
    return acts and on


def evaluate(statements: list[dict[str, Any]], action: str, arn: str) -> Decision:
    """IAM's decision on `action` over `arn` for a principal whose identity policies hold `statements`."""
    applying = [statement for statement in statements if applies(statement, action, arn)]
    name = [str(statement.get("Sid", index)) for index, statement in enumerate(applying)]
    denied = tuple(n for n, s in zip(name, applying, strict=True) if s["Effect"] == "Deny")
    allowed = tuple(n for n, s in zip(name, applying, strict=True) if s["Effect"] == "Allow")
    conditional = tuple(n for n, s in zip(name, applying, strict=True) if "Condition" in s)
    return Decision(allowed=bool(allowed) and not denied, allowed_by=allowed, denied_by=denied,
                    conditions_ignored=conditional)  # fmt: skip
