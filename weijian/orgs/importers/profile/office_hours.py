"""Office hours by season: "上午:8:30—11:30 下午:13:00—16:30(秋冬)", or one schedule for the
whole year such as "9:00—12:30,14:00—18:00(周一至周五,法定节假日除外)"."""

from __future__ import annotations

import re

from .model import OfficeHours

_TIME = r"(\d{1,2})\s*(?::\s*(\d{2})|时\s*(?:(\d{1,2})\s*分|(半))?|点\s*(?:(\d{1,2})\s*分?|(半))?)"
_RANGE = re.compile(rf"{_TIME}\s*(?:—+|-+|~|至|到)\s*{_TIME}")
_SEASON = re.compile(r"(春夏|秋冬|夏秋|冬春|夏季|冬季|春季|秋季|夏令|冬令|全年)")
_DATES = re.compile(
    r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:—+|-+|~|至|到)\s*(?:次年|翌年)?\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)
_DAYS = re.compile(
    r"((?:星期|周)[一二三四五六日天]\s*(?:至|到|—|-)\s*(?:星期|周)[一二三四五六日天])"
)
_HOLIDAYS = re.compile(r"节假日(除外|休息)")
_HINT = re.compile(r"上午|下午|办公|工作时间|作息|季|春夏|秋冬")


def _clock(groups: tuple[str | None, ...]) -> str | None:
    hour_text, colon, minute_a, half_a, minute_b, half_b = groups
    hour = int(hour_text or 0)
    minute_text = colon or minute_a or minute_b
    minute = 30 if (half_a or half_b) else int(minute_text or 0)
    if hour > 24 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


class Hours:
    """Collects schedules line by line; a season named alone applies to the lines that follow."""

    def __init__(self, schedules: list[OfficeHours]) -> None:
        self.schedules = schedules
        self.days = ""
        self.pending_season: tuple[str, str, str] | None = None
        self.holidays_excluded = False

    def feed(self, text: str, in_section: bool) -> bool:
        ranges = [m for m in _RANGE.finditer(text)]
        days = _DAYS.search(text)
        if days:
            self.days = days.group(1).replace(" ", "")
        holidays = bool(_HOLIDAYS.search(text))
        if holidays:
            self.holidays_excluded = True
            for schedule in self.schedules:
                schedule.holidays_excluded = True
        season = self._season(text)
        if not ranges:
            if season and in_section:
                self.pending_season = season
                return True
            return bool(in_section and (days or holidays))
        if not in_section and not _HINT.search(text):
            return False
        sessions = []
        for match in ranges:
            start, end = _clock(match.groups()[:6]), _clock(match.groups()[6:])
            if start and end:
                sessions.append((start, end))
        if not sessions:
            return False
        self._add(season or self.pending_season or ("全年", "", ""), sessions, holidays)
        return True

    def _season(self, text: str) -> tuple[str, str, str] | None:
        name = _SEASON.search(text)
        dates = _DATES.search(text)
        if not name and not dates:
            return None
        start = end = ""
        if dates:
            start = f"{int(dates.group(1)):02d}-{int(dates.group(2)):02d}"
            end = f"{int(dates.group(3)):02d}-{int(dates.group(4)):02d}"
        return (name.group(1) if name else "全年", start, end)

    def _add(
        self, season: tuple[str, str, str], sessions: list[tuple[str, str]], holidays: bool
    ) -> None:
        name, start, end = season
        for schedule in self.schedules:
            if (schedule.season, schedule.from_, schedule.to) == (name, start, end):
                schedule.sessions.extend(s for s in sessions if s not in schedule.sessions)
                return
        self.schedules.append(
            OfficeHours(name, sessions, start, end, self.days, holidays or self.holidays_excluded)
        )

    def finish(self) -> None:
        for schedule in self.schedules:
            schedule.days = schedule.days or self.days
            schedule.holidays_excluded = schedule.holidays_excluded or self.holidays_excluded
            schedule.sessions.sort()
