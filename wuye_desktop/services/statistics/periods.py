"""Reporting periods: a month, a quarter, a year or any date range, and the periods compared with it."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from wuye_desktop.errors import ValidationError
from wuye_desktop.services import validation

PeriodKind = Literal["month", "quarter", "year", "range"]

_QUARTER_NAMES = ("一", "二", "三", "四")
_QUARTER = re.compile(r"([0-9]{4})\s*(?:[-/ ]?\s*[Qq]|年第?)\s*([1-4一二三四])\s*(?:季度?)?")
_YEAR = re.compile(r"([0-9]{4})\s*年?")
# A county roll-up may ask for ten years at once; anything longer is a typo.
MAX_DAYS = 3700


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: PeriodKind = "range"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{_QUARTER_NAMES[(self.start.month - 1) // 3]}季度"
        if self.kind == "year":
            return f"{self.start.year}年"
        return f"{_cn(self.start)}至{_cn(self.end)}"

    @property
    def span_text(self) -> str:
        """The exact dates, for the title row under the label."""
        return f"{_cn(self.start)}至{_cn(self.end)}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: last month, last quarter, last year, or the same number of days."""
        if self.kind == "month":
            return month(*_add_months(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            y, first = _add_months(self.start.year, self.start.month, -3)
            return quarter(y, (first - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, "range")

    def year_before(self) -> Period:
        """The same period one year earlier (同比); 29 February falls back to the 28th."""
        if self.kind == "month":
            return month(self.start.year - 1, self.start.month)
        if self.kind == "quarter":
            return quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == "year":
            return year(self.start.year - 1)
        return Period(_year_earlier(self.start), _year_earlier(self.end), "range")

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every calendar month the period touches, in order."""
        found: list[tuple[int, int]] = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            found.append((y, m))
            y, m = _add_months(y, m, 1)
        return found


def month(y: int, m: int) -> Period:
    last = calendar.monthrange(y, m)[1]
    return Period(date(y, m, 1), date(y, m, last), "month")


def quarter(y: int, q: int) -> Period:
    if not 1 <= q <= 4:
        raise ValidationError.single("quarter", "季度应为1至4")
    first = 3 * (q - 1) + 1
    return Period(date(y, first, 1), month(y, first + 2).end, "quarter")


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), "year")


def between(start: date, end: date) -> Period:
    """Any range; a whole calendar month, quarter or year is recognised as one, so it compares like one."""
    if end < start:
        raise ValidationError.single("to", f"结束日期 {end:%Y-%m-%d} 早于开始日期 {start:%Y-%m-%d}")
    if (end - start).days >= MAX_DAYS:
        raise ValidationError.single("to", "统计期间不能超过十年")
    for candidate in (month(start.year, start.month), quarter(start.year, (start.month - 1) // 3 + 1),
                      year(start.year)):
        if (candidate.start, candidate.end) == (start, end):
            return candidate
    return Period(start, end, "range")


def check_span(period: Period, earliest: date, today: date) -> Period:
    """A period the register can have figures for: it starts by today and ends after the earliest day a date
    of the register may have (``settings.earliest_day``); the range allowed is in the message."""
    allowed = f"统计期间应在{_cn(earliest)}至{_cn(today)}之间"
    if period.start > today:
        raise ValidationError.single("period", f"{period.label}还没有开始，没有可统计的数据（{allowed}）")
    if period.end < earliest:
        raise ValidationError.single("period", f"{period.label}早于台账可登记的最早日期，没有可统计的数据（{allowed}）")
    return period


def containing(day: date, kind: PeriodKind) -> Period:
    """The month, quarter or year ``day`` falls in."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return year(day.year)
    return Period(day, day, "range")


def parse_month(text: str) -> Period:
    y, m = validation.parse_month(text, field="month")
    return month(y, m)


def parse_quarter(text: str) -> Period:
    found = _QUARTER.fullmatch(_fold(text))
    if not found:
        raise ValidationError.single("quarter", f"季度“{text.strip()}”无法识别，请写成 2026Q3 或 2026年第3季度")
    digit = found[2]
    q = _QUARTER_NAMES.index(digit) + 1 if digit in _QUARTER_NAMES else int(digit)
    return quarter(int(found[1]), q)


def parse_year(text: str) -> Period:
    found = _YEAR.fullmatch(_fold(text))
    if not found:
        raise ValidationError.single("year", f"年份“{text.strip()}”无法识别，请写成 2026")
    return year(int(found[1]))


def parse_range(start: str, end: str) -> Period:
    return between(validation.parse_date(start, field="from"), validation.parse_date(end, field="to"))


def _fold(text: str) -> str:
    return text.translate({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}).strip()


def _cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _add_months(y: int, m: int, delta: int) -> tuple[int, int]:
    index = y * 12 + (m - 1) + delta
    return index // 12, index % 12 + 1


def add_months(day: date, delta: int) -> date:
    """The same day ``delta`` months away, clipped to the month's last day."""
    y, m = _add_months(day.year, day.month, delta)
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def _year_earlier(day: date) -> date:
    return add_months(day, -12)
