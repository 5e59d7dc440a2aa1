"""Fails when a requirements file pins something its lock file does not hold at that version.

A merge may add a pin to requirements*.txt without `make lock`; the venv is installed from the lock
(with hashes), so the new pin would be missing without anyone noticing. `make lint` runs this.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from tools import PROJECT

LOCKED = {"requirements.txt": "requirements.lock", "requirements-dev.txt": "requirements-dev.lock",
          "requirements-tools.txt": "requirements-tools.lock"}  # fmt: skip
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#\\]+)")


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """Every name==version in a requirements file, following its `-r` includes."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("-r "):
            found.update(pins(path.parent / line[3:].strip()))
        elif match := _PIN.match(line):
            found[_canonical(match[1])] = match[2]
    return found


def stale_pins() -> list[str]:
    problems = []
    for requirements, lock in LOCKED.items():
        locked = pins(PROJECT / lock)
        for name, version in pins(PROJECT / requirements).items():
            if locked.get(name) != version:
                problems.append(f"{requirements} pins {name}=={version}, {lock} has {locked.get(name, 'nothing')}")
    return problems


def main() -> int:
    problems = stale_pins()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("run `make lock` and commit the lock files", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
