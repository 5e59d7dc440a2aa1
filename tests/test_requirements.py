"""requirements.txt pins every package the deployed code imports, and the lock holds each pin."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions

from tests.conftest import PROJECT
from tools.build.check_locks import pins

# Chalice adds its own runtime to the package it builds.
ADDED_BY_CHALICE = {"chalice"}


def imported_top_level_modules() -> set[str]:
    """Every module app.py and chalicelib/ import by absolute name, at any depth (lazy imports too)."""
    found = set()
    for path in [PROJECT / "app.py", *(PROJECT / "chalicelib").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - {"chalicelib", "app", "__future__"} - set(sys.stdlib_module_names)


def test_every_package_the_deployed_code_imports_is_pinned() -> None:
    pinned = pins(PROJECT / "requirements.txt")
    distributions = packages_distributions()

    for module in sorted(imported_top_level_modules()):
        names = {re.sub(r"[-_.]+", "-", name).lower() for name in distributions[module]}
        assert names & (set(pinned) | ADDED_BY_CHALICE), f"{module} is imported but not pinned in requirements.txt"
