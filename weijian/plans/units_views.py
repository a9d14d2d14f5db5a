"""The unit name pages: aliases of organizations (市卫计委 → 市卫健委, with validity dates) and
collective units (各县（区）卫生健康委 → its members), which plan imports resolve names with.

The plans module's readers see the lists of their subtree; 科室人员 keep them through the
services of `units_services`, which check the organizations again. Deletes are POSTs; their
GET shows what will go."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from weijian.accounts.access import PLAN_EDITORS
from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core import audit
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.orgs.registry_views.common import actor, remove, submit
from weijian.plans import units_selectors, units_services
from weijian.plans.models import CollectiveUnit, OrganizationAlias
from weijian.plans.units_forms import AliasForm, CollectiveForm
from weijian.plans.views import read_view

edit_view = role_required(*PLAN_EDITORS)

FORM_TEMPLATE = "plans/units_form.html"
CONFIRM_TEMPLATE = "plans/units_confirm_delete.html"


def _list_url(name: str) -> str:
    return reverse(f"plans:{name}")


def _form_page(request: HttpRequest, form: object, *, title: str, back: str) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"form": form, "title": title, "back_url": back})


def _confirm_or_delete(
    request: HttpRequest,
    delete: Callable[[], None],
    *,
    title: str,
    items: list[str],
    done: str,
    back: str,
) -> HttpResponse:
    """GET: what the delete takes with it. POST: delete, say so, return to the list."""
    if request.method != "POST":
        return render(request, CONFIRM_TEMPLATE, {"title": title, "items": items, "back_url": back})
    return remove(request, delete, done=done, to=back)


# --- aliases ----------------------------------------------------------------------------------


def _period(valid_from: datetime.date | None, valid_to: datetime.date | None) -> str:
    start = valid_from.isoformat() if valid_from else "不限"
    end = valid_to.isoformat() if valid_to else "至今"
    return f"{start} 至 {end}"


def alias_state(alias: OrganizationAlias, today: datetime.date) -> str:
    """有效 today, 已停用 after its end, 未启用 before its start."""
    if alias.valid_to is not None and alias.valid_to < today:
        return "已停用"
    if alias.valid_from is not None and today < alias.valid_from:
        return "未启用"
    return "有效"


@read_view
def alias_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    aliases = units_selectors.alias_list(user=request.user, query=query)
    context = paginate(request, aliases)
    today = timezone.localdate()
    context["rows"] = [(alias, alias_state(alias, today)) for alias in context["page"]]
    context.update(q=query, may_edit=has_role(request.user, *PLAN_EDITORS))
    return render(request, "plans/units_alias_list.html", context)


ALIAS_HEADER = ["单位", "别名", "启用日期", "停用日期", "当前状态"]


def _alias_rows(aliases: Any, today: datetime.date) -> Iterator[list[Any]]:
    for alias in aliases:
        yield [
            alias.organization.name,
            alias.name,
            alias.valid_from,
            alias.valid_to,
            alias_state(alias, today),
        ]


@read_view
@require_GET
def alias_export(request: HttpRequest) -> HttpResponse:
    """The alias list (as searched, every page) as an Excel workbook; audited."""
    query = request.GET.get("q", "").strip()
    aliases = list(units_selectors.alias_list(user=request.user, query=query))
    rows = list(_alias_rows(aliases, timezone.localdate()))
    audit.record(
        action="data.export",
        actor=actor(request),
        summary={"what": "单位别名", "format": "xlsx", "query": query, "rows": len(rows)},
    )
    return xlsx_response(stem="单位别名", sheets=[Sheet("单位别名", ALIAS_HEADER, rows)])


@edit_view
def alias_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = AliasForm(request.POST or None, user=user, initial={"organization": user.organization})
    back = _list_url("alias_list")
    response = submit(
        request,
        form,
        lambda data: units_services.alias_create(actor=user, **data),
        done="已新增单位别名。",
        to=back,
    )
    return response or _form_page(request, form, title="新增单位别名", back=back)


@edit_view
def alias_edit(request: HttpRequest, pk: int) -> HttpResponse:
    alias = units_selectors.alias_get(user=request.user, pk=pk)
    user = actor(request)
    form = AliasForm(
        request.POST or None, user=user, alias=alias, initial=AliasForm.initial_for(alias)
    )
    back = _list_url("alias_list")
    response = submit(
        request,
        form,
        lambda data: units_services.alias_update(actor=user, alias=alias, **data),
        done="已保存单位别名。",
        to=back,
    )
    title = f"修改单位别名 · {alias.name}"
    return response or _form_page(request, form, title=title, back=back)


@edit_view
def alias_delete(request: HttpRequest, pk: int) -> HttpResponse:
    alias = units_selectors.alias_get(user=request.user, pk=pk)
    described = f"“{alias.organization.name}”的别名“{alias.name}”"
    return _confirm_or_delete(
        request,
        lambda: units_services.alias_delete(actor=actor(request), alias=alias),
        title=f"删除{described}",
        items=[f"{described}（有效期 {_period(alias.valid_from, alias.valid_to)}）"],
        done=f"已删除{described}。",
        back=_list_url("alias_list"),
    )


# --- collective units -------------------------------------------------------------------------


@read_view
def collective_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    collectives = units_selectors.collective_list(user=request.user, query=query)
    context = paginate(request, collectives)
    context["rows"] = [
        (c, c.member_count - len(c.visible_members))  # type: ignore[attr-defined]
        for c in context["page"]
    ]
    context.update(q=query, may_edit=has_role(request.user, *PLAN_EDITORS))
    return render(request, "plans/units_collective_list.html", context)


@edit_view
def collective_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = CollectiveForm(request.POST or None, user=user)
    back = _list_url("collective_list")
    response = submit(
        request,
        form,
        lambda data: units_services.collective_create(actor=user, **data),
        done="已新增泛指单位。",
        to=back,
    )
    return response or _form_page(request, form, title="新增泛指单位", back=back)


def _editable(request: HttpRequest, pk: int) -> CollectiveUnit:
    """A collective of the user's subtree that he may change: every member his (403 when one
    lies outside it, audited)."""
    collective = units_selectors.collective_get(user=request.user, pk=pk)
    units_services.require_collective_editor(actor=actor(request), collective=collective)
    return collective


@edit_view
def collective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    user = actor(request)
    form = CollectiveForm(
        request.POST or None,
        user=user,
        collective=collective,
        initial=CollectiveForm.initial_for(collective),
    )
    back = _list_url("collective_list")
    response = submit(
        request,
        form,
        lambda data: units_services.collective_update(actor=user, collective=collective, **data),
        done="已保存泛指单位。",
        to=back,
    )
    title = f"修改泛指单位 · {collective.name}"
    return response or _form_page(request, form, title=title, back=back)


@edit_view
def collective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    collective = _editable(request, pk)
    members = "、".join(m.name for m in collective.visible_members)  # type: ignore[attr-defined]
    return _confirm_or_delete(
        request,
        lambda: units_services.collective_delete(actor=actor(request), collective=collective),
        title=f"删除泛指单位“{collective.name}”",
        items=[f"泛指单位“{collective.name}”及其包含单位的对应关系：{members}"],
        done=f"已删除泛指单位“{collective.name}”。",
        back=_list_url("collective_list"),
    )
