"""Double-random draws from the command line: a saved plan, or a trial over a region.

    draw --plan ID [--seed N] [--dry-run] [--json] [--user NAME --witness TEXT]
    draw --region CODE --ratio R --group-size G [--exclude-months M] [--seed N] --dry-run --json

A stored draw (a plan without --dry-run) goes through the service as --user, who must be 科室人员
of the plan's owner or above, with --witness. An infeasible draw exits 0: the JSON lists the
uncovered institutions and a Chinese note goes to stderr (see docs/adr/0010).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weijian.accounts.models import User
from weijian.orgs.models import Region
from weijian.supervision import snapshot
from weijian.supervision.draw import DrawResult, Rules
from weijian.supervision.models import SamplingPlan
from weijian.supervision.services import sampling


class Command(BaseCommand):
    help = "双随机抽取：按已保存的抽查计划抽取，或按行政区划试抽（试抽只能 --dry-run）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, help="抽查计划编号")
        parser.add_argument("--region", help="试抽：行政区划代码，如 360300")
        parser.add_argument("--ratio", type=float, help="试抽：抽取比例，如 0.05")
        parser.add_argument("--count", type=int, help="试抽：抽取数量（与 --ratio 二选一）")
        parser.add_argument("--group-size", type=int, default=2, help="试抽：每组执法人员数")
        parser.add_argument(
            "--exclude-months", type=int, default=0, help="试抽：排除近N个月已检查的机构"
        )
        parser.add_argument("--unweighted", action="store_true", help="试抽：不按风险等级加权")
        parser.add_argument("--seed", type=int, help="随机种子（默认随机生成）")
        parser.add_argument("--as-of", help="名录快照日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只显示结果，不保存")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--user", help="正式抽取的操作人用户名（科室人员）")
        parser.add_argument("--witness", default="", help="正式抽取的见证人")

    def handle(self, *args: Any, **options: Any) -> None:
        if (options["plan"] is None) == (options["region"] is None):
            raise CommandError("请指定 --plan（按计划抽取）或 --region（试抽）其中一项。")
        seed = options["seed"]
        if seed is not None and not 0 <= seed < sampling.SEED_LIMIT:
            raise CommandError(f"随机种子须为0至{sampling.SEED_LIMIT - 1}之间的整数。")
        as_of = _day(options["as_of"])
        if options["plan"] is not None:
            result, extra = self._plan(options, seed, as_of)
        else:
            result, extra = self._trial(options, seed, as_of)
        self._print(result, extra, as_json=options["json"])

    def _plan(
        self, options: dict[str, Any], seed: int | None, as_of: datetime.date | None
    ) -> tuple[DrawResult, dict[str, Any]]:
        plan = SamplingPlan.objects.select_related("owner").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"抽查计划不存在：{options['plan']}")
        extra: dict[str, Any] = {"plan": plan.pk, "stored": False}
        try:
            if options["dry_run"]:
                return sampling.preview_draw(plan, seed=seed, as_of=as_of).result, extra
            outcome = sampling.draw_plan(
                plan=plan,
                actor=_user(options["user"]),
                witness=options["witness"],
                seed=seed,
                as_of=as_of,
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(_message(error)) from None
        if outcome.draw is not None:
            extra.update(
                stored=True, draw=outcome.draw.number, snapshot_digest=outcome.draw.snapshot_digest
            )
        return outcome.result, extra

    def _trial(
        self, options: dict[str, Any], seed: int | None, as_of: datetime.date | None
    ) -> tuple[DrawResult, dict[str, Any]]:
        if not options["dry_run"]:
            raise CommandError("试抽（未指定 --plan）不保存结果，必须加 --dry-run。")
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"未知的行政区划代码：{options['region']}")
        if options["exclude_months"] < 0:
            raise CommandError("--exclude-months 不能为负数。")
        rules = _rules(options)
        scope = snapshot.trial_scope(
            region,
            as_of=as_of or _today(),
            exclude_months=options["exclude_months"],
            weighted=rules.weighted,
        )
        pool = snapshot.build_pool(scope)
        chosen = seed if seed is not None else sampling.fresh_seed()
        return snapshot.run(pool, rules, chosen), {"region": region.code, "stored": False}

    def _print(self, result: DrawResult, extra: dict[str, Any], *, as_json: bool) -> None:
        if result.uncovered:
            self.stderr.write(
                f"无法满足回避和每组人数要求：{len(result.uncovered)} 家机构无法配齐执法人员，"
                "本次未抽取任何机构（详见 uncovered）。"
            )
        if as_json:
            self.stdout.write(json.dumps({**result.to_json(), **extra}, ensure_ascii=False))
            return
        self.stdout.write(
            f"随机种子 {result.seed}；机构名录 {result.pool_size} 家，执法人员 "
            f"{result.inspector_pool_size} 名；抽中 {len(result.selected)} 家，回避 "
            f"{result.conflicts_avoided} 人次。"
        )
        for row in result.selected:
            self.stdout.write(
                f"  {row.institution.key} {row.institution.name}：" + "、".join(row.inspectors)
            )
        for missing in result.uncovered:
            self.stdout.write(f"  无法覆盖 {missing.institution}：{missing.reason}")
        if extra.get("stored"):
            self.stdout.write(f"已保存为第{extra['draw']}次抽取。")


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _day(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from None


def _rules(options: dict[str, Any]) -> Rules:
    ratio, count = options["ratio"], options["count"]
    if (ratio is None) == (count is None):
        raise CommandError("试抽须指定 --ratio 或 --count 其中一项。")
    if ratio is not None and not 0 < ratio <= 1:
        raise CommandError(f"抽取比例须大于0且不超过1（如 0.05 即5%），现为 {ratio}。")
    if count is not None and count < 1:
        raise CommandError(f"抽取数量至少为1，现为 {count}。")
    if options["group_size"] < 2:
        raise CommandError(f"每组执法人员不得少于2名，现为 {options['group_size']}。")
    return Rules(
        count=count,
        ratio=ratio,
        group_size=options["group_size"],
        weighted=not options["unweighted"],
        avoid_previous_round=False,
    )


def _user(username: str | None) -> User:
    if not username:
        raise CommandError("正式抽取须用 --user 指定操作人（科室人员），试抽请加 --dry-run。")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户不存在或已停用：{username}")
    return user


def _message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error) or "无权进行此操作。"
    return "；".join(error.messages)
