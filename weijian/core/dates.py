"""Dates written the Chinese official way: 2019年3月6日, never padded (GB/T 9704-2012)."""

from __future__ import annotations

import datetime


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
