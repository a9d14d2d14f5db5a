"""The administrators' pages: users and roles (system administrator), the security policy
(security administrator)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from weijian.accounts import selectors, services
from weijian.accounts.access import PROTECTED_ROLES, require_grantable, require_manageable
from weijian.accounts.decorators import role_required
from weijian.accounts.forms import PasswordResetForm, SecurityPolicyForm, UserForm
from weijian.accounts.models import SecurityPolicy, User
from weijian.accounts.roles import Role
from weijian.core.pagination import paginate


@role_required(Role.SYSTEM_ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    users = selectors.user_list(actor=request.user, query=query)  # type: ignore[arg-type]
    return render(request, "accounts/user_list.html", {**paginate(request, users), "q": query})


@role_required(Role.SYSTEM_ADMIN)
def user_create(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    form = UserForm(request.POST or None, organizations=selectors.organizations_for(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新建用户 {user}，首次登录时须修改密码。")
            return redirect("accounts:user_edit", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form, "creating": True})


def _user_initial(user: User) -> dict[str, object]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "organization": user.organization,
        "email": user.email,
        "is_active": user.is_active,
        "roles": user.role_names(),
    }


def _save_user(actor: User, user: User, data: dict[str, Any]) -> None:
    """The edit form's two use cases, both or neither. Access is checked before the
    transaction, so that a refusal's audit event is kept."""
    roles = data.pop("roles")
    data.pop("username", None)
    if not data.get("phone"):  # the form never shows the stored number; blank keeps it
        data["phone"] = user.phone
    require_manageable(actor=actor, user=user)
    require_grantable(actor=actor, roles=roles)
    services.check_role_set(roles)
    with transaction.atomic():
        services.user_update(actor=actor, user=user, **data)
        if sorted(roles) != user.role_names():
            services.user_set_roles(actor=actor, user=user, roles=roles)


@role_required(Role.SYSTEM_ADMIN)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    user = selectors.user_get(actor=actor, pk=pk)
    organizations = selectors.organizations_for(actor=actor)
    form = UserForm(
        request.POST or None,
        initial=_user_initial(user),
        organizations=organizations,
        editing=True,
        stored_phone=user.phone,
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_user(actor, user, dict(form.cleaned_data))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存用户 {user}。")
            return redirect("accounts:user_edit", pk=user.pk)
    protected = bool(set(user.role_names()) & PROTECTED_ROLES)
    context = {
        "form": form,
        "subject": user,
        "reset_form": PasswordResetForm(),
        "protected": protected,
    }
    return render(request, "accounts/user_form.html", context)


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    user = selectors.user_get(actor=actor, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_reset_password(
                actor=actor, user=user, password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            messages.error(request, "临时密码不符合要求：" + "".join(exc.messages))
        else:
            messages.success(request, f"已重置 {user} 的密码，用户下次登录时须修改。")
    else:
        messages.error(request, "请输入临时密码。")
    return redirect("accounts:user_edit", pk=user.pk)


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone number in clear, as an htmx fragment; the reveal is audited."""
    actor: User = request.user  # type: ignore[assignment]
    user = selectors.user_get(actor=actor, pk=pk)
    phone = services.user_phone_reveal(actor=actor, user=user)
    return render(request, "accounts/_revealed.html", {"value": phone, "subject": user})


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    user = selectors.user_get(actor=actor, pk=pk)
    services.user_unlock(actor=actor, user=user)
    messages.success(request, f"已解除 {user} 的锁定。")
    return redirect("accounts:user_edit", pk=user.pk)


@role_required(Role.SECURITY_ADMIN, top_level=True)
def security_policy(request: HttpRequest) -> HttpResponse:
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        services.security_policy_update(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "安全策略已保存。")
        return redirect("accounts:security_policy")
    return render(request, "accounts/security_policy.html", {"form": form})
