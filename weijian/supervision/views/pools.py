"""The inspector pool (执法人员名录库) and the expert pool (专家库) pages.

Every reader of the module sees the inspectors of his subtree; the expert pool is for 科室人员
and 领导. Writes are for 科室人员, checked again by the services (a refusal is a 403 with its
Chinese reason and an audit event); a broken rule is said on the form or in a message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.accounts.roles import Role, has_role
from weijian.core import audit
from weijian.core.masking import mask_phone
from weijian.core.pagination import paginate
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.orgs.registry_views.common import add_service_error
from weijian.supervision import selectors_pools as selectors
from weijian.supervision.access import EDITORS, READERS
from weijian.supervision.forms_pools import (
    EmploymentForm,
    ExpertFilterForm,
    ExpertForm,
    InspectorFilterForm,
    InspectorForm,
    LinkUserForm,
    RelativeForm,
    StatusForm,
)
from weijian.supervision.models import Expert, Inspector
from weijian.supervision.services import pools as service

read_view = role_required(*READERS)
write_view = role_required(*EDITORS)
EXPERT_READERS = (Role.STAFF, Role.LEADER)
expert_view = role_required(*EXPERT_READERS)
Row = list[Any]


# --- shared steps -----------------------------------------------------------------------------


def actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def can_edit(request: HttpRequest) -> bool:
    return has_role(request.user, *EDITORS)


def submit(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[dict[str, Any]], Any],
    *,
    done: str,
    to: str | Callable[[Any], str],
) -> HttpResponse | None:
    """On a POST of a valid form run the service: on success say `done` and redirect; a broken
    rule goes on the form (None: the view shows it again). A refusal is a 403."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        add_service_error(form, error)
        return None
    messages.success(request, done)
    return redirect(to(result) if callable(to) else to)


