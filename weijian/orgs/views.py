"""Organization pages: list and detail for every signed-in user within his scope; create and
edit for system administrators."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import Role, has_role
from weijian.core.modules import module_roles
from weijian.core.pagination import paginate
from weijian.orgs import selectors, services
from weijian.orgs.forms import OrganizationForm
from weijian.orgs.models import Organization

if TYPE_CHECKING:
    from weijian.accounts.models import User

PAGE_SIZE = 50
# The registry is for the roles its module lists (business roles and the system administrator);
# the security and audit administrators have no business here.
ORGS_ROLES = module_roles("orgs")


def _actor(request: HttpRequest) -> User:
    """The signed-in user of a guarded view."""
    return cast("User", request.user)


@role_required(*ORGS_ROLES)
def organization_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    organizations = selectors.organization_list(user=request.user, query=query)
    context = {
        **paginate(request, organizations, per_page=PAGE_SIZE),
        "q": query,
        "can_manage": has_role(request.user, Role.SYSTEM_ADMIN),
    }
    return render(request, "orgs/organization_list.html", context)


@role_required(*ORGS_ROLES)
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    context = {
        "organization": organization,
        "children": selectors.organization_children(organization=organization),
        "users_count": organization.users.count(),
        "can_manage": has_role(request.user, Role.SYSTEM_ADMIN),
    }
    return render(request, "orgs/organization_detail.html", context)


@role_required(Role.SYSTEM_ADMIN)
def organization_create(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST or None, user=_actor(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organization = services.organization_create(
                actor=_actor(request),
                name=data["name"],
                kind=data["kind"],
                parent=data["parent"],
                region=data["region"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已新建单位“{organization.name}”。")
            return redirect("orgs:organization_detail", pk=organization.pk)
    return render(request, "orgs/organization_form.html", {"form": form, "organization": None})


@role_required(Role.SYSTEM_ADMIN)
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    form = OrganizationForm(request.POST or None, user=_actor(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            _save(actor=_actor(request), organization=organization, data=form.cleaned_data)
        except ValidationError as error:
            organization.refresh_from_db()  # the rolled-back edit left it changed in memory
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存单位“{organization.name}”。")
            return redirect("orgs:organization_detail", pk=organization.pk)
    context = {"form": form, "organization": organization}
    return render(request, "orgs/organization_form.html", context)


@transaction.atomic
def _save(*, actor: User, organization: Organization, data: dict[str, Any]) -> None:
    """The edit form's two use cases, both or neither."""
    services.organization_update(
        actor=actor,
        organization=organization,
        name=data["name"],
        kind=data["kind"],
        region=data["region"],
        is_active=data["is_active"],
    )
    if "parent" in data:
        services.organization_move(
            actor=actor,
            organization=organization,
            new_parent=data["parent"],
        )
