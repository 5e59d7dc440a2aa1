"""How the figures read on a staff page (the console's figures page, and the same words as the
standalone performance screen's script, chalicelib/api/figures_screen/screen.js): rates as whole
percentages, a month's change in points with the Arabic plural, days as "27 نوفمبر 2026"."""

from __future__ import annotations

from datetime import date

from chalicelib.domain.calendar import arabic_date


def rate(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def number(value: int | float | None) -> str:
    return "—" if value is None else str(value)


def points_ar(count: int) -> str:
    """A count of percentage points as Arabic counts them: 1 نقطة، 2 نقطتان، 3 to 10 نقاط, then نقطة."""
    if count == 1:
        return "نقطة واحدة"
    if count == 2:
        return "نقطتان"
    if 3 <= count % 100 <= 10:
        return f"{count} نقاط"
    return f"{count} نقطة"


def comparison(now: float | None, before: float | None) -> str:
    """This month's on-time rate against last month's, between the percentages shown, so that
    "86%" and "86%" never read as a point apart."""
    if now is None or before is None:
        return f"الشهر الماضي: {rate(before)}"
    points = round(now * 100) - round(before * 100)
    if points == 0:
        return "مثل الشهر الماضي"
    word = "أعلى" if points > 0 else "أقل"
    return f"{points_ar(abs(points))} {word} من الشهر الماضي ({rate(before)})"


def day(iso: str) -> str:
    return arabic_date(date.fromisoformat(iso))
