"""Fill a region with synthetic institutions, practitioners and inspectors (demos, tests, bench)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from weijian.orgs.models import Region
from weijian.supervision import synthetic

PROGRESS_FROM = 10_000  # institutions: a progress bar on stderr from this size


class Command(BaseCommand):
    help = (
        "为指定行政区划生成模拟的医疗卫生机构、医务人员和执法人员（含工作经历和亲属回避申报），"
        "同一种子生成相同的数据；已存在的编码自动跳过。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="行政区划代码，如 360300（萍乡市）")
        parser.add_argument("--institutions", type=int, required=True, help="机构数量")
        parser.add_argument("--inspectors", type=int, required=True, help="执法人员数量")
        parser.add_argument("--seed", type=int, required=True, help="随机种子")
        parser.add_argument(
            "--practitioners", type=int, default=2, help="每个机构的医务人员数（默认2）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"未知的行政区划代码：{options['region']}")
        for name, label in (
            ("institutions", "机构数量"),
            ("inspectors", "执法人员数量"),
            ("practitioners", "医务人员数"),
        ):
            if options[name] < 0:
                raise CommandError(f"{label}不能为负数。")
        if options["seed"] < 0:
            raise CommandError("随机种子不能为负数。")
        total = options["institutions"]
        with (
            tqdm(
                total=total,
                unit="家",
                file=sys.stderr,
                disable=total < PROGRESS_FROM,
                desc="生成机构",
            ) as bar,
            transaction.atomic(),
        ):
            summary = synthetic.populate(
                region,
                institutions=total,
                inspectors=options["inspectors"],
                seed=options["seed"],
                practitioners=options["practitioners"],
                progress=bar.update,
            )
        skipped = f"，跳过已存在的 {summary.skipped} 家" if summary.skipped else ""
        self.stdout.write(
            f"{region.name}（监管单位：{summary.supervisor.name}）："
            f"新增机构 {summary.institutions} 家{skipped}，"
            f"医务人员 {summary.practitioners} 名，执法人员 {summary.inspectors} 名"
            f"（工作经历 {summary.employments} 条，亲属回避申报 {summary.relatives} 条）。"
        )