def attempt(request: HttpRequest, action: Callable[[], Any], *, done: str) -> bool:
    """Run a service; a broken rule becomes an error message. True when it succeeded."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return False
    messages.success(request, done)
    return True


def form_page(
    request: HttpRequest, form: BaseForm, *, title: str, back: str, tab: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back, "tab": tab, **extra}
    return render(request, "supervision/pools/form.html", context)


def query_summary(request: HttpRequest) -> dict[str, str]:
    return {key: str(value) for key, value in request.GET.items() if value and key != "page"}


def export(request: HttpRequest, *, what: str, stem: str, sheets: list[Sheet]) -> HttpResponse:
    response = xlsx_response(stem=stem, sheets=sheets)
    audit.record(
        action="data.export",
        actor=actor(request),
        summary={"what": what, "format": "xlsx", "filters": query_summary(request)},
    )
    return response


def inspector_url(inspector: Inspector | int, section: str = "") -> str:
    pk = inspector if isinstance(inspector, int) else inspector.pk
    url = reverse("supervision:inspector_detail", args=[pk])
    return f"{url}#{section}" if section else url


# --- inspector list and export ----------------------------------------------------------------


def _inspector_rows(request: HttpRequest) -> tuple[InspectorFilterForm, Any]:
    form = InspectorFilterForm(request.GET or None, user=actor(request))
    return form, selectors.inspectors(user=request.user, filters=form.to_filter())


@read_view
def inspector_list(request: HttpRequest) -> HttpResponse:
    form, rows = _inspector_rows(request)
    context = paginate(request, rows)
    today = timezone.localdate()
    context["rows"] = [
        (inspector, selectors.certificate_state(inspector, today=today))
        for inspector in context["page"]
    ]
    context.update(filter_form=form, can_edit=can_edit(request))
    return render(request, "supervision/pools/inspector_list.html", context)


INSPECTOR_HEADER = [
    "姓名",
    "所在单位",
    "执法证号",
    "有效期起",
    "有效期至",
    "证件状态",
    "专业领域",
    "负责区域",
    "状态",
    "登录账户",
]


def _inspector_export_rows(rows: Any) -> Iterator[Row]:
    today = timezone.localdate()
    for inspector in rows:
        yield [
            inspector.name,
            inspector.organization.name,
            inspector.certificate_number,
            inspector.certificate_valid_from,
            inspector.certificate_valid_until,
            selectors.certificate_state(inspector, today=today).label,
            "、".join(inspector.specialties),
            "、".join(region.name for region in inspector.regions.all()),
            inspector.get_status_display(),
            inspector.user.username if inspector.user else "",
        ]


@read_view
def inspector_export(request: HttpRequest) -> HttpResponse:
    _, rows = _inspector_rows(request)
    sheet = Sheet("执法人员名录", INSPECTOR_HEADER, _inspector_export_rows(rows))
    return export(request, what="执法人员名录", stem="执法人员名录", sheets=[sheet])


# --- one inspector ----------------------------------------------------------------------------


def _detail(request: HttpRequest, inspector: Inspector, **forms: Any) -> HttpResponse:
    user = actor(request)
    editable = can_edit(request)
    context: dict[str, Any] = {
        "inspector": inspector,
        "certificate": selectors.certificate_state(inspector, today=timezone.localdate()),
        "regions": inspector.regions.all(),
        "employments": inspector.employments.select_related("institution"),
        "relatives": inspector.relatives.select_related("institution"),
        "inspections": selectors.inspector_inspections(user=user, inspector=inspector),
        "can_edit": editable,
        "can_delete": editable and not service.was_drawn(inspector),
        "tab": "inspectors",
    }
    if editable:
        context["status_form"] = StatusForm(initial={"status": inspector.status})
        context["link_form"] = forms.get("link_form") or LinkUserForm(
            user=user, inspector=inspector
        )
        context["employment_form"] = forms.get("employment_form") or EmploymentForm(user=user)
        context["relative_form"] = forms.get("relative_form") or RelativeForm(user=user)
    return render(request, "supervision/pools/inspector_detail.html", context)


@read_view
def inspector_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.inspector_get(user=request.user, pk=pk))


@write_view
def inspector_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = InspectorForm(
        request.POST or None, user=user, initial={"organization": user.organization_id}
    )
    response = submit(
        request,
        form,
        lambda data: service.inspector_create(actor=actor(request), **data),
        done="已将该执法人员录入名录库。",
        to=inspector_url,
    )
    back = reverse("supervision:inspector_list")
    return response or form_page(request, form, title="录入执法人员", back=back, tab="inspectors")


@write_view
def inspector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    form = InspectorForm(
        request.POST or None, user=actor(request), initial=InspectorForm.initial_for(inspector)
    )
    response = submit(
        request,
        form,
        lambda data: service.inspector_update(actor=actor(request), inspector=inspector, **data),
        done="已保存执法人员信息。",
        to=inspector_url(inspector),
    )
    title = f"修改执法人员 · {inspector.name}"
    back = inspector_url(inspector)
    return response or form_page(request, form, title=title, back=back, tab="inspectors")


@require_POST
@write_view
def inspector_status(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择有效的状态。")
        return redirect(inspector_url(inspector))
    attempt(
        request,
        lambda: service.inspector_set_status(
            actor=actor(request), inspector=inspector, status=form.cleaned_data["status"]
        ),
        done="已变更执法人员状态。",
    )
    return redirect(inspector_url(inspector))


@write_view
def inspector_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what deleting means. POST: delete an inspector who was never drawn."""
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    if request.method != "POST":
        context = {"inspector": inspector, "drawn": service.was_drawn(inspector)}
        return render(request, "supervision/pools/inspector_confirm_delete.html", context)
    name = inspector.name
    done = attempt(
        request,
        lambda: service.inspector_delete(actor=actor(request), inspector=inspector),
        done=f"已删除执法人员{name}。",
    )
    return redirect("supervision:inspector_list" if done else inspector_url(inspector))


# --- the login account, employment history, relatives -----------------------------------------


