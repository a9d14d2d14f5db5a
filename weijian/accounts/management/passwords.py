"""Reading a new password on the server: from WEIJIAN_BOOTSTRAP_PASSWORD or the prompt."""

from __future__ import annotations

import getpass
import os

from django.core.management.base import CommandError


def new_password(label: str) -> str:
    given = os.environ.get("WEIJIAN_BOOTSTRAP_PASSWORD")
    if given:
        return given
    first = getpass.getpass(f"{label}：")
    if first != getpass.getpass("再次输入："):
        raise CommandError("两次输入的密码不一致。")
    return first
