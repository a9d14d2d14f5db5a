"""Load the demo world (organizations, demo accounts). Demo mode only; idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from weijian.core.demo import loaders


class Command(BaseCommand):
    help = "载入演示数据和演示账户（仅限演示模式，可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError(
                "演示数据只能在演示模式下载入：请设置 WEIJIAN_DEMO=1（生产环境不得存在演示账户）。"
            )
        with transaction.atomic():
            for load in loaders():
                load(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
