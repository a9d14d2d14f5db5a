"""Login security enforced on every request: idle timeout, the second factor, password age."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from weijian.accounts.models import SecurityPolicy
from weijian.core import audit

Handler = Callable[[HttpRequest], HttpResponse]
LAST_SEEN = "weijian_last_seen"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a full page load."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _policy(request: HttpRequest) -> SecurityPolicy:
    cached: SecurityPolicy | None = getattr(request, "_weijian_policy", None)
    if cached is None:
        cached = SecurityPolicy.current()
        request._weijian_policy = cached  # type: ignore[attr-defined]
    return cached


def _is_static(request: HttpRequest) -> bool:
    from django.conf import settings

    return request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))


class IdleTimeoutMiddleware:
    """Signs out a user idle for longer than the policy's timeout (default 30 minutes)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not _is_static(request):
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN)
            limit = _policy(request).idle_timeout_minutes * 60
            if last_seen is not None and now - float(last_seen) > limit:
                audit.record(action="auth.idle_logout", actor=user, obj=user)  # type: ignore[arg-type]
                logout(request)
                messages.info(
                    request, f"您已超过{limit // 60}分钟未操作，系统已自动退出，请重新登录。"
                )
                return _redirect(request, f"{reverse('accounts:login')}?next={request.path}")
            request.session[LAST_SEEN] = now
        return self.get_response(request)


class LoginRequirementsMiddleware:
    """After sign-in: verify the second factor, enrol one when the policy demands it, and change
    the password when it is new or older than the policy allows. Until the step is done, only
    its own page and logout are open."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated or _is_static(request):
            return self.get_response(request)
        step = self._required_step(request)
        if step is None or request.path in {reverse(step), reverse("accounts:logout")}:
            return self.get_response(request)
        return _redirect(request, reverse(step))

    def _required_step(self, request: HttpRequest) -> str | None:
        user = request.user
        policy = _policy(request)
        has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()  # type: ignore[misc]
        if has_device and not user.is_verified():  # type: ignore[union-attr]
            return "accounts:otp_verify"
        if policy.require_otp and not has_device:
            return "accounts:otp_setup"
        if policy.password_change_due(user):  # type: ignore[arg-type]
            return "accounts:password_change"
        return None
