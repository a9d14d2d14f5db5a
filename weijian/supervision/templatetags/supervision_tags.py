"""The 综合监管 tab bar: a tab shows only when its page exists and the user may open it."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from weijian.accounts.roles import Role, has_role

register = template.Library()

# (tab code, label, URL name, roles that see it: None = every reader of the module)
TABS: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("institutions", "机构名录", "supervision:institution_list", None),
    ("practitioners", "医务人员", "supervision:practitioner_list", (Role.STAFF, Role.LEADER)),
    ("inspectors", "执法人员", "supervision:inspector_list", None),
    ("experts", "专家库", "supervision:expert_list", (Role.STAFF, Role.LEADER)),
    ("items", "抽查事项", "supervision:item_list", None),
    ("plans", "抽查计划", "supervision:plan_list", None),
    ("mine", "检查记录", "supervision:my_inspections", None),
    ("summary", "年度汇总", "supervision:annual_summary", (Role.STAFF, Role.LEADER)),
)


@register.inclusion_tag("supervision/_nav.html", takes_context=True)
def supervision_nav(context: dict[str, Any], tab: str = "") -> dict[str, Any]:
    user = context["request"].user
    tabs = []
    for code, label, url_name, roles in TABS:
        if roles is not None and not has_role(user, *roles):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        tabs.append({"code": code, "label": label, "url": url})
    return {"tabs": tabs, "tab": tab}
