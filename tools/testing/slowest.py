"""The slowest tests of one or more pytest runs, from their JUnit XML reports (`make test` runs
two passes, parallel then serial, and prints the slowest of both together).

    python -m tools.testing.slowest 15 parallel.xml serial.xml
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path


def slowest(count: int, reports: list[Path]) -> list[tuple[float, str]]:
    """(seconds, test) of the `count` slowest tests: setup, call and teardown together."""
    timed = [
        (float(case.get("time", 0)), f"{case.get('classname')}::{case.get('name')}")
        for report in reports
        for case in ElementTree.parse(report).iter("testcase")  # noqa: S314 (pytest's own report)
    ]
    return sorted(timed, reverse=True)[:count]


def main(arguments: list[str]) -> None:
    count, reports = int(arguments[0]), [Path(argument) for argument in arguments[1:]]
    print(f"{count} slowest tests (setup, call and teardown):")
    for seconds, test in slowest(count, reports):
        print(f"{seconds:8.2f}s  {test}")


if __name__ == "__main__":
    main(sys.argv[1:])
