"""An organization's page and the edit pages of what it shows: details, departments, duties,
duty boundaries, staffing, office hours."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from weijian.orgs import registry_pages, registry_selectors, selectors, services
from weijian.orgs.models import DutyKind, OfficeHours, Organization
from weijian.orgs.registry_forms import (
    DepartmentForm,
    DutyBoundaryForm,
    DutyForm,
    OfficeHoursForm,
    OrganizationDetailsForm,
    StaffingForm,
)
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


@read_view
def organization_profile(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    profile = registry_selectors.organization_profile(organization=organization)
    department_duties = registry_pages.department_duties(organization=organization)
    filled = registry_pages.filled_posts(profile=profile)
    context = {
        "organization": organization,
        "profile": profile,
        "departments": [(d, department_duties.get(d.pk, [])) for d in profile.departments],
        "duties": [d for d in profile.duties if d.kind == DutyKind.DUTY],
        "transformations": [d for d in profile.duties if d.kind == DutyKind.TRANSFORMATION],
        "staffing_posts": [
            (quota, filled.get(quota.title, 0))
            for quota in (profile.staffing.posts.all() if profile.staffing else [])
        ],
        "staffing_warnings": registry_selectors.staffing_warnings(profile=profile),
        "supervision": profile.supervision_matrix(),
        "liaison": profile.liaison_matrix(),
        "other_posts": registry_pages.other_posts(organization=organization),
        "committees": registry_pages.hosted_committees(organization=organization),
        "can_edit": can_edit(request),
    }
    return render(request, "orgs/organization_profile.html", context)


def _page(
    request: HttpRequest, form: object, title: str, back: str, **extra: object
) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back, **extra}
    return render(request, FORM_TEMPLATE, context)


@write_view
def organization_details_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    form = OrganizationDetailsForm(
        request.POST or None, initial=OrganizationDetailsForm.initial_for(organization)
    )
    response = submit(
        request,
        form,
        lambda data: services.organization_details_update(
            actor=actor(request), organization=organization, **data
        ),
        done=f"已保存“{organization.name}”的概况。",
        to=profile_url(organization),
    )
    return response or _page(request, form, "修改机构概况", profile_url(organization))


@write_view
def department_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=org_pk)
    form = DepartmentForm(request.POST or None)
    response = submit(
        request,
        form,
        lambda data: services.department_save(
            actor=actor(request), organization=organization, **data
        ),
        done="已新增内设机构。",
        to=profile_url(organization, "departments"),
    )
    back = profile_url(organization, "departments")
    return response or _page(request, form, f"新增内设机构 · {organization.name}", back)


@write_view
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    department = registry_selectors.department_get(user=request.user, pk=pk)
    organization = department.organization
    form = DepartmentForm(request.POST or None, initial=DepartmentForm.initial_for(department))
    back = profile_url(organization, "departments")
    response = submit(
        request,
        form,
        lambda data: services.department_save(
            actor=actor(request), organization=organization, department=department, **data
        ),
        done=f"已保存内设机构“{department.name}”。",
        to=back,
    )
    return response or _page(
        request,
        form,
        f"修改内设机构 · {department.name}",
        back,
        delete_url=("orgs:department_delete", department.pk),
        delete_confirm=f"确认删除内设机构“{department.name}”？其编号职责将一并删除，领导分管关系将解除。",
    )


@require_POST
@write_view
def department_delete(request: HttpRequest, pk: int) -> HttpResponse:
    department = registry_selectors.department_get(user=request.user, pk=pk)
    return remove(
        request,
        lambda: services.department_delete(actor=actor(request), department=department),
        done=f"已删除内设机构“{department.name}”。",
        to=profile_url(department.organization, "departments"),
    )


@write_view
def duty_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=org_pk)
    initial = {"kind": request.GET.get("kind", DutyKind.DUTY)}
    form = DutyForm(request.POST or None, organization=organization, initial=initial)
    back = profile_url(organization, "duties")
    response = submit(
        request,
        form,
        lambda data: services.duty_save(actor=actor(request), organization=organization, **data),
        done="已新增职责。",
        to=back,
    )
    return response or _page(request, form, f"新增职责 · {organization.name}", back)


@write_view
def duty_edit(request: HttpRequest, pk: int) -> HttpResponse:
    duty = registry_selectors.duty_get(user=request.user, pk=pk)
    organization = duty.organization
    form = DutyForm(request.POST or None, organization=organization, duty=duty)
    # A duty stays where it is; moving it means a new one.
    form.fields["department"].disabled = True
    back = profile_url(organization, "duties")
    response = submit(
        request,
        form,
        lambda data: services.duty_save(
            actor=actor(request),
            organization=organization,
            duty=duty,
            number=data["number"],
            kind=data["kind"],
            text=data["text"],
        ),
        done=f"已保存第{duty.number}条职责。",
        to=back,
    )
    return response or _page(
        request,
        form,
        "修改职责",
        back,
        delete_url=("orgs:duty_delete", duty.pk),
        delete_confirm=f"确认删除第{duty.number}条职责？",
    )


@require_POST
@write_view
def duty_delete(request: HttpRequest, pk: int) -> HttpResponse:
    duty = registry_selectors.duty_get(user=request.user, pk=pk)
    return remove(
        request,
        lambda: services.duty_delete(actor=actor(request), duty=duty),
        done=f"已删除第{duty.number}条职责。",
        to=profile_url(duty.organization, "duties"),
    )


@write_view
def duty_boundary_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=org_pk)
    form = DutyBoundaryForm(request.POST or None, user=request.user)
    back = profile_url(organization, "boundaries")
    response = submit(
        request,
        form,
        lambda data: services.duty_boundary_save(
            actor=actor(request), organization=organization, **data
        ),
        done="已新增职责分工。",
        to=back,
    )
    return response or _page(request, form, f"新增职责分工 · {organization.name}", back)


@write_view
def duty_boundary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    boundary = registry_selectors.duty_boundary_get(user=request.user, pk=pk)
    initial = {
        "other_name": boundary.other_name,
        "other": boundary.other_id,
        "text": boundary.text,
        "order": boundary.order,
    }
    form = DutyBoundaryForm(request.POST or None, user=request.user, initial=initial)
    back = profile_url(boundary.organization, "boundaries")
    response = submit(
        request,
        form,
        lambda data: services.duty_boundary_save(
            actor=actor(request), organization=boundary.organization, boundary=boundary, **data
        ),
        done=f"已保存与{boundary.other_name}的职责分工。",
        to=back,
    )
    return response or _page(
        request,
        form,
        f"修改职责分工 · 与{boundary.other_name}",
        back,
        delete_url=("orgs:duty_boundary_delete", boundary.pk),
        delete_confirm=f"确认删除与{boundary.other_name}的职责分工？",
    )


@require_POST
@write_view
def duty_boundary_delete(request: HttpRequest, pk: int) -> HttpResponse:
    boundary = registry_selectors.duty_boundary_get(user=request.user, pk=pk)
    return remove(
        request,
        lambda: services.duty_boundary_delete(actor=actor(request), boundary=boundary),
        done=f"已删除与{boundary.other_name}的职责分工。",
        to=profile_url(boundary.organization, "boundaries"),
    )


@write_view
def staffing_edit(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=org_pk)
    quota = registry_selectors.organization_profile(organization=organization).staffing
    initial = {
        "administrative": quota.administrative if quota else None,
        "posts": "\n".join(f"{p.title} {p.count}" for p in quota.posts.all()) if quota else "",
        "note": quota.note if quota else "",
    }
    form = StaffingForm(request.POST or None, initial=initial)
    back = profile_url(organization, "staffing")
    response = submit(
        request,
        form,
        lambda data: services.staffing_save(
            actor=actor(request), organization=organization, **data
        ),
        done="已保存编制。",
        to=back,
    )
    return response or _page(request, form, f"编制 · {organization.name}", back)


@write_view
def office_hours_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=org_pk)
    form = OfficeHoursForm(request.POST or None)
    back = profile_url(organization, "hours")
    response = submit(
        request,
        form,
        lambda data: _save_hours(request, organization=organization, data=data),
        done="已新增办公时间。",
        to=back,
    )
    return response or _page(request, form, f"新增办公时间 · {organization.name}", back)


@write_view
def office_hours_edit(request: HttpRequest, pk: int) -> HttpResponse:
    hours = registry_selectors.office_hours_get(user=request.user, pk=pk)
    form = OfficeHoursForm(request.POST or None, initial=OfficeHoursForm.initial_for(hours))
    back = profile_url(hours.organization, "hours")
    response = submit(
        request,
        form,
        lambda data: _save_hours(request, organization=hours.organization, data=data, hours=hours),
        done=f"已保存{hours.season}办公时间。",
        to=back,
    )
    return response or _page(
        request,
        form,
        f"修改办公时间 · {hours.season}",
        back,
        delete_url=("orgs:office_hours_delete", hours.pk),
        delete_confirm=f"确认删除{hours.season}办公时间？",
    )


def _save_hours(
    request: HttpRequest,
    *,
    organization: Organization,
    data: dict[str, Any],
    hours: OfficeHours | None = None,
) -> OfficeHours:
    afternoon = (
        (data["afternoon_start"], data["afternoon_end"]) if data["afternoon_start"] else None
    )
    return services.office_hours_save(
        actor=actor(request),
        organization=organization,
        season=data["season"],
        morning=(data["morning_start"], data["morning_end"]),
        afternoon=afternoon,
        start=data["start"],
        end=data["end"],
        hours=hours,
    )


@require_POST
@write_view
def office_hours_delete(request: HttpRequest, pk: int) -> HttpResponse:
    hours = registry_selectors.office_hours_get(user=request.user, pk=pk)
    return remove(
        request,
        lambda: services.office_hours_delete(actor=actor(request), hours=hours),
        done=f"已删除{hours.season}办公时间。",
        to=profile_url(hours.organization, "hours"),
    )
