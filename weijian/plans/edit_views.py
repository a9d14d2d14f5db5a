"""The plan edit pages: the plan's header, its tasks, the units that carry them, their targets,
and the matching of unit names no organization was found for.

Only plan editors (科室人员) reach them; every read is scoped to the user's tree (a plan of
another tree is a 404) and every write goes through a service of `editing`, which checks the
owner again. Deletes are POSTs; their GET shows what will go. Each page returns to the plan,
at the task."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.accounts.access import PLAN_EDITORS
from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core.scoping import get_in_scope_or_404
from weijian.orgs.registry_views.common import actor, submit
from weijian.plans import editing, selectors, units_services
from weijian.plans.edit_forms import (
    AssignmentForm,
    LinkNameForm,
    PlanForm,
    TargetForm,
    TaskForm,
)
from weijian.plans.models import Assignment, Plan, Target, Task
from weijian.plans.preview import candidates
from weijian.plans.resolve import tree_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User
    from weijian.orgs.models import Organization

FORM_TEMPLATE = "plans/edit_form.html"
CONFIRM_TEMPLATE = "plans/confirm_delete.html"

edit_view = role_required(*PLAN_EDITORS)


def may_edit(user: User | AnonymousUser, plan: Plan) -> bool:
    """Whether the plan page offers its edit links to this user."""
    return has_role(user, *PLAN_EDITORS) and plan.owner.is_within(
        user.organization  # type: ignore[union-attr]
    )


@dataclass(frozen=True)
class PlanEditing:
    """What the plan page adds for an editor: the names to match, each with the organizations
    it most likely means ([pk, name, likeness], see `preview.candidates`)."""

    unmatched: list[tuple[selectors.UnmatchedName, list[list[Any]]]]


def plan_editing(*, user: User | AnonymousUser, plan: Plan) -> PlanEditing | None:
    if not may_edit(user, plan):
        return None
    names = selectors.unmatched_names(plan=plan)
    organizations = tree_of(plan.owner) if names else []
    return PlanEditing([(n, candidates(n.raw_name, organizations)) for n in names])


# --- fetching and returning -------------------------------------------------------------------


def _task(request: HttpRequest, pk: int) -> Task:
    tasks = Task.objects.select_related("plan__owner", "parent")
    return get_in_scope_or_404(tasks, request.user, via="plan__owner", pk=pk)


def _assignment(request: HttpRequest, pk: int) -> Assignment:
    assignments = Assignment.objects.select_related("task__plan__owner", "organization")
    return get_in_scope_or_404(assignments, request.user, via="task__plan__owner", pk=pk)


def _target(request: HttpRequest, pk: int) -> Target:
    targets = Target.objects.select_related("task__plan__owner", "indicator")
    return get_in_scope_or_404(targets, request.user, via="task__plan__owner", pk=pk)


def plan_url(plan: Plan | int, task: Task | int | None = None) -> str:
    """The plan page, at the task when one is named."""
    url = reverse("plans:plan_detail", args=[plan if isinstance(plan, int) else plan.pk])
    if task is None:
        return url
    return f"{url}#task-{task if isinstance(task, int) else task.pk}"


def _form_page(
    request: HttpRequest, form: object, *, title: str, back: str, **extra: object
) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back, **extra}
    return render(request, FORM_TEMPLATE, context)


def _confirm_or_delete(
    request: HttpRequest,
    delete: Callable[[], str],
    *,
    title: str,
    items: list[str],
    back: str,
    to: str,
) -> HttpResponse:
    """GET: what the delete takes with it. POST: delete, say so, return to `to`."""
    if request.method != "POST":
        context = {"title": title, "items": items, "back_url": back}
        return render(request, CONFIRM_TEMPLATE, context)
    try:
        done = delete()
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, done)
    return redirect(to)


# --- the plan ---------------------------------------------------------------------------------


@edit_view
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = PlanForm(request.POST or None, initial=PlanForm.initial_for(plan))
    response = submit(
        request,
        form,
        lambda data: editing.plan_update(actor=actor(request), plan=plan, **data),
        done="已保存方案信息。",
        to=plan_url(plan),
    )
    return response or _form_page(request, form, title="修改方案", back=plan_url(plan))


@require_POST
@edit_view
def assignment_link_name(request: HttpRequest, pk: int) -> HttpResponse:
    """Link every unmatched occurrence of a name in the plan to the chosen organization."""
    plan = selectors.plan_get(user=request.user, pk=pk)
    form = LinkNameForm(request.POST, plan=plan)
    back = f"{plan_url(plan)}#unmatched"
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "未能匹配：" + "；".join(problems))
        return redirect(back)
    data = dict(form.cleaned_data)
    add_alias = data.pop("add_alias", False)
    try:
        count = editing.assignment_link_name(actor=actor(request), plan=plan, **data)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, "；".join(getattr(error, "messages", [str(error)])))
        return redirect(back)
    name = data["organization"].name
    messages.success(request, f"已将“{data['raw_name']}”匹配为“{name}”，共 {count} 处。")
    if add_alias:
        _remember_alias(request, raw_name=data["raw_name"], organization=data["organization"])
    return redirect(back)


def _remember_alias(request: HttpRequest, *, raw_name: str, organization: Organization) -> None:
    """The panel's 同时记为该单位的别名: an alias without dates, unless one of that name exists.
    The link is done either way; a refusal is said in a message."""
    try:
        alias = units_services.alias_ensure(
            actor=actor(request), organization=organization, name=raw_name
        )
    except (PermissionDenied, ValidationError) as error:
        problems = "；".join(getattr(error, "messages", [str(error)]))
        messages.warning(request, f"未记为别名：{problems}")
        return
    if alias is None:
        messages.info(request, f"“{organization.name}”已有别名“{raw_name}”，未重复登记。")
    else:
        messages.success(request, f"已将“{raw_name}”记为“{organization.name}”的别名。")


# --- tasks ------------------------------------------------------------------------------------


def _task_create(request: HttpRequest, plan: Plan, parent: Task | None) -> HttpResponse:
    form = TaskForm(request.POST or None)
    response = submit(
        request,
        form,
        lambda data: editing.task_create(actor=actor(request), plan=plan, parent=parent, **data),
        done="已新增任务。",
        to=lambda task: plan_url(plan, task),
    )
    if response is not None:
        return response
    title = f"新增下级任务 · {parent}" if parent else "新增一级任务"
    back = plan_url(plan, parent)
    return _form_page(request, form, title=title, back=back, plan=plan, parent=parent)


@edit_view
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _task_create(request, selectors.plan_get(user=request.user, pk=pk), None)


@edit_view
def task_create_child(request: HttpRequest, pk: int) -> HttpResponse:
    parent = _task(request, pk)
    return _task_create(request, parent.plan, parent)


@edit_view
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The task's fields, with its units and targets and the links that change them."""
    task = _task(request, pk)
    form = TaskForm(request.POST or None, initial=TaskForm.initial_for(task))
    back = plan_url(task.plan_id, task)
    response = submit(
        request,
        form,
        lambda data: editing.task_update(actor=actor(request), task=task, **data),
        done="已保存任务。",
        to=back,
    )
    if response is not None:
        return response
    context = {
        "form": form,
        "task": task,
        "plan": task.plan,
        "back_url": back,
        "assignments": task.assignments.select_related("organization").order_by("role", "pk"),
        "targets": task.targets.select_related("indicator").order_by("pk"),
    }
    return render(request, "plans/edit_task.html", context)


