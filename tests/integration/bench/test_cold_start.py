"""The cold-start children load the handler's byte-compiled files, as they load boto3's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bench.cold_start import byte_compile_project
from bench.common import ROOT, local_stage_env

# Run in a fresh interpreter inside the project: imports the handler and the child, and fails if
# any of the project's own modules had to be compiled from source.
IMPORTS_COMPILING_NOTHING = """
import importlib._bootstrap_external as external
import os

compiled = []
source_to_code = external.SourceLoader.source_to_code

def counted(self, data, path, *, _optimize=-1):
    compiled.append(path)
    return source_to_code(self, data, path, _optimize=_optimize)

external.SourceLoader.source_to_code = counted
from app import app
import bench.child
assert not [path for path in compiled if path.startswith(os.getcwd())], compiled
"""


def test_the_handler_and_the_child_load_from_byte_compiled_files_that_no_child_could_write(tmp_path: Path) -> None:
    """PYTHONDONTWRITEBYTECODE (set in this environment) keeps each child from writing what it
    compiles, so without byte_compile_project the handler's side would compile its source every time."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "app.py", project)
    for package in ("chalicelib", "bench"):
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    environment = {**local_stage_env(), "PYTHONDONTWRITEBYTECODE": "1"}

    def imports() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", IMPORTS_COMPILING_NOTHING], cwd=project, env=environment, capture_output=True,
            text=True, check=False,
        )  # fmt: skip

    assert imports().returncode != 0  # nothing byte-compiled yet: the source was compiled
    byte_compile_project(project)
    ran = imports()
    assert ran.returncode == 0, ran.stderr
