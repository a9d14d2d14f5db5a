"""The 任务分工表 download of a plan (read access, audited)."""

from __future__ import annotations

import re
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from weijian.accounts.models import User
from weijian.core import audit
from weijian.core.xlsx import XLSX_CONTENT_TYPE, content_disposition
from weijian.plans import selectors
from weijian.plans.exports import plan_workbook
from weijian.plans.views import read_view

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def export_filename(title: str) -> str:
    """萍乡市…实施方案-任务分工表-202401311530.xlsx (characters a file name cannot hold → _)."""
    stem = _UNSAFE.sub("_", title).strip("_.")[:80] or "方案"
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return f"{stem}-任务分工表-{stamp}.xlsx"


@read_view
@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    data = plan_workbook(plan)
    audit.record(
        action="data.export",
        actor=cast(User, request.user),
        obj=plan,
        organization=plan.owner,
        summary={"what": f"任务分工表：{plan.title}", "format": "xlsx", "bytes": len(data)},
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(export_filename(plan.title))
    return response
