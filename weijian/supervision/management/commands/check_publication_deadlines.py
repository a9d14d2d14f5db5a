"""`manage.py check_publication_deadlines [--date YYYY-MM-DD]`: mark the rectifications past their
deadline 逾期未整改 and tell the plan owner's staff about them and about inspection results
overdue for publication (一公开). Idempotent (notification keys); run it daily."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from weijian.supervision.services.publication import check_deadlines


class Command(BaseCommand):
    help = (
        "标记逾期未整改的检查，并提醒抽查计划实施单位的科室人员公示逾期未公示的检查结果；"
        "同一提醒只发一次，可每天运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天检查（YYYY-MM-DD，默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        today = self._date(options.get("date"))
        run = check_deadlines(today=today)
        for line in run.lines:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"{today}：新标记逾期未整改 {run.rectifications_overdue} 项，"
                f"逾期未公示 {run.publications_overdue} 项，发送消息 {run.notifications} 条。"
            )
        )

    def _date(self, text: str | None) -> datetime.date:
        if not text:
            return timezone.localdate()
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}") from None
