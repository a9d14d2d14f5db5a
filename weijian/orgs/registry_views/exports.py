"""Excel downloads: an organization's structure and a committee's roster. Each is audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse

from weijian.core import audit
from weijian.core.xlsx import Sheet, xlsx_response
from weijian.orgs import registry_pages, registry_selectors, selectors
from weijian.orgs.models import MemberRole, OfficeHours, Organization
from weijian.orgs.registry_selectors import CommitteeRoster, OrganizationProfile
from weijian.orgs.registry_views.common import actor, read_view

Row = list[Any]


def _names(items: Any) -> str:
    return "、".join(item.name for item in items)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _overview(organization: Organization) -> Iterator[Row]:
    yield ["名称", organization.name]
    yield ["加挂牌子", "、".join(organization.plates)]
    yield ["机构规格", organization.rank]
    yield ["类别", organization.get_kind_display()]
    yield ["所在区划", organization.region.name if organization.region else ""]
    yield ["上级单位", organization.parent.name if organization.parent else ""]
    yield ["办公地址", organization.address]
    yield ["邮政编码", organization.postcode]
    yield ["联系电话", organization.phone]
    yield ["网站", organization.website]
    yield ["成立日期", _day(organization.opened_on)]
    yield ["撤销日期", _day(organization.closed_on)]


def _duties(profile: OrganizationProfile, by_department: dict[int, list[Any]]) -> Iterator[Row]:
    for duty in profile.duties:
        yield ["本单位", duty.get_kind_display(), duty.number, duty.text]
    for department in profile.departments:
        for duty in by_department.get(department.pk, []):
            yield [department.name, duty.get_kind_display(), duty.number, duty.text]


def _staffing(profile: OrganizationProfile) -> Iterator[Row]:
    if profile.staffing is None:
        return
    filled = registry_pages.filled_posts(profile=profile)
    yield ["行政编制", profile.staffing.administrative, ""]
    for quota in profile.staffing.posts.all():
        yield [quota.title, quota.count, filled.get(quota.title, 0)]
    if profile.staffing.note:
        yield ["说明", profile.staffing.note, ""]


def _division(profile: OrganizationProfile) -> Iterator[Row]:
    for post in profile.leaders:
        assignment = getattr(post, "assignment", None)
        yield [
            post.person.name,
            post.title_text,
            post.grade,
            assignment.responsibilities if assignment else "",
            _names(assignment.supervised_departments.all()) if assignment else "",
            _names(assignment.assisted_departments.all()) if assignment else "",
            _names(assignment.liaison_organizations.all()) if assignment else "",
            _names(assignment.liaison_regions.all()) if assignment else "",
        ]


def _month_day(month: int | None, day: int | None) -> str:
    return f"{month}月{day}日" if month and day else ""


def _session(start: Any, end: Any) -> str:
    return f"{start:%H:%M}—{end:%H:%M}" if start and end else ""


def _hours(hours: list[OfficeHours]) -> Iterator[Row]:
    for entry in hours:
        yield [
            entry.season,
            _month_day(entry.start_month, entry.start_day) or "全年",
            _month_day(entry.end_month, entry.end_day),
            _session(entry.morning_start, entry.morning_end),
            _session(entry.afternoon_start, entry.afternoon_end),
        ]


def organization_sheets(organization: Organization) -> list[Sheet]:
    profile = registry_selectors.organization_profile(organization=organization)
    by_department = registry_pages.department_duties(organization=organization)
    return [
        Sheet("概况", ["项目", "内容"], _overview(organization)),
        Sheet(
            "内设机构",
            ["序号", "名称", "别名", "类别", "职责"],
            (
                [i, d.name, "、".join(d.aliases), d.get_kind_display(), d.duties]
                for i, d in enumerate(profile.departments, start=1)
            ),
        ),
        Sheet("职责", ["所属", "类别", "序号", "内容"], _duties(profile, by_department)),
        Sheet(
            "职责分工",
            ["对方单位", "分工内容"],
            ([b.other_name, b.text] for b in profile.boundaries),
        ),
        Sheet("编制", ["职务", "核定", "实有"], _staffing(profile)),
        Sheet(
            "领导分工",
            ["姓名", "职务", "职级", "负责工作", "分管科室", "协助分管", "联系单位", "联系点"],
            _division(profile),
        ),
        Sheet("办公时间", ["时段", "起始", "截止", "上午", "下午"], _hours(profile.office_hours)),
    ]


@read_view
def organization_export(request: HttpRequest, pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=pk)
    sheets = organization_sheets(organization)
    audit.record(
        action="data.export",
        actor=actor(request),
        obj=organization,
        organization=organization,
        summary={"what": f"机构信息：{organization.name}", "format": "xlsx"},
    )
    return xlsx_response(stem=f"{organization.name}-机构信息", sheets=sheets)


def _members(roster: CommitteeRoster) -> Iterator[Row]:
    for group in [roster, *roster.subgroups]:
        for m in group.members:
            if m.role != MemberRole.MEMBER_ORGANIZATION:
                yield [
                    group.committee.name,
                    m.role,
                    m.person_name,
                    m.post_text,
                    m.organization_name,
                ]


def _member_organizations(roster: CommitteeRoster) -> Iterator[Row]:
    for group in [roster, *roster.subgroups]:
        for m in group.members:
            if m.role == MemberRole.MEMBER_ORGANIZATION:
                yield [group.committee.name, m.organization_name, m.liaison_name, m.liaison_post]


@read_view
def committee_export(request: HttpRequest, pk: int) -> HttpResponse:
    committee = registry_selectors.committee_get(user=request.user, pk=pk)
    roster = registry_selectors.committee_roster(committee=committee)
    sheets = [
        Sheet("成员", ["所属机构", "身份", "姓名", "职务", "单位"], _members(roster)),
        Sheet(
            "成员单位",
            ["所属机构", "成员单位", "联络员", "联络员职务"],
            _member_organizations(roster),
        ),
    ]
    audit.record(
        action="data.export",
        actor=actor(request),
        obj=committee,
        organization=committee.host,
        summary={"what": f"议事协调机构成员名单：{committee.name}", "format": "xlsx"},
    )
    return xlsx_response(stem=f"{committee.name}-成员名单", sheets=sheets)
