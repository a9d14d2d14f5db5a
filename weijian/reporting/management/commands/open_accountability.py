"""`manage.py open_accountability [--date YYYY-MM-DD] [--dry-run]`: open an accountability record
for every task of an active reporting cycle past its deadline and not reported complete, count
repeated misses, and put records missed often enough on the leading group's agenda
(`weijian.reporting.services.accountability`). Idempotent; run it daily with send_reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from weijian.reporting.services.accountability import open_overdue


class Command(BaseCommand):
    help = (
        "为已过完成时限仍未报告完成的任务发起问责（请牵头单位说明原因及延期完成时限），"
        "再次逾期时累计次数，达到填报周期设定的次数后列入领导小组下次会议议题。"
        "可每天运行，重复运行不会重复发起或重复通知。--dry-run 只列出，不写入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天检查（YYYY-MM-DD，默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不写入也不通知")

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._date(options.get("date"))
        run = open_overdue(today=today, dry_run=options["dry_run"])
        for line in run.lines:
            self.stdout.write(line)
        for problem in run.problems:
            self.stderr.write(self.style.WARNING(problem))
        verb = "将" if options["dry_run"] else "已"
        self.stdout.write(
            self.style.SUCCESS(
                f"{today}：{verb}新发起问责 {run.opened} 项，再次逾期 {run.missed} 项，"
                f"列入会议议题 {run.escalated} 项。"
            )
        )

    def _date(self, text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"日期“{text}”格式不正确，应为 YYYY-MM-DD。") from None
