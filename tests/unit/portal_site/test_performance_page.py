"""The public figures page: its headline is the last complete month, says plainly when a district
did too little to be measured, keeps its symbols in reading order, and speaks without jargon."""

from __future__ import annotations

from typing import Any

from chalicelib.portal import render

SITE = render.Site(portal="", api="")


def _row(month: str, district: str, **figures: Any) -> dict[str, Any]:
    row = {"month": month, "district": district, "service": "all", "received": 40, "completed": 30,
           "completed_on_time": 24, "on_time_rate": 0.8, "median_working_days": 4.5}  # fmt: skip
    return {**row, **figures}


def document(to: str) -> dict[str, Any]:
    return {
        "from": "2026-10-01",
        "to": to,
        "districts": [{"code": "dokki", "name_ar": "الدقي"}, {"code": "warraq", "name_ar": "الوراق"}],
        "rows": [
            _row(
                "2026-12",
                "dokki",
                received=None,
                completed=None,
                completed_on_time=None,
                on_time_rate=None,
                median_working_days=None,
            ),
            _row("2026-12", "warraq", completed=6, completed_on_time=3, on_time_rate=0.5, median_working_days=2),
            _row("2026-11", "dokki"),
            _row(
                "2026-11", "warraq", completed=None, completed_on_time=None, on_time_rate=None, median_working_days=None
            ),
        ],
    }


def headline(page: str) -> str:
    return page[page.index('<h2 id="chart-title">') : page.index('<h2 id="table-title">')]


def test_the_headline_is_the_last_complete_month_not_the_current_one() -> None:
    top = headline(render.performance_page(SITE, document("2026-12-07")))

    assert "نوفمبر 2026" in top
    assert "ديسمبر 2026" not in top


def test_a_month_that_ends_on_the_last_day_counted_is_complete() -> None:
    assert "نوفمبر 2026" in headline(render.performance_page(SITE, document("2026-11-30")))


def test_a_district_with_too_few_requests_is_said_so_in_words() -> None:
    top = headline(render.performance_page(SITE, document("2026-12-07")))

    assert "<strong>الوراق</strong>: أُنجز أقل من 5 طلبات، فلا تُحسب لها نسبة." in top
    assert '<strong>الدقي</strong>: أُنجز <bdi dir="ltr">80%</bdi> من الطلبات في موعدها' in top


def test_plain_words_replace_the_median() -> None:
    page = render.performance_page(SITE, document("2026-12-07"))

    assert "الوسيط" not in page
    assert "نصف الطلبات أُنجزت في 5 أيام عمل أو أقل" in headline(page)  # 4.5 days: half within 5


def test_every_symbol_is_isolated_left_to_right() -> None:
    page = render.performance_page(SITE, document("2026-12-07"))
    table = page[page.index('<table class="perf">') :]

    assert '<abbr dir="ltr" title="أقل من 5، لا يُنشر حفاظًا على الخصوصية">&lt;5</abbr>' in table
    assert '<bdi dir="ltr">80%</bdi>' in table
    assert ">80%<" not in table.replace('<bdi dir="ltr">80%</bdi>', "")
