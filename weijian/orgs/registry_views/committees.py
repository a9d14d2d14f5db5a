"""Leading groups, joint meetings and task groups: the list, a committee's page with its
roster, office and sub-groups, and the edit pages of committees and members."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from weijian.core.pagination import paginate
from weijian.orgs import registry_pages, registry_selectors, selectors, services
from weijian.orgs.models import Committee, CommitteeMember
from weijian.orgs.names import normalize_person
from weijian.orgs.registry_forms import CommitteeForm, CommitteeMemberForm
from weijian.orgs.registry_views.common import (
    actor,
    can_edit,
    profile_url,
    read_view,
    remove,
    submit,
    write_view,
)

FORM_TEMPLATE = "orgs/registry_form.html"
PAGE_SIZE = 50


def committee_url(committee: Committee | int) -> str:
    pk = committee if isinstance(committee, int) else committee.pk
    return reverse("orgs:committee_detail", args=[pk])


@read_view
def committee_list(request: HttpRequest) -> HttpResponse:
    committees = registry_selectors.committee_list(user=request.user).order_by(
        "host__path", "order", "id"
    )
    context = {**paginate(request, committees, per_page=PAGE_SIZE)}
    return render(request, "orgs/committee_list.html", context)


@read_view
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    committee = registry_selectors.committee_get(user=request.user, pk=pk)
    roster = registry_pages.roster_view(registry_selectors.committee_roster(committee=committee))
    context = {"committee": committee, "roster": roster, "can_edit": can_edit(request)}
    return render(request, "orgs/committee_detail.html", context)


@write_view
def committee_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    host = selectors.organization_get(user=request.user, pk=org_pk)
    form = CommitteeForm(request.POST or None, host=host, initial=_parent_initial(request))
    response = submit(
        request,
        form,
        lambda data: services.committee_save(actor=actor(request), host=host, **data),
        done="已新建议事协调机构。",
        to=committee_url,
    )
    context = {
        "form": form,
        "title": f"新建议事协调机构 · {host.name}",
        "back_url": profile_url(host, "committees"),
    }
    return response or render(request, FORM_TEMPLATE, context)


def _parent_initial(request: HttpRequest) -> dict[str, Any]:
    parent = request.GET.get("parent", "")
    return {"parent": int(parent)} if parent.isdigit() else {}


@write_view
def committee_edit(request: HttpRequest, pk: int) -> HttpResponse:
    committee = registry_selectors.committee_get(user=request.user, pk=pk)
    form = CommitteeForm(request.POST or None, host=committee.host, committee=committee)
    response = submit(
        request,
        form,
        lambda data: services.committee_save(
            actor=actor(request), host=committee.host, committee=committee, **data
        ),
        done=f"已保存“{committee.name}”。",
        to=committee_url(committee),
    )
    context = {
        "form": form,
        "title": f"修改议事协调机构 · {committee.name}",
        "back_url": committee_url(committee),
        "delete_url": ("orgs:committee_delete", committee.pk),
        "delete_confirm": f"确认删除“{committee.name}”？其成员和下设机构将一并删除。",
    }
    return response or render(request, FORM_TEMPLATE, context)


@require_POST
@write_view
def committee_delete(request: HttpRequest, pk: int) -> HttpResponse:
    committee = registry_selectors.committee_get(user=request.user, pk=pk)
    to = (
        committee_url(committee.parent_id)
        if committee.parent_id
        else reverse("orgs:committee_list")
    )
    return remove(
        request,
        lambda: services.committee_delete(actor=actor(request), committee=committee),
        done=f"已删除“{committee.name}”。",
        to=to,
    )


def _save_member(
    request: HttpRequest,
    committee: Committee,
    data: dict[str, Any],
    member: CommitteeMember | None = None,
) -> CommitteeMember:
    # A link to a person stays while the name does.
    person = (
        member.person
        if member is not None and member.person_name == normalize_person(data["person_name"])
        else None
    )
    return services.committee_member_save(
        actor=actor(request), committee=committee, member=member, person=person, **data
    )


@write_view
def committee_member_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = registry_selectors.committee_get(user=request.user, pk=pk)
    initial = {"role": request.GET.get("role", "")}
    form = CommitteeMemberForm(request.POST or None, user=request.user, initial=initial)
    response = submit(
        request,
        form,
        lambda data: _save_member(request, committee, data),
        done="已新增成员。",
        to=committee_url(committee),
    )
    context = {
        "form": form,
        "title": f"新增成员 · {committee.name}",
        "back_url": committee_url(committee),
    }
    return response or render(request, FORM_TEMPLATE, context)


@write_view
def committee_member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = registry_selectors.committee_member_get(user=request.user, pk=pk)
    initial = {
        field: getattr(member, field)
        for field in (
            "role",
            "person_name",
            "post_text",
            "organization_name",
            "liaison_name",
            "liaison_post",
            "order",
        )
    }
    form = CommitteeMemberForm(
        request.POST or None,
        user=request.user,
        initial={**initial, "organization": member.organization_id},
    )
    back = committee_url(member.committee_id)
    response = submit(
        request,
        form,
        lambda data: _save_member(request, member.committee, data, member),
        done=f"已保存成员“{member.person_name or member.organization_name}”。",
        to=back,
    )
    context = {
        "form": form,
        "title": f"修改成员 · {member.committee.name}",
        "back_url": back,
        "delete_url": ("orgs:committee_member_delete", member.pk),
        "delete_confirm": f"确认删除成员“{member.person_name or member.organization_name}”？",
    }
    return response or render(request, FORM_TEMPLATE, context)


@require_POST
@write_view
def committee_member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = registry_selectors.committee_member_get(user=request.user, pk=pk)
    return remove(
        request,
        lambda: services.committee_member_delete(actor=actor(request), member=member),
        done=f"已删除成员“{member.person_name or member.organization_name}”。",
        to=committee_url(member.committee_id),
    )
