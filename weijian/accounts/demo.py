"""Demo accounts: one per standard role, printed with their password. Demo mode only."""

from __future__ import annotations

from collections.abc import Callable

from weijian.accounts import services
from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.orgs.demo import (
    DEMO_COMMISSION,
    DEMO_COUNTY,
    DEMO_ELSEWHERE,
    DEMO_HULUNBUIR,
    DEMO_LINJIANG,
)
from weijian.orgs.models import Organization

DEMO_PASSWORD = "Demo-Weijian-2026"  # noqa: S105 (demo mode only, printed on purpose)

# username, full name, organization, role
DEMO_ACCOUNTS = [
    ("admin", "王建国", DEMO_COMMISSION, Role.SYSTEM_ADMIN),
    ("security", "李安", DEMO_COMMISSION, Role.SECURITY_ADMIN),
    ("auditor", "赵审", DEMO_COMMISSION, Role.AUDIT_ADMIN),
    ("leader", "刘明", DEMO_COMMISSION, Role.LEADER),
    ("staff", "张科", DEMO_COMMISSION, Role.STAFF),
    ("reporter", "陈报", DEMO_COUNTY, Role.REPORTER),
    ("inspector", "周正", DEMO_COMMISSION, Role.INSPECTOR),
    ("yuzhong", "孙渝", DEMO_ELSEWHERE, Role.STAFF),
    ("linjiang", "江临", DEMO_LINJIANG, Role.SYSTEM_ADMIN),
    ("linjiang_staff", "白山", DEMO_LINJIANG, Role.STAFF),
    ("hulunbuir", "巴图", DEMO_HULUNBUIR, Role.STAFF),
]


def load_accounts(say: Callable[[str], None]) -> None:
    say(f"演示账户（密码均为 {DEMO_PASSWORD}）：")
    for username, full_name, org_name, role in DEMO_ACCOUNTS:
        organization = Organization.objects.get(name=org_name)
        if not User.objects.filter(username=username).exists():
            services.user_bootstrap(
                username=username,
                full_name=full_name,
                organization=organization,
                password=DEMO_PASSWORD,
                roles=[role],
                demo=True,
                source="load_demo",
            )
        say(f"  {username:<14} {role.label:<6} {organization.name}")
