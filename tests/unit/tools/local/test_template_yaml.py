"""tools/local/template_yaml.py reads every template in infra/ exactly as cfn-lint's reader does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cfnlint.decode import cfn_yaml

from tools import PROJECT
from tools.local.template_yaml import load_template

TEMPLATES = sorted((PROJECT / "infra").glob("*.yaml"))


def test_there_are_templates_to_compare_with_short_forms_in_them() -> None:
    texts = [template.read_text(encoding="utf-8") for template in TEMPLATES]
    assert len(texts) >= 10
    for short_form in ("!Ref ", "!Sub ", "!GetAtt ", "!If "):
        assert any(short_form in text for text in texts), short_form


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: path.name)
def test_a_template_reads_as_cfn_lint_reads_it(template: Path) -> None:
    ours = load_template(template)
    theirs = cfn_yaml.load(str(template))

    assert ours == theirs
    # The same values of the same types, through and through (cfn-lint's are dict and str subclasses).
    assert json.dumps(ours, sort_keys=True, default=str) == json.dumps(theirs, sort_keys=True, default=str)
