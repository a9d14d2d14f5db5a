"""`manage.py import_regions FILE.csv [--dry-run] [--yes]`: load a full division code table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from weijian.orgs.importers.regions import RegionImportPlan, parse_regions, plan_regions, read_csv
from weijian.orgs.selectors import region_index
from weijian.orgs.services import region_import_apply

PREVIEW_LIMIT = 20
ERROR_LIMIT = 50
PROGRESS_THRESHOLD = 2000


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "文件不存在"
    if isinstance(exc, IsADirectoryError):
        return "这是一个目录，不是文件"
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    return "读取出错"


class Command(BaseCommand):
    help = (
        "从 CSV 文件导入行政区划代码表（GB/T 2260）。表头含区划代码列（code/代码/区划代码）和"
        "名称列（name/名称）；先校验全部行并预览，任何一行有错都不写入，确认后在一个事务中导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV 文件（UTF-8 或 GB18030 编码）")
        parser.add_argument("--dry-run", action="store_true", help="只校验和预览，不写入")
        parser.add_argument("--yes", action="store_true", help="不再询问，直接导入")

    def handle(self, *args: Any, file: Path, dry_run: bool, yes: bool, **options: Any) -> None:
        try:
            rows = read_csv(file.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件“{file}”：{_os_reason(exc)}") from exc
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        existing = region_index()
        parsed = parse_regions(rows, known_codes=existing.keys())
        if parsed.errors:
            for error in parsed.errors[:ERROR_LIMIT]:
                self.stderr.write(str(error))
            if len(parsed.errors) > ERROR_LIMIT:
                self.stderr.write(f"……另有{len(parsed.errors) - ERROR_LIMIT}处错误未列出")
            raise CommandError(f"发现{len(parsed.errors)}处错误，未导入任何数据。")

        plan = plan_regions(parsed.rows, existing)
        self._preview(plan, total=len(parsed.rows))
        if parsed.villages_skipped:
            self.stdout.write(
                f"另有{parsed.villages_skipped}条村级区划（12位代码），本系统不收录，已略过。"
            )
        if dry_run:
            self.stdout.write("试运行（--dry-run）：未写入任何数据。")
            return
        if not plan.change_count:
            self.stdout.write("区划代码表已是最新，无需导入。")
            return
        if not yes and not self._confirm():
            self.stdout.write("已取消，未写入任何数据。")
            return
        with tqdm(
            total=plan.change_count,
            unit="条",
            desc="导入区划",
            disable=plan.change_count < PROGRESS_THRESHOLD,
        ) as bar:
            region_import_apply(plan=plan, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"导入完成：{plan.summary()}。"))

    def _preview(self, plan: RegionImportPlan, *, total: int) -> None:
        self.stdout.write(f"共{total}条区划：{plan.summary()}。")
        changes = plan.changes
        if changes:
            self.stdout.write(f"前{min(len(changes), PREVIEW_LIMIT)}项变化：")
            for change in changes[:PREVIEW_LIMIT]:
                self.stdout.write(f"  {change.describe()}")

    def _confirm(self) -> bool:
        try:
            answer = input("确认导入？[y/N] ")
        except EOFError:
            return False
        return answer.strip().lower() in {"y", "yes", "是"}
