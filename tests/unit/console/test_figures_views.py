"""The figures' words on a staff page: the slips issue 21 §7 found on the performance screen."""

from __future__ import annotations

import pytest

from chalicelib.console.figures_views import comparison, day, points_ar, rate


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "نقطة واحدة"),
        (2, "نقطتان"),
        (3, "3 نقاط"),
        (5, "5 نقاط"),
        (10, "10 نقاط"),
        (11, "11 نقطة"),
        (100, "100 نقطة"),
    ],
)
def test_points_take_the_arabic_plural(count: int, words: str) -> None:
    assert points_ar(count) == words


def test_a_month_s_change_is_counted_between_the_percentages_shown() -> None:
    assert comparison(0.91, 0.86) == "5 نقاط أعلى من الشهر الماضي (86%)"
    assert comparison(0.861, 0.864) == "مثل الشهر الماضي"
    assert comparison(None, 0.5) == "الشهر الماضي: 50%"
    assert rate(None) == "—"


def test_days_read_as_elsewhere_in_arabic() -> None:
    assert day("2026-11-27") == "27 نوفمبر 2026"
