"""Create an administrator (三员) on the server: the first system administrator of a new
deployment, and the security and audit administrators, whom no system administrator may make.

No default account exists outside demo mode; this is how a deployment gets its first ones.
The password is asked for at the prompt (or read from WEIJIAN_BOOTSTRAP_PASSWORD) and must be
changed at the first login. The organization is created as a root when it does not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from weijian.accounts import services
from weijian.accounts.management.passwords import new_password
from weijian.accounts.models import User
from weijian.accounts.roles import ADMIN_ROLES, Role
from weijian.orgs import services as org_services
from weijian.orgs.models import Organization, OrganizationKind, Region


class Command(BaseCommand):
    help = "在服务器上设立三员账户：系统管理员、安全管理员或审计管理员（首次登录须修改密码）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organization", required=True, help="单位名称，如：萍乡市卫生健康委员会"
        )
        parser.add_argument("--region", help="区划代码，如：360300")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True, help="姓名")
        parser.add_argument(
            "--role",
            default=Role.SYSTEM_ADMIN,
            choices=sorted(ADMIN_ROLES),
            help="角色（默认：系统管理员）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"用户名“{options['username']}”已存在。")
        region = self._region(options.get("region"))
        password = new_password("初始密码")
        try:
            with transaction.atomic():
                organization = self._organization(options["organization"], region)
                user = services.user_bootstrap(
                    username=options["username"],
                    full_name=options["full_name"],
                    organization=organization,
                    password=password,
                    roles=[options["role"]],
                )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(
            f"已创建{options['role']} {user}，所属单位：{organization.name}。首次登录须修改密码。"
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
