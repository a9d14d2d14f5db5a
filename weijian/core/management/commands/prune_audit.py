"""Delete audit events older than a number of days (never under 180)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weijian.core import services


class Command(BaseCommand):
    help = "清理早于指定天数的审计日志（不得少于180天）。本次清理本身也记入审计日志。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS", help="清理多少天以前的记录"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            deleted = services.audit_prune(older_than_days=options["older_than"])
        except ValidationError as exc:
            raise CommandError("".join(exc.messages)) from None
        self.stdout.write(f"已清理 {deleted} 条早于 {options['older_than']} 天的审计日志。")
