"""The inspection item list (抽查事项清单) pages: the items a user sees (his unit's, those above
and below it), one item with its checklist, and the forms that keep them.

Changing an item is for the 科室人员 of its owning unit or above (the services check it; a
refusal is a 403 with its Chinese reason); units below read and apply it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.accounts.roles import has_role
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet
from weijian.supervision import selectors_pools as selectors
from weijian.supervision.access import EDITORS
from weijian.supervision.forms_items import CheckPointForm, ItemFilterForm, ItemForm
from weijian.supervision.models import CheckPoint, InspectionItem
from weijian.supervision.services import items as service
from weijian.supervision.views.pools import (
    actor,
    attempt,
    export,
    read_view,
    submit,
    write_view,
)

Row = list[Any]


def item_url(item: InspectionItem | int, section: str = "") -> str:
    pk = item if isinstance(item, int) else item.pk
    url = reverse("supervision:item_detail", args=[pk])
    return f"{url}#{section}" if section else url


def may_edit(request: HttpRequest, item: InspectionItem) -> bool:
    """科室人员 of the owning unit or of one above it."""
    user = request.user
    return has_role(user, *EDITORS) and item.owner.is_within(user.organization)  # type: ignore[union-attr]


def _page(request: HttpRequest, form: Any, *, title: str, back: str) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back}
    return render(request, "supervision/items/form.html", context)


# --- the list and its export ------------------------------------------------------------------


def _rows(request: HttpRequest) -> tuple[ItemFilterForm, Any]:
    form = ItemFilterForm(request.GET or None)
    return form, selectors.items(user=request.user, **form.filters())


@read_view
def item_list(request: HttpRequest) -> HttpResponse:
    form, rows = _rows(request)
    context = paginate(request, rows)
    context.update(filter_form=form, can_create=has_role(request.user, *EDITORS))
    return render(request, "supervision/items/item_list.html", context)


ITEM_HEADER = [
    "事项编号",
    "事项名称",
    "子项",
    "抽查依据",
    "抽查主体",
    "抽查对象",
    "抽查比例",
    "抽查频次",
    "抽查方式",
    "检查人员要求",
    "制定单位",
    "状态",
]


def _item_rows(items: list[InspectionItem]) -> Iterator[Row]:
    for item in items:
        yield [
            item.code,
            item.name,
            item.sub_item,
            item.basis,
            item.subject,
            item.object_scope,
            item.ratio,
            item.frequency,
            item.method,
            item.inspector_requirements,
            item.owner.name,
            "启用" if item.is_active else "停用",
        ]


def _point_rows(points: Any) -> Iterator[Row]:
    for point in points:
        yield [point.item.code, str(point.item), point.order, point.content, point.basis]


@read_view
def item_export(request: HttpRequest) -> HttpResponse:
    _, rows = _rows(request)
    items = list(rows)
    sheets = [
        Sheet("抽查事项", ITEM_HEADER, _item_rows(items)),
        Sheet(
            "检查要点",
            ["事项编号", "抽查事项", "序号", "检查内容", "法律依据"],
            _point_rows(selectors.checkpoints_of(items)),
        ),
    ]
    return export(request, what="抽查事项清单", stem="抽查事项清单", sheets=sheets)


# --- one item ---------------------------------------------------------------------------------


def _detail(request: HttpRequest, item: InspectionItem, point_form: Any = None) -> HttpResponse:
    editable = may_edit(request, item)
    context = {
        "item": item,
        "checkpoints": list(selectors.item_checkpoints(item=item)),
        "can_edit": editable,
        "point_form": point_form or (CheckPointForm() if editable else None),
        "plans": item.plans.count(),
    }
    return render(request, "supervision/items/item_detail.html", context)


@read_view
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.item_get(user=request.user, pk=pk))


@write_view
def item_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = ItemForm(request.POST or None, user=user, initial={"owner": user.organization_id})
    response = submit(
        request,
        form,
        lambda data: service.item_create(actor=user, **data),
        done="已新增抽查事项，请继续录入检查要点。",
        to=item_url,
    )
    back = reverse("supervision:item_list")
    return response or _page(request, form, title="新增抽查事项", back=back)


@write_view
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = ItemForm(
        request.POST or None, user=actor(request), item=item, initial=ItemForm.initial_for(item)
    )
    response = submit(
        request,
        form,
        lambda data: service.item_update(actor=actor(request), item=item, **data),
        done="已保存抽查事项。",
        to=item_url(item),
    )
    return response or _page(request, form, title=f"修改抽查事项 · {item}", back=item_url(item))


@require_POST
@write_view
def item_active(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    attempt(
        request,
        lambda: service.item_set_active(actor=actor(request), item=item, active=active),
        done="已启用该抽查事项。" if active else "已停用该抽查事项，新的抽查计划不能再选用。",
    )
    return redirect(item_url(item))


@write_view
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting means. POST: delete an item no plan uses."""
    item = selectors.item_get(user=request.user, pk=pk)
    if request.method != "POST":
        context = {"item": item, "plans": item.plans.count(), "points": item.checkpoints.count()}
        return render(request, "supervision/items/item_confirm_delete.html", context)
    name = str(item)
    done = attempt(
        request,
        lambda: service.item_delete(actor=actor(request), item=item),
        done=f"已删除抽查事项“{name}”。",
    )
    return redirect("supervision:item_list" if done else item_url(item))


# --- check points -----------------------------------------------------------------------------


@require_POST
@write_view
def checkpoint_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = CheckPointForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: service.checkpoint_add(actor=actor(request), item=item, **data),
        done="已新增检查要点。",
        to=item_url(item, "checklist"),
    )
    return response or _detail(request, item, point_form=form)


@write_view
def checkpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point: CheckPoint = selectors.checkpoint_get(user=request.user, pk=pk)
    form = CheckPointForm(request.POST or None, initial=CheckPointForm.initial_for(point))
    back = item_url(point.item_id, "checklist")
    response = submit(
        request,
        form,
        lambda data: service.checkpoint_update(actor=actor(request), checkpoint=point, **data),
        done="已保存检查要点。",
        to=back,
    )
    title = f"修改检查要点 · {point.item}"
    return response or _page(request, form, title=title, back=back)


@require_POST
@write_view
def checkpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.checkpoint_get(user=request.user, pk=pk)
    item_id = point.item_id
    attempt(
        request,
        lambda: service.checkpoint_delete(actor=actor(request), checkpoint=point),
        done="已删除检查要点。",
    )
    return redirect(item_url(item_id, "checklist"))


@require_POST
@write_view
def checkpoint_move(request: HttpRequest, pk: int) -> HttpResponse:
    point = selectors.checkpoint_get(user=request.user, pk=pk)
    direction = request.POST.get("direction", "")
    attempt(
        request,
        lambda: service.checkpoint_move(
            actor=actor(request), checkpoint=point, direction=direction
        ),
        done="已调整检查要点顺序。",
    )
    return redirect(item_url(point.item_id, "checklist"))
