"""The modules of the back office and which roles may use them. The navigation and the home
page read this list; a module without a URL yet is shown as not open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse

from weijian.accounts.roles import Role, user_roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from weijian.accounts.models import User

BUSINESS = frozenset({Role.LEADER, Role.STAFF, Role.REPORTER, Role.INSPECTOR})


@dataclass(frozen=True)
class Module:
    code: str
    label: str
    description: str
    roles: frozenset[str]
    url_name: str | None = None
    # Deployment-wide settings: open only to users of a root organization.
    top_level: bool = False

    @property
    def url(self) -> str | None:
        return reverse(self.url_name) if self.url_name else None


MODULES: tuple[Module, ...] = (
    Module(
        "orgs",
        "组织机构",
        "单位、内设机构、职责、编制和领导分工",
        BUSINESS | {Role.SYSTEM_ADMIN},
        "orgs:organization_list",
    ),
    Module(
        "plans",
        "文件与任务",
        "政策文件分解为任务、责任单位和量化目标",
        BUSINESS,
        "plans:plan_list",
    ),
    Module(
        "reporting",
        "进展填报",
        "按月填报、审核、通报和督办",
        BUSINESS,
        "reporting:my_reports",
    ),
    Module(
        "supervision",
        "综合监管",
        "机构与人员名录、双随机抽查和检查结果",
        frozenset({Role.LEADER, Role.STAFF, Role.INSPECTOR}),
        "supervision:institution_list",
    ),
    Module(
        "credit",
        "信用与执法",
        "不良执业行为记分、信用和行政执法案件",
        frozenset({Role.LEADER, Role.STAFF, Role.INSPECTOR}),
    ),
    Module(
        "complaints",
        "投诉举报",
        "12320/12345 投诉的受理、办理和回访",
        frozenset({Role.LEADER, Role.STAFF}),
    ),
    Module(
        "budget",
        "预决算公开",
        "部门预算、决算及其公开前的一致性检查",
        frozenset({Role.LEADER, Role.STAFF}),
    ),
    Module(
        "users",
        "用户与角色",
        "管理本单位及下级单位的账户和角色",
        frozenset({Role.SYSTEM_ADMIN}),
        "accounts:user_list",
    ),
    Module(
        "security",
        "安全设置",
        "密码、锁定、超时、动态口令和工作日调整",
        frozenset({Role.SECURITY_ADMIN}),
        "accounts:security_policy",
        top_level=True,
    ),
    Module(
        "audit",
        "审计日志",
        "登录、访问、导出和所有数据变更的记录",
        frozenset({Role.AUDIT_ADMIN}),
        "core:audit_list",
    ),
)


def modules_for(user: User | AnonymousUser) -> list[Module]:
    roles = user_roles(user)
    top = bool(roles) and user.organization.parent_id is None  # type: ignore[union-attr]
    return [m for m in MODULES if m.roles & roles and (top or not m.top_level)]


def module_roles(code: str) -> tuple[str, ...]:
    """The roles that may use a module, for its views' `role_required`."""
    module = next(m for m in MODULES if m.code == code)
    return tuple(sorted(module.roles))
