"""Is the office open now? Pure functions over office-hour schedules and the working-day calendar.

A `Schedule` is one season (春夏 / 秋冬 / 全年): an optional month-day range, which may wrap the
year end (10-01 to 04-30), and its sessions (上午 8:30—11:30, 下午 13:00—16:30). Which days are
working days comes only from `core.workdays`: a 调休 Sunday is a working day, a statutory holiday on
a Monday is not. Nothing here touches the database; callers pass the schedules and a calendar.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import chinese_calendar

from weijian.core.workdays import WorkCalendar, WorkdayDataMissing

if TYPE_CHECKING:
    from weijian.orgs.models import OfficeHours

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS = "一二三四五六日"
NOON = datetime.time(12)
# How far ahead to look for the next opening: past any holiday, or a gap between seasons.
SEARCH_DAYS = 400

MonthDay = tuple[int, int]
Session = tuple[datetime.time, datetime.time]

_HOLIDAY_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
# chinesecalendar's short names, written out as the State Council's notices write them.
_HOLIDAY_FULL_NAMES = {"清明": "清明节", "端午": "端午节", "中秋": "中秋节"}


@dataclass(frozen=True)
class Schedule:
    """One season's office hours. Without `start` and `end` it applies all year."""

    season: str
    start: MonthDay | None
    end: MonthDay | None
    sessions: tuple[Session, ...]

    @classmethod
    def from_model(cls, hours: OfficeHours) -> Schedule:
        sessions: list[Session] = [(hours.morning_start, hours.morning_end)]
        if hours.afternoon_start is not None and hours.afternoon_end is not None:
            sessions.append((hours.afternoon_start, hours.afternoon_end))
        dated = None not in (hours.start_month, hours.start_day, hours.end_month, hours.end_day)
        return cls(
            season=hours.season,
            start=(hours.start_month, hours.start_day) if dated else None,  # type: ignore[arg-type]
            end=(hours.end_month, hours.end_day) if dated else None,  # type: ignore[arg-type]
            sessions=tuple(sessions),
        )

    @property
    def all_year(self) -> bool:
        return self.start is None or self.end is None

    def covers(self, day: datetime.date) -> bool:
        """Whether `day` falls in this season; a range whose end precedes its start wraps."""
        if self.start is None or self.end is None:
            return True
        month_day = (day.month, day.day)
        if self.start <= self.end:
            return self.start <= month_day <= self.end
        return month_day >= self.start or month_day <= self.end

    @property
    def opening(self) -> datetime.time:
        return self.sessions[0][0]

    @property
    def session_rows(self) -> list[tuple[str, str]]:
        """[('上午', '8:30—11:30'), ('下午', '13:00—16:30')] for a timetable."""
        return [
            (session_label(s) or "办公时间", f"{clock(s[0])}—{clock(s[1])}") for s in self.sessions
        ]

    @property
    def period_text(self) -> str:
        """'10月1日至次年4月30日', '5月1日至9月30日' or '全年'."""
        if self.start is None or self.end is None:
            return "全年"
        following = "次年" if self.end < self.start else ""
        return f"{self.start[0]}月{self.start[1]}日至{following}{self.end[0]}月{self.end[1]}日"


@dataclass(frozen=True)
class OfficeStatus:
    """The answer to "is the office open now?" with a sentence for the public."""

    is_open: bool
    message: str
    season: str = ""
    next_opening: datetime.datetime | None = None
    calendar_known: bool = True


def season_for(schedules: Sequence[Schedule], day: datetime.date) -> Schedule | None:
    """The schedule in force on `day`: a season whose dates cover it, else an all-year one."""
    dated = [s for s in schedules if not s.all_year and s.covers(day)]
    if dated:
        return dated[0]
    return next((s for s in schedules if s.all_year), None)


def clock(value: datetime.time) -> str:
    """8:30, 13:00: the hour without a leading zero, as notices write it."""
    return f"{value.hour}:{value.minute:02d}"


def day_text(day: datetime.date) -> str:
    """11月25日（星期一）"""
    return f"{day.month}月{day.day}日（星期{WEEKDAYS[day.weekday()]}）"


