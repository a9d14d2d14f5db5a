"""The portal's agency pages: public, published organizations only, no personal data, live
office hours, and a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.orgs import services
from weijian.orgs.office_hours import SHANGHAI
from weijian.portal.tests.conftest import (
    BUREAU,
    PRIVATE_NOTE,
    SOURCE,
    STAFF_PHONE,
    Linjiang,
)

PAGES = [
    "portal:organization",
    "portal:organization_departments",
    "portal:organization_leaders",
    "portal:organization_hours",
]


def page(client, name: str, pk: int) -> str:
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response.content.decode()


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# --- access -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_reads_a_published_organization(client, linjiang, name):
    html = page(client, name, linjiang.bureau.pk)
    assert BUREAU in html
    assert "首页" in html and "机构概况" in html  # the breadcrumb


@pytest.mark.parametrize("name", PAGES)
def test_an_unpublished_organization_is_404(client, linjiang, world, name):
    # The liaison hospital is in the registry but has not chosen to publish.
    hospital = linjiang.liaisons["临江市人民医院"]
    assert client.get(reverse(name, args=[hospital.pk])).status_code == 404
    assert client.get(reverse(name, args=[world.elsewhere.pk])).status_code == 404
    assert client.get(reverse(name, args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_a_closed_or_withdrawn_organization_is_404(client, linjiang, name):
    bureau = linjiang.bureau
    services.organization_details_update(
        actor=None,
        organization=bureau,
        plates=bureau.plates,
        publishes=True,
        opened_on=datetime.date(2019, 1, 1),
        closed_on=datetime.date(2020, 1, 1),
        source=SOURCE,
    )
    assert client.get(reverse(name, args=[bureau.pk])).status_code == 404
    services.organization_details_update(
        actor=None, organization=bureau, plates=bureau.plates, publishes=False, source=SOURCE
    )
    assert client.get(reverse(name, args=[bureau.pk])).status_code == 404


def test_a_signed_in_user_sees_the_same_public_page(client, linjiang, world):
    client.force_login(world.outsider)
    assert BUREAU in page(client, "portal:organization", linjiang.bureau.pk)


def test_the_list_shows_only_published_organizations(client, linjiang, world):
    html = client.get(reverse("portal:organization_list")).content.decode()
    assert BUREAU in html
    assert reverse("portal:organization", args=[linjiang.bureau.pk]) in html
    assert "临江市人民医院" not in html
    assert world.commission.name not in html


def test_the_home_page_links_to_the_published_agencies(client):
    html = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:organization_list") in html


# --- content ------------------------------------------------------------------------------


def test_profile_shows_plates_rank_duties_transformation_staffing_and_contact(client, linjiang):
    html = page(client, "portal:organization", linjiang.bureau.pk)
    assert "临江市中医药管理局、临江市疾病预防控制局" in html
    assert "正科级" in html
    assert "（一）" in html and "（三）" in html
    assert "协调推进深化医药卫生体制改革" in html
    assert "职能转变" in html and "更加注重预防为主和健康促进" in html
    assert "行政编制<strong>16</strong>名" in html
    assert "副局长" in html and "3名" in html
    assert "134600" in html and "0439—5258178" in html
    assert "临江市建国街道文化路1号" in html and "https://wjj.linjiang.example.cn/" in html


def test_departments_show_aliases_duties_and_supervising_leaders(client, linjiang):
    html = page(client, "portal:organization_departments", linjiang.bureau.pk)
    assert "办公室（人事科、安全生产科）" in html
    assert "疾病预防控制科（职业健康与食品科、政策法规科）" in html
    assert "负责机关日常运转" in html
    assert "机关党组织" in html and "负责机关及所属单位的党群工作" in html
    assert "分管领导：高彦、张纯波（协助）" in html
    assert "共7个机构" in html


def test_numbered_duties_of_a_department_are_listed(client, linjiang):
    services.duty_save(
        actor=None,
        organization=linjiang.bureau,
        department=linjiang.departments["基金监管科"],
        number=2,
        text="建立健全医疗保障信用评价体系。",
        source=SOURCE,
    )
    html = page(client, "portal:organization_departments", linjiang.bureau.pk)
    assert "（二）</span>建立健全医疗保障信用评价体系" in html


def test_leaders_show_titles_and_division_of_work(client, linjiang):
    html = page(client, "portal:organization_leaders", linjiang.bureau.pk)
    assert "梁东" in html and "党组书记、局长、一级主任科员" in html
    assert "主持市卫生健康和医疗保障局全面工作" in html
    assert html.index("梁东") < html.index("高彦") < html.index("史秀娟") < html.index("张纯波")
    assert (
        "办公室（人事科、安全生产科）、妇幼健康与家庭发展科、直属机关党委、宣传科(内设科室)" in html
    )
    assert "临江市人民医院、临江市疾病预防控制中心" in html
    assert "负责人事、党风廉政建设" in html  # 负责 added where the text lacks it
    assert "协助分管" in html and "联系单位" in html


def test_liaison_regions_are_listed_as_contact_points(client, linjiang):
    post = linjiang.bureau.posts.get(person__name="史秀娟")
    from weijian.orgs.models import Region

    services.leader_assignment_save(
        actor=None,
        post=post,
        responsibilities="负责疾病预防控制工作。",
        liaison_regions=[Region.objects.get(code="220681")],
        unresolved={"liaison_regions": ["大湖街道"]},
        source=SOURCE,
    )
    html = page(client, "portal:organization_leaders", linjiang.bureau.pk)
    assert "联系点" in html and "临江市、大湖街道" in html


def test_a_former_leader_is_not_listed(client, linjiang):
    post = linjiang.bureau.posts.get(person__name="张纯波")
    post.end_on = datetime.date(2024, 1, 1)
    post.save(update_fields=["end_on"])
    assert "张纯波" not in page(client, "portal:organization_leaders", linjiang.bureau.pk)


def test_hours_page_lists_both_seasons(client, linjiang):
    html = page(client, "portal:organization_hours", linjiang.bureau.pk)
    assert "春夏" in html and "5月1日至9月30日" in html and "13:30—17:00" in html
    assert "秋冬" in html and "10月1日至次年4月30日" in html and "13:00—16:30" in html
    assert "8:30—11:30" in html
    assert "0439—5258178" in html


def test_empty_sections_say_so(client, db):
    from weijian.conftest import make_org

    bare = make_org("某县卫生健康局", publishes=True)
    assert "暂未公布主要职责" in page(client, "portal:organization", bare.pk)
    assert "暂未公布内设机构" in page(client, "portal:organization_departments", bare.pk)
    assert "暂未公布领导分工" in page(client, "portal:organization_leaders", bare.pk)
    assert "暂未公布办公时间" in page(client, "portal:organization_hours", bare.pk)


# --- no personal data -------------------------------------------------------------------


@pytest.mark.parametrize("name", [*PAGES, "portal:organization_list"])
def test_no_personal_data_on_any_page(client, linjiang, name):
    args = [] if name == "portal:organization_list" else [linjiang.bureau.pk]
    html = client.get(reverse(name, args=args)).content.decode()
    for secret in [STAFF_PHONE, "linjiang_clerk", "林办事", PRIVATE_NOTE]:
        assert secret not in html


# --- office hours at frozen moments -------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        ("2024-11-25 09:00", "现在办公（上午 8:30—11:30）"),
        ("2024-11-25 12:10", "午间休息，下午 13:00 开始办公"),
        ("2024-11-25 16:45", "已下班，下次办公时间：11月26日（星期二）8:30"),
        ("2024-11-30 10:00", "今天是休息日，下次办公时间：12月2日（星期一）8:30"),
        ("2024-10-01 10:00", "今天是法定节假日（国庆节），下次办公时间：10月8日（星期二）8:30"),
        ("2024-02-04 14:00", "现在办公（下午 13:00—16:30）"),
        ("2024-06-03 13:15", "午间休息，下午 13:30 开始办公"),
        ("2024-06-03 16:45", "现在办公（下午 13:30—17:00）"),
        ("2024-06-08 09:00", "今天是休息日，下次办公时间：6月11日（星期二）8:30"),
        ("2024-05-01 09:00", "今天是法定节假日（劳动节），下次办公时间：5月6日（星期一）8:30"),
        ("2024-09-29 16:45", "现在办公（下午 13:30—17:00）"),
        ("2024-12-31 17:00", "已下班，下次办公时间：1月2日（星期四）8:30"),
    ],
)
def test_hours_page_says_whether_the_office_is_open(client, linjiang, moment, message):
    with time_machine.travel(at(moment), tick=False):
        html = page(client, "portal:organization_hours", linjiang.bureau.pk)
    assert message in html
    assert ("is-open" in html) == message.startswith("现在办公")


def test_the_current_season_is_marked(client, linjiang):
    with time_machine.travel(at("2024-06-03 10:00"), tick=False):
        html = page(client, "portal:organization_hours", linjiang.bureau.pk)
    assert html.index("当前执行") < html.index("秋冬")
    with time_machine.travel(at("2024-11-25 10:00"), tick=False):
        html = page(client, "portal:organization_hours", linjiang.bureau.pk)
    assert html.index("当前执行") > html.index("秋冬")


def test_other_pages_show_the_status_in_the_side_column(client, linjiang):
    with time_machine.travel(at("2024-10-01 10:00"), tick=False):
        html = page(client, "portal:organization", linjiang.bureau.pk)
    assert "今天是法定节假日（国庆节）" in html


def test_an_administrator_override_changes_the_answer(client, linjiang):
    from weijian.core.models import WorkdayOverride

    WorkdayOverride.objects.create(day=datetime.date(2024, 11, 25), is_workday=False, name="测试")
    with time_machine.travel(at("2024-11-25 09:00"), tick=False):
        html = page(client, "portal:organization_hours", linjiang.bureau.pk)
    assert "今天是节假日，下次办公时间：11月26日（星期二）8:30" in html


def test_a_year_without_holiday_data_does_not_break_the_page(client, linjiang):
    with time_machine.travel(at("2031-03-03 09:00"), tick=False):
        html = page(client, "portal:organization_hours", linjiang.bureau.pk)
    assert "2031年法定节假日安排尚未录入" in html


# --- query counts -------------------------------------------------------------------------


def _queries(client, name: str, pk: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client, name, pk)
    return len(queries)


def _grow(linjiang: Linjiang) -> None:
    """Twice the departments, more leaders and duties, a third schedule."""
    bureau = linjiang.bureau
    for index in range(8):
        department = services.department_save(
            actor=None,
            organization=bureau,
            name=f"新增科室{index}",
            order=20 + index,
            source=SOURCE,
        )
        services.duty_save(
            actor=None,
            organization=bureau,
            department=department,
            number=1,
            text="承担交办事项。",
            source=SOURCE,
        )
        post = services.post_save(
            actor=None,
            organization=bureau,
            person_name=f"新领导{index}",
            titles=["副局长"],
            order=20 + index,
            source=SOURCE,
        )
        services.leader_assignment_save(
            actor=None,
            post=post,
            responsibilities="负责新增工作。",
            supervised=[department],
            liaison_organizations=list(linjiang.liaisons.values()),
            source=SOURCE,
        )
        services.duty_save(
            actor=None, organization=bureau, number=10 + index, text="新增职责。", source=SOURCE
        )


@pytest.mark.parametrize("name", PAGES)
def test_each_page_runs_a_constant_number_of_queries(client, linjiang, name):
    client.get(reverse(name, args=[linjiang.bureau.pk]))  # warm up caches (sessions, content types)
    before = _queries(client, name, linjiang.bureau.pk)
    _grow(linjiang)
    after = _queries(client, name, linjiang.bureau.pk)
    assert before == after
    assert before <= 16  # the profile (12), the organization, department duties, calendar (2)


def test_the_list_runs_a_constant_number_of_queries(client, linjiang):
    from weijian.conftest import make_org

    before = _queries_list(client)
    for index in range(5):
        make_org(f"公开机构{index}", linjiang.bureau, publishes=True)
    assert _queries_list(client) == before


def _queries_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("portal:organization_list")).status_code == 200
    return len(queries)
