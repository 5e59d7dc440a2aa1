"""Amounts and durations in the form Arabic grammar gives the counted noun."""

from __future__ import annotations

import pytest

from chalicelib.portal.wording import fee_text, working_days_text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (0, "بدون رسوم"),
        (1, "جنيه واحد"),
        (2, "جنيهان"),
        (3, "3 جنيهات"),
        (10, "10 جنيهات"),
        (11, "11 جنيهًا"),
        (750, "750 جنيهًا"),
        (1000, "1000 جنيه"),
        (5000, "5000 جنيه"),
        (101, "101 جنيه"),
        (105, "105 جنيهات"),
    ],
)
def test_fees(amount: int, text: str) -> None:
    assert fee_text(amount) == text


@pytest.mark.parametrize(
    ("days", "text"),
    [(1, "يوم عمل واحد"), (2, "يوما عمل"), (5, "5 أيام عمل"), (22, "22 يوم عمل"), (60, "60 يوم عمل")],
)
def test_working_days(days: int, text: str) -> None:
    assert working_days_text(days) == text