@require_POST
@write_view
def inspector_link_user(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    form = LinkUserForm(request.POST, user=actor(request), inspector=inspector)
    response = submit(
        request,
        form,
        lambda data: service.inspector_link_user(
            actor=actor(request), inspector=inspector, user=data["user"]
        ),
        done="已关联登录账户。",
        to=inspector_url(inspector, "account"),
    )
    return response or _detail(request, inspector, link_form=form)


@require_POST
@write_view
def inspector_unlink_user(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    attempt(
        request,
        lambda: service.inspector_unlink_user(actor=actor(request), inspector=inspector),
        done="已解除登录账户关联。",
    )
    return redirect(inspector_url(inspector, "account"))


@require_POST
@write_view
def employment_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    form = EmploymentForm(request.POST, user=actor(request))
    response = submit(
        request,
        form,
        lambda data: service.employment_add(actor=actor(request), inspector=inspector, **data),
        done="已登记工作经历。",
        to=inspector_url(inspector, "employments"),
    )
    return response or _detail(request, inspector, employment_form=form)


@require_POST
@write_view
def employment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    employment = selectors.employment_get(user=request.user, pk=pk)
    inspector_id = employment.inspector_id
    attempt(
        request,
        lambda: service.employment_remove(actor=actor(request), employment=employment),
        done="已删除该工作经历。",
    )
    return redirect(inspector_url(inspector_id, "employments"))


@require_POST
@write_view
def relative_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = selectors.inspector_get(user=request.user, pk=pk)
    form = RelativeForm(request.POST, user=actor(request))
    response = submit(
        request,
        form,
        lambda data: service.relative_add(actor=actor(request), inspector=inspector, **data),
        done="已登记亲属回避申报。",
        to=inspector_url(inspector, "relatives"),
    )
    return response or _detail(request, inspector, relative_form=form)


@require_POST
@write_view
def relative_remove(request: HttpRequest, pk: int) -> HttpResponse:
    relative = selectors.relative_get(user=request.user, pk=pk)
    inspector_id = relative.inspector_id
    attempt(
        request,
        lambda: service.relative_remove(actor=actor(request), relative=relative),
        done="已删除该亲属回避申报。",
    )
    return redirect(inspector_url(inspector_id, "relatives"))


@require_GET
@write_view
def institution_options(request: HttpRequest) -> HttpResponse:
    """The institutions matching what was typed, as <option>s of a datalist (htmx)."""
    text = request.GET.get("institution", "")
    rows = selectors.institutions_matching(user=request.user, text=text)
    return render(request, "supervision/pools/_institution_options.html", {"rows": rows})


# --- experts ----------------------------------------------------------------------------------


def expert_url(expert: Expert | int) -> str:
    pk = expert if isinstance(expert, int) else expert.pk
    return reverse("supervision:expert_edit", args=[pk])


def _expert_rows(request: HttpRequest) -> tuple[ExpertFilterForm, Any]:
    form = ExpertFilterForm(request.GET or None)
    return form, selectors.experts(user=request.user, **form.filters())


@expert_view
def expert_list(request: HttpRequest) -> HttpResponse:
    form, rows = _expert_rows(request)
    context = paginate(request, rows)
    context.update(filter_form=form, can_edit=can_edit(request))
    return render(request, "supervision/pools/expert_list.html", context)


def _expert_export_rows(rows: Any) -> Iterator[Row]:
    for expert in rows:
        yield [
            expert.name,
            expert.workplace,
            expert.title,
            "、".join(expert.specialties),
            mask_phone(expert.phone),
            expert.owner.name,
            expert.get_status_display(),
        ]


@expert_view
def expert_export(request: HttpRequest) -> HttpResponse:
    _, rows = _expert_rows(request)
    header = ["姓名", "工作单位", "职称", "专业领域", "联系电话", "管理单位", "状态"]
    sheet = Sheet("专家库", header, _expert_export_rows(rows))
    return export(request, what="专家库", stem="专家库", sheets=[sheet])


@write_view
def expert_create(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    form = ExpertForm(request.POST or None, user=user, initial={"owner": user.organization_id})
    response = submit(
        request,
        form,
        lambda data: service.expert_create(actor=actor(request), **data),
        done="已将该专家录入专家库。",
        to=reverse("supervision:expert_list"),
    )
    back = reverse("supervision:expert_list")
    return response or form_page(request, form, title="录入专家", back=back, tab="experts")


@write_view
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.expert_get(user=request.user, pk=pk)
    form = ExpertForm(
        request.POST or None,
        user=actor(request),
        expert=expert,
        initial=ExpertForm.initial_for(expert),
    )
    response = submit(
        request,
        form,
        lambda data: service.expert_update(actor=actor(request), expert=expert, **data),
        done="已保存专家信息。",
        to=expert_url(expert),
    )
    back = reverse("supervision:expert_list")
    extra = {"expert": expert, "status_form": StatusForm(initial={"status": expert.status})}
    title = f"修改专家 · {expert.name}"
    return response or form_page(request, form, title=title, back=back, tab="experts", **extra)


@require_POST
@write_view
def expert_status(request: HttpRequest, pk: int) -> HttpResponse:
    expert = selectors.expert_get(user=request.user, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        status = form.cleaned_data["status"]
        attempt(
            request,
            lambda: service.expert_set_status(actor=actor(request), expert=expert, status=status),
            done="已变更专家状态。",
        )
    else:
        messages.error(request, "请选择有效的状态。")
    return redirect(expert_url(expert))


@require_POST
@write_view
def expert_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone number in clear, as an htmx fragment; the reveal is audited."""
    expert = selectors.expert_get(user=request.user, pk=pk)
    phone = service.expert_phone_reveal(actor=actor(request), expert=expert)
    return render(request, "accounts/_revealed.html", {"value": phone, "subject": expert})
