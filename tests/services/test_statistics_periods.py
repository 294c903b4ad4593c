"""Periods: month, quarter, year, any range; the one before and the same one last year; parsing."""

from __future__ import annotations

from datetime import date

import pytest

from wuye_desktop.errors import ValidationError
from wuye_desktop.services import statistics
from wuye_desktop.services.statistics.periods import Period, parse_month, parse_quarter, parse_range, parse_year


def span(p: Period) -> tuple[str, str, str]:
    return p.start.isoformat(), p.end.isoformat(), p.kind


def test_months_compare_with_last_month_and_the_same_month_last_year() -> None:
    january = statistics.month(2026, 1)
    assert span(january) == ("2026-01-01", "2026-01-31", "month") and january.label == "2026年1月"
    assert span(january.previous()) == ("2025-12-01", "2025-12-31", "month")
    assert span(statistics.month(2024, 3).previous()) == ("2024-02-01", "2024-02-29", "month")
    assert span(statistics.month(2024, 2).year_before()) == ("2023-02-01", "2023-02-28", "month")


def test_quarters_years_and_ranges() -> None:
    q1 = statistics.quarter(2026, 1)
    assert span(q1) == ("2026-01-01", "2026-03-31", "quarter") and q1.label == "2026年第一季度"
    assert span(q1.previous()) == ("2025-10-01", "2025-12-31", "quarter")
    assert span(q1.year_before()) == ("2025-01-01", "2025-03-31", "quarter")
    assert span(statistics.year(2026).previous()) == ("2025-01-01", "2025-12-31", "year")
    ten_days = statistics.between(date(2026, 3, 1), date(2026, 3, 10))
    assert ten_days.label == "2026年3月1日至2026年3月10日"
    assert span(ten_days.previous()) == ("2026-02-19", "2026-02-28", "range")
    leap = statistics.between(date(2024, 2, 20), date(2024, 2, 29))
    assert span(leap.year_before()) == ("2023-02-20", "2023-02-28", "range")
    # A range that is a whole month is reported (and compared) as that month.
    assert statistics.between(date(2026, 10, 1), date(2026, 10, 31)).kind == "month"
    assert statistics.between(date(2026, 7, 1), date(2026, 9, 30)).kind == "quarter"
    assert statistics.month(2026, 12).months() == [(2026, 12)]
    assert statistics.quarter(2026, 4).months() == [(2026, 10), (2026, 11), (2026, 12)]


@pytest.mark.parametrize(("text", "expected"), [
    ("2026Q3", ("2026-07-01", "2026-09-30")), ("2026q1", ("2026-01-01", "2026-03-31")),
    ("2026-Q4", ("2026-10-01", "2026-12-31")), ("2026年第3季度", ("2026-07-01", "2026-09-30")),
    ("2026年第二季度", ("2026-04-01", "2026-06-30")), ("２０２６Ｑ２", ("2026-04-01", "2026-06-30")),
])
def test_quarters_are_read_as_clerks_write_them(text: str, expected: tuple[str, str]) -> None:
    assert span(parse_quarter(text))[:2] == expected


def test_bad_periods_say_what_is_wrong() -> None:
    with pytest.raises(ValidationError, match="2026Q5"):
        parse_quarter("2026Q5")
    with pytest.raises(ValidationError, match="月份应为1至12"):
        parse_month("2026-13")
    with pytest.raises(ValidationError, match="年份"):
        parse_year("二〇二六")
    with pytest.raises(ValidationError, match="早于开始日期"):
        parse_range("2026-10-31", "2026-10-01")
    with pytest.raises(ValidationError, match="十年"):
        parse_range("2000-01-01", "2026-10-01")
    assert span(parse_month("2026年10月")) == ("2026-10-01", "2026-10-31", "month")
    assert span(parse_year("2026")) == ("2026-01-01", "2026-12-31", "year")
