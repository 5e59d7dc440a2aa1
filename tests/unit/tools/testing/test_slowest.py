"""The slowest tests of `make test`'s two passes, read from their JUnit reports (tools/testing/slowest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.testing.slowest import main, slowest

PARALLEL = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.unit.test_a" name="test_quick" time="0.010"/>
<testcase classname="tests.integration.test_b" name="test_slow" time="7.500"/>
<testcase classname="tests.integration.test_b" name="test_middling" time="2.250"/>
</testsuite></testsuites>
"""
SERIAL = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="tests.integration.concurrency.test_c" name="test_burst" time="4.000"/>
<testcase classname="tests.integration.concurrency.test_c" name="test_untimed"/>
</testsuite></testsuites>
"""


@pytest.fixture
def reports(tmp_path: Path) -> list[Path]:
    (tmp_path / "parallel.xml").write_text(PARALLEL)
    (tmp_path / "serial.xml").write_text(SERIAL)
    return [tmp_path / "parallel.xml", tmp_path / "serial.xml"]


def test_the_slowest_of_both_passes_come_first_together(reports: list[Path]) -> None:
    assert slowest(3, reports) == [
        (7.5, "tests.integration.test_b::test_slow"),
        (4.0, "tests.integration.concurrency.test_c::test_burst"),
        (2.25, "tests.integration.test_b::test_middling"),
    ]


def test_a_test_without_a_time_counts_as_none_and_fewer_tests_than_asked_are_all_listed(
    reports: list[Path],
) -> None:
    listed = slowest(15, reports)
    assert len(listed) == 5
    assert listed[-1] == (0.0, "tests.integration.concurrency.test_c::test_untimed")


def test_the_command_prints_each_test_with_its_seconds(reports: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    main(["2", *map(str, reports)])
    assert capsys.readouterr().out.splitlines() == [
        "2 slowest tests (setup, call and teardown):",
        "    7.50s  tests.integration.test_b::test_slow",
        "    4.00s  tests.integration.concurrency.test_c::test_burst",
    ]
