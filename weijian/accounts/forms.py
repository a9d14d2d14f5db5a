"""Forms for login, passwords, the second factor, users and the security policy."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.functional import lazy

from weijian.accounts.access import PROTECTED_ROLES
from weijian.accounts.models import SecurityPolicy, User
from weijian.accounts.roles import ROLE_DESCRIPTIONS, Role
from weijian.core.masking import mask_phone
from weijian.orgs.models import Organization


class BootstrapMixin:
    """Adds Bootstrap classes to every widget."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


CURRENT_PASSWORD = forms.PasswordInput(attrs={"autocomplete": "current-password"})
NEW_PASSWORD = forms.PasswordInput(attrs={"autocomplete": "new-password"})


class LoginForm(BootstrapMixin, forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=CURRENT_PASSWORD,
    )


def _password_help() -> str:
    return " ".join(password_validators_help_texts())


password_help = lazy(_password_help, str)


class PasswordChangeForm(BootstrapMixin, forms.Form):
    old_password = forms.CharField(label="原密码", widget=CURRENT_PASSWORD, strip=False)
    new_password = forms.CharField(
        label="新密码", widget=NEW_PASSWORD, strip=False, help_text=password_help()
    )
    new_password_again = forms.CharField(label="确认新密码", widget=NEW_PASSWORD, strip=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self) -> str:
        value: str = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("原密码不正确")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", "两次输入的新密码不一致")
        return data


class TokenForm(BootstrapMixin, forms.Form):
    token = forms.RegexField(
        label="动态口令",
        regex=r"^\d{6}$",
        error_messages={"invalid": "请输入认证器上显示的6位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def role_choices() -> list[tuple[str, str]]:
    """The roles a system administrator may grant (not the security or audit administrator)."""
    return [
        (role.value, f"{role.label}：{ROLE_DESCRIPTIONS[role]}")
        for role in Role
        if role not in PROTECTED_ROLES
    ]


class UserForm(BootstrapMixin, forms.Form):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.@-]{3,150}$",
        error_messages={"invalid": "用户名只能由3位以上的字母、数字和 _ . @ - 组成"},
    )
    full_name = forms.CharField(label="姓名", max_length=50)
    organization = forms.ModelChoiceField(label="所属单位", queryset=Organization.objects.none())
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.RegexField(
        label="手机号码",
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": "手机号码应为以1开头的11位数字"},
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=role_choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    password = forms.CharField(
        label="初始密码",
        widget=NEW_PASSWORD,
        strip=False,
        help_text="用户首次登录时须修改。",
    )

    def __init__(
        self,
        *args: Any,
        organizations: Any,
        editing: bool = False,
        stored_phone: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]
        if stored_phone:  # personal data: never put the stored number back on the page
            self.fields["phone"].help_text = f"当前：{mask_phone(stored_phone)}；留空则不修改。"
        if editing:
            self.fields["username"].disabled = True
            del self.fields["password"]
        else:
            del self.fields["is_active"]


class PasswordResetForm(BootstrapMixin, forms.Form):
    password = forms.CharField(
        label="临时密码",
        widget=NEW_PASSWORD,
        strip=False,
        help_text="用户下次登录时须修改。",
    )


class SecurityPolicyForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = [
            "force_change_on_first_login",
            "password_max_age_days",
            "lockout_threshold",
            "lockout_minutes",
            "idle_timeout_minutes",
            "require_otp",
        ]
