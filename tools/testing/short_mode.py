"""The tools' short modes (`make load|bench|capacity SHORT=1`), run as the tests run them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools import PROJECT

# Each takes well under a minute on a quiet machine; this bound only stops a hung tool, and it
# is wide because CI shares two cores (the short bench took over 120 s there under a load of 15).
TIMEOUT_S = 600


def run_short(module: str, output: Path) -> subprocess.CompletedProcess[str]:
    """`python -m <module> --short --output <output>` from the project's root (the caller checks its status)."""
    return subprocess.run(
        [sys.executable, "-m", module, "--short", "--output", str(output)],
        cwd=PROJECT, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
    )  # fmt: skip
