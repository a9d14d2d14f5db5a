"""`manage.py send_reminders [--before N] [--after N] [--date YYYY-MM-DD] [--sms] [--dry-run]`:
remind the units that have not submitted their progress report. Idempotent; run it daily (cron
or a systemd timer, see README)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from weijian.reporting.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "提醒尚未报送进展的单位：截止日前若干天（--before，默认3）和逾期后若干天（--after，默认2）内各提醒一次；"
        "同一单位同一期间同类提醒只发一次，可每天运行。--dry-run 只列出将提醒的单位。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", type=int, default=3, help="截止日前多少天开始提醒")
        parser.add_argument("--after", type=int, default=2, help="逾期后多少天内催报")
        parser.add_argument("--date", help="按哪一天运行（YYYY-MM-DD，默认今天）")
        parser.add_argument("--sms", action="store_true", help="同时发送短信")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不发送")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["before"] < 0 or options["after"] < 0:
            raise CommandError("--before 和 --after 不能为负数。")
        today = self._date(options.get("date"))
        run = send_reminders(
            today=today,
            before=options["before"],
            after=options["after"],
            by_sms=options["sms"],
            dry_run=options["dry_run"],
        )
        for line in run.lines:
            self.stdout.write(line)
        verb = "将提醒" if options["dry_run"] else "已提醒"
        self.stdout.write(
            self.style.SUCCESS(
                f"{today}：{verb} {run.units} 个单位，发送消息 {run.notifications} 条。"
            )
        )

    def _date(self, text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD。") from None
