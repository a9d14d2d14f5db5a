"""`manage.py import_profile PATH [--org ID] [--dry-run] [--json]`: read an agency profile, a
leaders' division notice or a committee roster (.txt or .docx) into the registry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weijian.orgs.importers.profile import parse_profile, read_document
from weijian.orgs.importers.profile_apply import ProfilePlan, apply_profile, plan_profile
from weijian.orgs.models import Organization

COUNT_LABELS = {
    "departments": "内设机构",
    "duties": "职责",
    "boundaries": "职责分工",
    "leaders": "领导",
    "new_organizations": "新建单位",
    "committees": "议事协调机构",
    "office_hours": "办公时间",
}


class Command(BaseCommand):
    help = (
        "从机构简介、领导分工通知或议事协调机构名单（.txt 或 .docx）中提取机构信息并导入。"
        "先预览（--dry-run 只预览不写入），导入在一个事务中完成；无法归类的内容列为警告并注明行号。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="文件路径（.txt 或 .docx）")
        parser.add_argument(
            "--org", type=int, help="导入到的单位编号；不填则按文中名称匹配，找不到则新建"
        )
        parser.add_argument("--dry-run", action="store_true", help="只预览，不写入")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出提取结果")

    def handle(
        self, *args: Any, path: Path, org: int | None, dry_run: bool, json: bool, **options: Any
    ) -> None:
        try:
            text = read_document(path)
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc}") from None
        parsed = parse_profile(text).to_json()
        organization = self._organization(org)
        plan = plan_profile(parsed, organization=organization)
        if json:
            self._print_json(parsed, plan)
        else:
            self._preview(parsed, plan)
        if dry_run:
            if not json:
                self.stdout.write("试运行（--dry-run）：未写入任何数据。")
            return
        try:
            result = apply_profile(
                parsed, plan, actor=None, source="manage.py import_profile", filename=path.name
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError("导入失败，未写入任何数据：" + "；".join(messages)) from None
        if not json:
            counts = "，".join(
                f"{COUNT_LABELS.get(key, key)} {value}" for key, value in result.counts.items()
            )
            self.stdout.write(
                self.style.SUCCESS(f"已导入到“{result.organization.name}”：{counts}。")
            )

    def _organization(self, pk: int | None) -> Organization | None:
        if pk is None:
            return None
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None:
            raise CommandError(f"编号为 {pk} 的单位不存在。")
        return organization

    def _print_json(self, parsed: dict[str, Any], plan: ProfilePlan) -> None:
        output = {**parsed, "resolution": {"organization": plan.name, "notes": plan.notes()}}
        self.stdout.write(json_dumps(output))

    def _preview(self, parsed: dict[str, Any], plan: ProfilePlan) -> None:
        target = plan.organization.name if plan.organization else f"{plan.name}（新建）"
        self.stdout.write(f"导入到：{target}")
        administrative = (parsed.get("staffing") or {}).get("administrative") or "—"
        self.stdout.write(
            f"职责 {len(parsed['duties'])} 条，职责分工 {len(parsed['boundaries'])} 项，"
            f"内设机构 {len(parsed['departments'])} 个，行政编制 {administrative}，"
            f"领导 {len(parsed['leaders'])} 人，议事协调机构 {len(parsed['committees'])} 个，"
            f"办公时间 {len(parsed['office_hours'])} 段"
        )
        for leader in parsed["leaders"]:
            supervises = "、".join(leader.get("supervises", [])) or "—"
            self.stdout.write(
                f"  {leader['name']}（{'、'.join(leader.get('titles', []))}）分管：{supervises}"
            )
        for note in plan.notes():
            self.stdout.write(f"提示：{note}")
        for warning in parsed.get("warnings", []):
            self.stderr.write(f"警告：第{warning['line']}行：{warning['message']}")


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
