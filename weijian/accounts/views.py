"""Sign-in, sign-out, passwords, the second factor and the user's own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from weijian.accounts import services
from weijian.accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from weijian.accounts.models import SecurityPolicy, User
from weijian.accounts.otp import qr_data_uri, secret_base32
from weijian.core import audit


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/office/"


def _locked_message(user: User) -> str:
    until = timezone.localtime(user.locked_until)
    return f"该账户因连续登录失败已被锁定，请于 {until:%H:%M} 后再试，或联系系统管理员解除锁定。"


def _authenticate(request: HttpRequest, form: LoginForm) -> User | None:
    """Check the credentials with lockout; add the error to the form on failure."""
    username = form.cleaned_data["username"]
    account = User.objects.filter(username=username).first()
    if account is not None and account.is_locked():
        services.login_refused_locked(user=account)
        form.add_error(None, _locked_message(account))
        return None
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is not None:
        return user  # type: ignore[return-value]
    account = services.login_failed(username=username)
    if account is not None and account.is_locked():
        form.add_error(None, _locked_message(account))
    else:
        policy = SecurityPolicy.current()
        form.add_error(
            None,
            f"用户名或密码错误。连续失败{policy.lockout_threshold}次，"
            f"账户将被锁定{policy.lockout_minutes}分钟。",
        )
    return None


@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = _authenticate(request, form)
        if user is not None:
            login(request, user)  # cycles the session key
            services.login_succeeded(user=user)
            return redirect(_safe_next(request))
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record(action="auth.logout", actor=request.user, obj=request.user)  # type: ignore[arg-type]
    logout(request)
    messages.info(request, "您已安全退出。")
    return redirect("accounts:login")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=user, new_password=form.cleaned_data["new_password"])
        except ValidationError as exc:
            form.add_error("new_password", exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "密码已修改。")
            return redirect("core:home")
    due = SecurityPolicy.current().password_change_due(user)
    return render(request, "accounts/password_change.html", {"form": form, "due": due})


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit.record(action="auth.otp_verified", actor=user, obj=user)
            return redirect(_safe_next(request))
        audit.record(action="auth.otp_failed", actor=user, obj=user, success=False)
        form.add_error("token", "动态口令不正确或已过期，请重新输入。")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "认证器"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            services.otp_device_confirm(user=user, device=device)
            otp_login(request, device)
            messages.success(request, "动态口令已启用，今后登录时需输入认证器上的6位数字。")
            return redirect("accounts:profile")
        form.add_error("token", "动态口令不正确，请确认手机时间准确后重新输入。")
    context = {"form": form, "qr": qr_data_uri(device), "secret": secret_base32(device)}
    return render(request, "accounts/otp_setup.html", context)


@require_POST
@login_required
def otp_remove(request: HttpRequest) -> HttpResponse:
    try:
        services.otp_device_remove(user=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "动态口令已停用。")
    return redirect("accounts:profile")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context = {
        "has_device": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "policy": SecurityPolicy.current(),
        "roles": user.role_names(),
    }
    return render(request, "accounts/profile.html", context)
