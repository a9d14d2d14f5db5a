"""`manage.py import_plan PATH [--title T] [--year Y] [--owner ORG_ID] [--dry-run] [--json]`:
read a plan document (.txt or .docx) or a 任务分工表 (.xlsx) into a plan with its task tree,
units, targets and deadlines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from weijian.orgs.models import Organization
from weijian.plans.importers.files import read_plan, unsupported
from weijian.plans.models import Assignment, Target, Task
from weijian.plans.resolve import UnitResolver
from weijian.plans.services import plan_import_apply, plan_resolver


class Command(BaseCommand):
    help = (
        "从分工方案、实施方案等公文（.txt 或 .docx）或任务分工表（.xlsx）中提取任务、"
        "牵头和配合单位、完成时限及量化目标并导入。--dry-run 只预览不写入；"
        "--json 输出提取结果（含单位匹配）；导入在一个事务中完成。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="文件路径（.txt、.docx 或 .xlsx）")
        parser.add_argument("--title", help="方案标题（不填则取文中标题）")
        parser.add_argument("--year", type=int, help="发文年份（不填则取文中年份）")
        parser.add_argument("--owner", type=int, help="方案的责任单位编号；导入时必填")
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出提取结果")

    def handle(
        self,
        *args: Any,
        path: Path,
        title: str | None,
        year: int | None,
        owner: int | None,
        dry_run: bool,
        json: bool,
        **options: Any,
    ) -> None:
        if owner is None and not dry_run:
            raise CommandError(
                "请用 --owner 指定方案的责任单位编号；只有试运行（--dry-run）可以不指定。"
            )
        organization = self._organization(owner)
        parsed = self._read(path, title=title, year=year)
        parsed["units"] = self._resolve(parsed, organization, dry_run=dry_run)
        if json:
            self.stdout.write(json_dumps(parsed))
        else:
            self._preview(parsed)
        if dry_run:
            if not json:
                self.stdout.write("试运行（--dry-run）：未写入任何数据。")
            return
        assert organization is not None  # noqa: S101 (checked above)
        plan = plan_import_apply(
            parsed=parsed,
            owner=organization,
            actor=None,
            source="manage.py import_plan",
            title=title,
        )
        if not json:
            tasks = Task.objects.filter(plan=plan).count()
            assignments = Assignment.objects.filter(task__plan=plan).count()
            targets = Target.objects.filter(task__plan=plan).count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"已导入方案“{plan.title}”（编号 {plan.pk}）到“{organization.name}”："
                    f"任务 {tasks} 项，分工 {assignments} 条，目标 {targets} 个。"
                )
            )

    def _read(self, path: Path, *, title: str | None, year: int | None) -> dict[str, Any]:
        if not path.is_file():
            raise CommandError(f"文件“{path}”不存在。")
        problem = unsupported(path.suffix)
        if problem is not None:
            raise CommandError(f"{problem}。")
        try:
            return read_plan(path, title=title, year=year).to_json()
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc}") from None

    def _resolve(
        self, parsed: dict[str, Any], organization: Organization | None, *, dry_run: bool
    ) -> list[dict[str, Any]]:
        """The units with what they resolve to. A trial run on a database not yet migrated
        still prints the document's reading, with every unit unresolved."""
        try:
            resolver = plan_resolver(owner=organization, year=parsed["plan"]["year"])
            return [_unit(unit["name"], resolver) for unit in parsed["units"]]
        except DatabaseError:
            if not dry_run:
                raise
            self.stderr.write(
                "提示：数据库尚未初始化（请先运行 python manage.py migrate），"
                "单位未与系统中的单位匹配。"
            )
            return [{**unit, "resolved_to": None} for unit in parsed["units"]]

    def _organization(self, pk: int | None) -> Organization | None:
        if pk is None:
            return None
        try:
            organization = Organization.objects.filter(pk=pk).first()
        except DatabaseError:
            raise CommandError("数据库尚未初始化，请先运行 python manage.py migrate。") from None
        if organization is None:
            raise CommandError(f"编号为 {pk} 的单位不存在。")
        return organization

    def _preview(self, parsed: dict[str, Any]) -> None:
        header = parsed["plan"]
        tasks = list(_walk(parsed["tasks"]))
        self.stdout.write(
            f"方案：{header['title'] or '（无标题）'}　文号：{header['document_number'] or '—'}"
            f"　年份：{header['year'] or '—'}"
        )
        self.stdout.write(
            f"任务 {len(tasks)} 项，单位 {len(parsed['units'])} 个，"
            f"目标 {sum(len(t['targets']) for t in tasks)} 个"
        )
        for unit in parsed["units"]:
            if unit["resolved_to"] is None:
                self.stdout.write(f"提示：单位“{unit['name']}”未能匹配到系统中的单位，将按原文保存")
        for warning in parsed.get("warnings", []):
            self.stderr.write(f"警告：第{warning['line']}行：{warning['message']}")


def _walk(tasks: list[dict[str, Any]]) -> Any:
    for task in tasks:
        yield task
        yield from _walk(task.get("children") or [])


def _unit(name: str, resolver: UnitResolver) -> dict[str, Any]:
    resolution = resolver.resolve(name)
    if resolution is None:
        return {"name": name, "resolved_to": None, "confidence": 0.0}
    organization = resolution.organization
    return {
        "name": name,
        "resolved_to": organization.pk if organization is not None else None,
        "confidence": resolution.confidence,
        "via": resolution.via,
        "members": [o.pk for o in resolution.organizations],
    }


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