def session_label(session: Session) -> str:
    """上午 / 下午, or nothing for a session that runs through noon."""
    start, end = session
    if start >= NOON:
        return "下午"
    if end <= datetime.time(13):
        return "上午"
    return ""


def session_text(session: Session) -> str:
    """上午 8:30—11:30"""
    label = session_label(session)
    span = f"{clock(session[0])}—{clock(session[1])}"
    return f"{label} {span}" if label else span


def holiday_name(day: datetime.date) -> str:
    """The statutory holiday `day` belongs to (国庆节), or '' (an ordinary weekend, unknown)."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if not on_holiday or not name:
        return ""
    short = _HOLIDAY_NAMES.get(name, name)
    return _HOLIDAY_FULL_NAMES.get(short, short)


def next_opening(
    schedules: Sequence[Schedule], day: datetime.date, calendar: WorkCalendar
) -> datetime.datetime | None:
    """The first opening on a working day from `day` on (inclusive), in the season in force
    then. Raises `WorkdayDataMissing` when the search reaches a year nobody has entered."""
    for _ in range(SEARCH_DAYS):
        day = calendar.next_workday(day)
        schedule = season_for(schedules, day)
        if schedule is not None and schedule.sessions:
            return datetime.datetime.combine(day, schedule.opening, tzinfo=SHANGHAI)
        day += datetime.timedelta(days=1)
    return None


def _next_text(opening: datetime.datetime | None) -> str:
    if opening is None:
        return "暂无后续办公安排"
    return f"下次办公时间：{day_text(opening.date())}{clock(opening.time())}"


def _closed(
    prefix: str, schedules: Sequence[Schedule], day: datetime.date, calendar: WorkCalendar
) -> OfficeStatus:
    """Closed for the rest of the day: say why, and when the office opens next."""
    season = (season_for(schedules, day) or Schedule("", None, None, ())).season
    try:
        opening = next_opening(schedules, day + datetime.timedelta(days=1), calendar)
    except WorkdayDataMissing as missing:
        return OfficeStatus(
            False,
            f"{prefix}，下次办公时间暂无法确定（{missing.year}年法定节假日安排尚未录入）",
            season,
            calendar_known=False,
        )
    return OfficeStatus(False, f"{prefix}，{_next_text(opening)}", season, opening)


def _day_off_reason(day: datetime.date, calendar: WorkCalendar) -> str:
    name = "" if day in calendar.overrides else holiday_name(day)
    if name:
        return f"今天是法定节假日（{name}）"
    if day.weekday() >= 5:
        return "今天是休息日"
    return "今天是节假日"


def _working_day(schedule: Schedule, now: datetime.datetime) -> OfficeStatus | None:
    """The status on a working day while sessions remain; None once the day's last has ended."""
    moment = now.time()
    for index, session in enumerate(schedule.sessions):
        start, end = session
        if start <= moment < end:
            return OfficeStatus(True, f"现在办公（{session_text(session)}）", schedule.season)
        if moment < start:
            opening = datetime.datetime.combine(now.date(), start, tzinfo=SHANGHAI)
            when = " ".join(filter(None, [session_label(session), clock(start)]))
            if index == 0:
                text = f"尚未开始办公，今天{when} 开始办公"
            else:
                text = f"午间休息，{when} 开始办公"
            return OfficeStatus(False, text, schedule.season, opening)
    return None


def status(
    schedules: Sequence[Schedule], moment: datetime.datetime, calendar: WorkCalendar
) -> OfficeStatus:
    """Whether the office is open at `moment` (an aware datetime), in words for the public."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("moment must be an aware datetime")
    if not schedules:
        return OfficeStatus(False, "暂未公布办公时间")
    now = moment.astimezone(SHANGHAI)
    today = now.date()
    try:
        working = calendar.is_workday(today)
    except WorkdayDataMissing as missing:
        return OfficeStatus(
            False,
            f"{missing.year}年法定节假日安排尚未录入，暂无法确定今天是否办公",
            calendar_known=False,
        )
    schedule = season_for(schedules, today)
    if not working:
        return _closed(_day_off_reason(today, calendar), schedules, today, calendar)
    if schedule is None or not schedule.sessions:
        return _closed("今天不在办公时段内", schedules, today, calendar)
    return _working_day(schedule, now) or _closed("已下班", schedules, today, calendar)
