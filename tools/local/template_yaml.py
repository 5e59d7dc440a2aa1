"""infra/'s CloudFormation templates read as cfn-lint reads them (cfnlint.decode.cfn_yaml): the short
forms (!Ref, !Sub, !GetAtt "A.B"…) as their long forms ({"Ref": …}, {"Fn::Sub": …}, {"Fn::GetAtt":
["A", "B"]}), with PyYAML alone.

The local stack reads templates in three of its processes as it starts (the bucket settings, the
gateway's answers, the distribution), and importing cfn-lint for its reader costs each of them most
of a CPU-second. tests/unit/tools/local/test_template_yaml.py checks that both read every template
in infra/ alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The two short forms whose long form has no "Fn::" (as cfnlint.decode.cfn_yaml names them).
_UNPREFIXED = ("Ref", "Condition")


class _TemplateLoader(yaml.SafeLoader):
    """PyYAML's safe loader, and every "!Name" tag as CloudFormation's long form."""


def _long_form(loader: _TemplateLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix if suffix in _UNPREFIXED else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:
        raise ValueError(f"bad tag !{suffix} at {node.start_mark}")
    return {name: value}


_TemplateLoader.add_multi_constructor("!", _long_form)


def load_template(path: Path | str) -> dict[str, Any]:
    """The template at `path`, its short forms in their long forms."""
    with Path(path).open(encoding="utf-8") as text:
        return yaml.load(text, Loader=_TemplateLoader)  # noqa: S506 - a SafeLoader, with the tags above
