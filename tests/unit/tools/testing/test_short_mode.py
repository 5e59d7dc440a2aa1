"""The tools' short modes run as `python -m <module> --short --output <path>` from the project's
root (tools/testing/short_mode.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import PROJECT
from tools.testing.short_mode import run_short

REPORTING_TOOL = """
import json, os, sys
print(json.dumps({"arguments": sys.argv[1:], "cwd": os.getcwd()}))
sys.exit(3 if "--short" not in sys.argv else 0)
"""


def test_the_module_runs_short_from_the_project_root_with_its_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "reporting_tool.py").write_text(REPORTING_TOOL)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    output = tmp_path / "figures.json"

    finished = run_short("reporting_tool", output)

    assert finished.returncode == 0
    said = json.loads(finished.stdout)
    assert said["arguments"] == ["--short", "--output", str(output)]
    assert Path(said["cwd"]) == Path(PROJECT)


def test_a_failing_tool_is_reported_to_the_caller_not_raised(tmp_path: Path) -> None:
    finished = run_short("no_such_tool_anywhere", tmp_path / "out.json")

    assert finished.returncode != 0
    assert "No module named no_such_tool_anywhere" in finished.stderr
