"""Amounts and durations as an Arabic sentence says them.

Arabic chooses the counted noun's form by the number: "جنيه واحد", "جنيهان", "3 جنيهات", "11 جنيهًا",
"100 جنيه". Only the last two digits decide (and whether they are 00), so 750 takes "جنيهًا" like 50.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountedNoun:
    one: str  # 1, written after the number: "جنيه واحد"
    two: str  # 2, the dual alone: "جنيهان"
    few: str  # 3 to 10: the plural, "جنيهات"
    many: str  # 11 to 99: the accusative singular, "جنيهًا"
    hundreds: str  # a round hundred or thousand: the genitive singular, "جنيه"


POUNDS = CountedNoun(one="جنيه واحد", two="جنيهان", few="جنيهات", many="جنيهًا", hundreds="جنيه")
WORKING_DAYS = CountedNoun(one="يوم عمل واحد", two="يوما عمل", few="أيام عمل", many="يوم عمل", hundreds="يوم عمل")


def counted(number: int, noun: CountedNoun) -> str:
    """`number` with `noun` in the form Arabic grammar gives it, digits kept as digits."""
    if number == 1:
        return noun.one
    if number == 2:
        return noun.two
    last_two = number % 100
    if last_two == 0:
        return f"{number} {noun.hundreds}"
    if last_two <= 2:
        # 101 or 102 written in digits: usage keeps the singular, as after a round hundred.
        return f"{number} {noun.hundreds}"
    if last_two <= 10:
        return f"{number} {noun.few}"
    return f"{number} {noun.many}"


def fee_text(fee_egp: int) -> str:
    return "بدون رسوم" if fee_egp == 0 else counted(fee_egp, POUNDS)


def working_days_text(days: int) -> str:
    return counted(days, WORKING_DAYS)
