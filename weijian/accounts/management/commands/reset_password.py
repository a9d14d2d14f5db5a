"""Reset an account's password on the server: unlocks it and forces a change at next login.

The security and audit administrators' accounts can be reset only this way (三员分立)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from weijian.accounts import services
from weijian.accounts.management.passwords import new_password


class Command(BaseCommand):
    help = (
        "在服务器上重置账户密码（同时解除锁定，下次登录须修改）；"
        "安全管理员、审计管理员只能用此方式重置。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        password = new_password("临时密码")
        try:
            user = services.user_password_reset_on_server(username=username, password=password)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(f"已重置 {user} 的密码并解除锁定，下次登录须修改密码。")