@edit_view
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    counts = selectors.subtree_counts(task=task)

    def delete() -> str:
        editing.task_delete(actor=actor(request), task=task)
        return f"已删除任务“{task}”。"

    items = [
        f"任务 {counts.tasks} 项（本任务及其全部下级任务）",
        f"任务分工 {counts.assignments} 条",
        f"目标 {counts.targets} 项",
    ]
    return _confirm_or_delete(
        request,
        delete,
        title=f"删除任务“{task}”",
        items=items,
        back=plan_url(task.plan_id, task),
        to=plan_url(task.plan_id, task.parent_id),
    )


# --- assignments ------------------------------------------------------------------------------


@edit_view
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = AssignmentForm(request.POST or None, plan=task.plan, initial={"role": "lead"})
    back = plan_url(task.plan_id, task)
    response = submit(
        request,
        form,
        lambda data: editing.assignment_add(actor=actor(request), task=task, **data),
        done=f"已为任务“{task.path}”添加单位。",
        to=back,
    )
    return response or _form_page(request, form, title=f"添加单位 · {task}", back=back)


@edit_view
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    task = assignment.task
    form = AssignmentForm(
        request.POST or None, plan=task.plan, initial=AssignmentForm.initial_for(assignment)
    )
    back = plan_url(task.plan_id, task)
    response = submit(
        request,
        form,
        lambda data: editing.assignment_update(actor=actor(request), assignment=assignment, **data),
        done=f"已保存任务“{task.path}”的分工。",
        to=back,
    )
    title = f"修改分工 · {assignment.raw_name}"
    return response or _form_page(request, form, title=title, back=back, task=task)


@edit_view
def assignment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    task = assignment.task
    described = f"{assignment.get_role_display()}单位“{assignment.raw_name}”"

    def delete() -> str:
        editing.assignment_remove(actor=actor(request), assignment=assignment)
        return f"已删除任务“{task.path}”的{described}。"

    back = plan_url(task.plan_id, task)
    return _confirm_or_delete(
        request,
        delete,
        title=f"删除{described}",
        items=[f"任务“{task}”的{described}"],
        back=back,
        to=back,
    )


# --- targets ----------------------------------------------------------------------------------


def _target_save(
    request: HttpRequest, task: Task, target: Target | None
) -> Callable[[dict[str, Any]], Target]:
    """The service a target form's data goes to: a new target, or a change to `target`."""

    def save(data: dict[str, Any]) -> Target:
        if target is None:
            return editing.target_add(actor=actor(request), task=task, **data)
        return editing.target_update(actor=actor(request), target=target, **data)

    return save


@edit_view
def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    form = TargetForm(request.POST or None, initial={"comparator": ">="})
    back = plan_url(task.plan_id, task)
    response = submit(
        request,
        form,
        _target_save(request, task, None),
        done=f"已为任务“{task.path}”添加目标。",
        to=back,
    )
    return response or _form_page(request, form, title=f"添加目标 · {task}", back=back)


@edit_view
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    task = target.task
    form = TargetForm(request.POST or None, initial=TargetForm.initial_for(target))
    back = plan_url(task.plan_id, task)
    response = submit(
        request,
        form,
        _target_save(request, task, target),
        done=f"已保存任务“{task.path}”的目标。",
        to=back,
    )
    title = f"修改目标 · {target.indicator.name}"
    return response or _form_page(request, form, title=title, back=back, task=task)


@edit_view
def target_remove(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target(request, pk)
    task = target.task
    described = f"目标“{target}”"

    def delete() -> str:
        editing.target_remove(actor=actor(request), target=target)
        return f"已删除任务“{task.path}”的{described}。"

    back = plan_url(task.plan_id, task)
    return _confirm_or_delete(
        request,
        delete,
        title=f"删除{described}",
        items=[f"任务“{task}”的{described}"],
        back=back,
        to=back,
    )
