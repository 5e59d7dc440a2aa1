"""The packaged templates, as `make package` leaves them under build/<stage>/."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import PROJECT, one_process_at_a_time

STAGES = ("dev", "prod")
# What a packaged template is made from: newer than the template means it must be made again.
INPUTS = (
    "infra", ".chalice", "tools/build/package_template.py", "tools/build/portal_not_found.py",
    "tools/build/byte_compile.py", "app.py", "chalicelib", "portal_site/build.py", "requirements.txt",
)  # fmt: skip


def _newest_input() -> float:
    """The newest source file's time; byte-compiled files are not sources (the tests write them into
    chalicelib/ as they import it, which must not make the templates look stale mid-run)."""
    paths = [PROJECT / name for name in INPUTS]
    files = [path for root in paths for path in ([root] if root.is_file() else root.rglob("*"))
             if path.is_file() and "__pycache__" not in path.parts]  # fmt: skip
    return max(path.stat().st_mtime for path in files)


def packaged(stage: str) -> Path:
    """build/<stage>/sam.yaml, made again by `make package` when anything it is made from changed
    (`make test` has just made both, so this only packages when pytest is run on its own)."""
    sam = PROJECT / "build" / stage / "sam.yaml"
    with one_process_at_a_time(PROJECT / "build" / f"{stage}.lock"):
        if not sam.exists() or sam.stat().st_mtime < _newest_input():
            subprocess.run(["make", "--no-print-directory", "package", f"STAGE={stage}"], cwd=PROJECT, check=True)
    return sam


@pytest.fixture(scope="session", params=STAGES)
def stage(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def template(stage: str) -> dict[str, Any]:
    return yaml.safe_load(packaged(stage).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def waf_template() -> dict[str, Any]:
    from cfnlint.decode import cfn_yaml

    return cfn_yaml.load(str(PROJECT / "infra" / "edge-waf.yaml"))
