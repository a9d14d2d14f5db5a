"""Create the first organization and its system administrator on a new deployment.

No default account exists outside demo mode; this is how a deployment gets its first one.
The password is asked for at the prompt (or read from WEIJIAN_BOOTSTRAP_PASSWORD) and must be
changed at the first login.
"""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from weijian.accounts import services
from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.orgs import services as org_services
from weijian.orgs.models import Organization, OrganizationKind, Region


class Command(BaseCommand):
    help = "新部署时创建第一个单位及其系统管理员（首次登录须修改密码）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization", required=True, help="单位名称，如：萍乡市卫生健康委员会"
        )
        parser.add_argument("--region", help="区划代码，如：360300")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True, help="姓名")

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"用户名“{options['username']}”已存在。")
        region = self._region(options.get("region"))
        password = os.environ.get("WEIJIAN_BOOTSTRAP_PASSWORD") or self._ask_password()
        try:
            with transaction.atomic():
                organization = self._organization(options["organization"], region)
                user = services.user_bootstrap(
                    username=options["username"],
                    full_name=options["full_name"],
                    organization=organization,
                    password=password,
                    roles=[Role.SYSTEM_ADMIN],
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(
            f"已创建系统管理员 {user}，所属单位：{organization.name}。首次登录须修改密码。"
        )

    def _region(self, code: str | None) -> Region | None:
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"区划代码“{code}”不存在，请先用 import_regions 导入区划表。")
        return region

    def _organization(self, name: str, region: Region | None) -> Organization:
        existing = Organization.objects.filter(name=name, parent=None).first()
        if existing is not None:
            return existing
        return org_services.organization_insert(
            name=name,
            kind=OrganizationKind.HEALTH_AUTHORITY,
            parent=None,
            region=region,
            source="manage.py",
        )

    def _ask_password(self) -> str:
        first = getpass.getpass("初始密码：")
        if first != getpass.getpass("再次输入："):
            raise CommandError("两次输入的密码不一致。")
        return first
