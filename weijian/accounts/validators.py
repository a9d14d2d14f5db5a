"""Password rules beyond Django's own: at least three of the four character classes."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", lambda ch: ch in string.ascii_uppercase),
    ("小写字母", lambda ch: ch in string.ascii_lowercase),
    ("数字", lambda ch: ch in string.digits),
    ("特殊符号", lambda ch: not ch.isalnum() or not ch.isascii()),
)


def character_classes(password: str) -> list[str]:
    """The names of the classes `password` uses."""
    return [name for name, test in CLASSES if any(test(ch) for ch in password)]


class CharacterClassValidator:
    required = 3

    def validate(self, password: str, user: Any = None) -> None:
        used = character_classes(password)
        if len(used) < self.required:
            missing = "、".join(name for name, _ in CLASSES if name not in used)
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、特殊符号中的至少{self.required}类，"
                f"当前缺少：{missing}。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须包含大写字母、小写字母、数字、特殊符号中的至少{self.required}类。"


class MinimumLengthValidator:
    """Django's length rule with a Chinese message (Django 5.2 ships none for its new wording)."""

    def __init__(self, min_length: int = 10) -> None:
        self.min_length = min_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码太短，至少需要{self.min_length}个字符，当前为{len(password)}个。",
                code="password_too_short",
            )

    def get_help_text(self) -> str:
        return f"密码至少需要{self.min_length}个字符。"


class UsernameNotContainedValidator:
    """The password may not contain the username (Django's similarity ratio lets
    "newbie12345A" through for the user "newbie")."""

    def validate(self, password: str, user: Any = None) -> None:
        username = (getattr(user, "username", "") or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"
