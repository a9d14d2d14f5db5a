"""Registry data for the back-office tests, built through the services as an editor would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.test import Client
from django.urls import reverse

from weijian.accounts.models import User
from weijian.conftest import World
from weijian.orgs import services
from weijian.orgs.models import Committee, Department, Organization, Post

T = datetime.time


def url(name: str, *args: object) -> str:
    return reverse(f"orgs:{name}", args=args)


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@dataclass
class Bureau:
    organization: Organization
    departments: list[Department] = field(default_factory=list)
    leaders: list[Post] = field(default_factory=list)
    liaison: Organization | None = None


def build_bureau(world: World, *, departments: int = 2, leaders: int = 2) -> Bureau:
    """The county commission with departments, leaders who supervise them and liaise with the
    hospital, staffing, duties, a boundary and office hours."""
    actor = world.commission_admin
    org = world.county
    bureau = Bureau(organization=org, liaison=world.hospital)
    services.organization_details_update(
        actor=actor, organization=org, plates=["莲花县中医药管理局"], rank="正科级"
    )
    names = ["办公室", "医政医管科", *[f"第{i}科" for i in range(3, departments + 1)]]
    for index, name in enumerate(names[:departments]):
        aliases = ["人事科", "安全生产科"] if name == "办公室" else []
        bureau.departments.append(
            services.department_save(
                actor=actor, organization=org, name=name, aliases=aliases, order=index
            )
        )
    services.duty_save(actor=actor, organization=org, number=1, text="贯彻执行卫生健康法律法规。")
    services.duty_save(
        actor=actor, organization=org, number=1, text="更加注重预防为主。", kind="transformation"
    )
    services.duty_boundary_save(
        actor=actor, organization=org, other_name="莲花县医疗保障局", text="医保目录由医保局负责。"
    )
    services.staffing_save(
        actor=actor, organization=org, administrative=16, posts=[("局长", 1), ("副局长", 1)]
    )
    for index in range(leaders):
        title = "局长" if index == 0 else "副局长"
        post = services.post_save(
            actor=actor, organization=org, person_name=f"领导{index}", titles=[title], order=index
        )
        supervised = bureau.departments[index % len(bureau.departments) :][:1]
        assisted = [d for d in bureau.departments if d not in supervised][:1] if index else []
        services.leader_assignment_save(
            actor=actor,
            post=post,
            responsibilities=f"负责工作{index}",
            supervised=supervised,
            assisted=assisted,
            liaison_organizations=[world.hospital] if index % 2 else [],
        )
        bureau.leaders.append(post)
    services.office_hours_save(
        actor=actor,
        organization=org,
        season="秋冬",
        morning=(T(8, 30), T(12, 0)),
        afternoon=(T(14, 30), T(17, 30)),
        start=(10, 1),
        end=(4, 30),
    )
    return bureau


def build_committee(world: World) -> Committee:
    """A leading group hosted by the county, with a joint meeting below it."""
    actor = world.commission_admin
    group = services.committee_save(
        actor=actor,
        host=world.county,
        name="莲花县深化医改领导小组",
        kind="领导小组",
        office_location="县卫生健康委员会",
        meeting_rule="每半年1次",
    )
    for role, name, post in [
        ("组长", "刘县长", "县长"),
        ("副组长", "王副县长", "副县长"),
        ("成员", "陈主任", "县卫健委主任"),
        ("办公室主任", "陈主任", "县卫健委主任"),
    ]:
        services.committee_member_save(
            actor=actor, committee=group, role=role, person_name=name, post_text=post
        )
    meeting = services.committee_save(
        actor=actor, host=world.county, name="医改联席会议", kind="联席会议", parent=group
    )
    services.committee_member_save(
        actor=actor, committee=meeting, role="召集人", person_name="王副县长", post_text="副县长"
    )
    services.committee_member_save(
        actor=actor,
        committee=meeting,
        role="成员单位",
        organization_name="莲花县财政局",
        liaison_name="李联络",
        liaison_post="预算股股长",
    )
    return group
