"""Reporting periods: a month (2024-05), a quarter (2024-Q2), a half-year (2024-H1) or a year
(2024), with their first and last days, and the due moment a cycle's rule gives them.

Due means the END of the due day (23:59:59.999999 Asia/Shanghai), never its midnight start
(RULES.md, periodic reporting). A day of the month past the month's end is clamped to it
(每月30日前 in February means the 28th or 29th).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Frequency(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF_YEAR = "half_year", "每半年"
    YEAR = "year", "每年"


# How many months each period spans.
MONTHS = {Frequency.MONTH: 1, Frequency.QUARTER: 3, Frequency.HALF_YEAR: 6, Frequency.YEAR: 12}
_KEY = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])|H(?P<half>[12])))?$"
)


class PeriodError(ValueError):
    """A period key that cannot be read; the message is for the user."""


@dataclass(frozen=True, order=True)
class Period:
    frequency: str
    year: int
    index: int  # the month 1–12, quarter 1–4, half 1–2, or 1 for a year

    @classmethod
    def parse(cls, key: str) -> Period:
        """2024-05 · 2024-Q2 · 2024-H1 · 2024."""
        match = _KEY.match(key.strip())
        if match is None:
            raise PeriodError(f"无法识别的填报期间“{key}”，应为 2024-05、2024-Q2、2024-H1 或 2024")
        year = int(match["year"])
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise PeriodError(f"填报期间“{key}”的月份应在 01–12 之间")
            return cls(Frequency.MONTH, year, month)
        if match["quarter"]:
            return cls(Frequency.QUARTER, year, int(match["quarter"]))
        if match["half"]:
            return cls(Frequency.HALF_YEAR, year, int(match["half"]))
        return cls(Frequency.YEAR, year, 1)

    @classmethod
    def containing(cls, frequency: str, day: datetime.date) -> Period:
        span = MONTHS[Frequency(frequency)]
        return cls(frequency, day.year, (day.month - 1) // span + 1)

    @property
    def key(self) -> str:
        if self.frequency == Frequency.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.frequency == Frequency.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.frequency == Frequency.HALF_YEAR:
            return f"{self.year}-H{self.index}"
        return str(self.year)

    @property
    def label(self) -> str:
        """2024年5月 · 2024年第二季度 · 2024年上半年 · 2024年."""
        if self.frequency == Frequency.MONTH:
            return f"{self.year}年{self.index}月"
        if self.frequency == Frequency.QUARTER:
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        if self.frequency == Frequency.HALF_YEAR:
            return f"{self.year}年{'上' if self.index == 1 else '下'}半年"
        return f"{self.year}年"

    @property
    def first_month(self) -> int:
        return (self.index - 1) * MONTHS[Frequency(self.frequency)] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + MONTHS[Frequency(self.frequency)] - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return month_day(self.year, self.last_month, 31)

    def next(self) -> Period:
        return Period.containing(self.frequency, self.end + datetime.timedelta(days=1))

    def previous(self) -> Period:
        return Period.containing(self.frequency, self.start - datetime.timedelta(days=1))

    def __str__(self) -> str:
        return self.key


def month_day(year: int, month: int, day: int) -> datetime.date:
    """The day of the month, clamped to the month's last day."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def periods(frequency: str, first: datetime.date, last: datetime.date) -> Iterator[Period]:
    """Every period of `frequency` that overlaps first..last, in order."""
    period = Period.containing(frequency, first)
    while period.start <= last:
        yield period
        period = period.next()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in Asia/Shanghai (the due moment of a due day)."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=SHANGHAI)
