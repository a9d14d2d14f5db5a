"""Posts, 免职, the leaders' division of work and a person's history, over HTTP."""

from __future__ import annotations

import datetime

import pytest

from weijian.core.models import AuditEvent
from weijian.orgs import services
from weijian.orgs.models import LeaderAssignment, Person, Post
from weijian.orgs.tests.registry_helpers import build_bureau, signed_in, url

pytestmark = pytest.mark.django_db


def test_editor_creates_a_post_for_a_new_person(client, world):
    response = signed_in(client, world.commission_admin).post(
        url("post_create", world.county.pk),
        {
            "person_name": "梁  东",
            "titles": "党组书记、局长",
            "grade": "一级主任科员",
            "is_leader": "on",
            "order": 1,
            "start_on": "2021-03-01",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(organization=world.county)
    assert post.person.name == "梁东"
    assert post.titles == ["党组书记", "局长"] and post.grade == "一级主任科员"
    assert AuditEvent.objects.filter(action="post.save", object_id=str(post.pk)).exists()


def test_post_form_errors_are_in_chinese(client, world):
    response = signed_in(client, world.commission_admin).post(
        url("post_create", world.county.pk),
        {
            "person_name": "梁东",
            "titles": "、",
            "order": 0,
            "start_on": "2021-03-01",
            "end_on": "2020-01-01",
        },
    )
    html = response.content.decode()
    assert "请填写职务" in html and "离任日期不能早于任职日期" in html
    assert not Post.objects.exists() and not Person.objects.exists()


def test_editor_edits_a_post_but_not_its_person(client, world):
    post = build_bureau(world).leaders[1]
    response = signed_in(client, world.commission_admin).post(
        url("post_edit", post.pk),
        {"person_name": "别人", "titles": "副局长、党组成员", "order": 3, "is_leader": "on"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.titles == ["副局长", "党组成员"] and post.person.name == "领导1"


def test_post_end_removes_the_leader_and_keeps_the_history(client, world):
    post = build_bureau(world).leaders[1]
    Post.objects.filter(pk=post.pk).update(start_on=datetime.date(2020, 1, 1))
    services.post_save(
        actor=None,
        organization=world.county,
        person_name="领导1",
        titles=["科员"],
        is_leader=False,
        start_on=datetime.date(2010, 1, 1),
        end_on=datetime.date(2015, 1, 1),
    )
    signed_in(client, world.commission_admin)
    assert "免职" in client.get(url("post_end", post.pk)).content.decode()
    response = client.post(url("post_end", post.pk), {"end_on": "2024-06-30"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.end_on == datetime.date(2024, 6, 30)
    assert AuditEvent.objects.filter(action="post.end", object_id=str(post.pk)).exists()
    profile = client.get(url("organization_profile", world.county.pk))
    assert post not in [p for p, _ in profile.context["supervision"]]
    assert "已于2024-06-30离任" in profile.content.decode()
    history = client.get(url("person_detail", post.person_id))
    rows = [(p.organization.name, p.title_text) for p in history.context["posts"]]
    assert rows == [("莲花县卫生健康委员会", "副局长"), ("莲花县卫生健康委员会", "科员")]


def test_post_end_before_the_start_is_refused(client, world):
    post = services.post_save(
        actor=None,
        organization=world.county,
        person_name="梁东",
        titles=["局长"],
        start_on=datetime.date(2020, 1, 1),
    )
    response = signed_in(client, world.commission_admin).post(
        url("post_end", post.pk), {"end_on": "2019-12-31"}
    )
    assert response.status_code == 200
    assert "离任日期不能早于任职日期" in response.content.decode()
    post.refresh_from_db()
    assert post.end_on is None


def test_person_history_only_within_scope(client, world):
    services.post_save(actor=None, organization=world.county, person_name="梁东", titles=["局长"])
    post = services.post_save(
        actor=None, organization=world.elsewhere, person_name="梁东", titles=["主任"]
    )
    person = Post.objects.get(organization=world.county).person
    assert post.person != person  # person_for looks for the name within the organization
    page = signed_in(client, world.county_reporter).get(url("person_detail", person.pk))
    assert "局长" in page.content.decode() and "渝中区" not in page.content.decode()


def test_editor_sets_the_division_of_work(client, world):
    bureau = build_bureau(world)
    post = bureau.leaders[0]
    office, medical = bureau.departments
    response = signed_in(client, world.commission_admin).post(
        url("leader_assignment_edit", post.pk),
        {
            "responsibilities": "主持全面工作。",
            "supervised": [office.pk],
            "assisted": [medical.pk],
            "liaison_organizations": [world.hospital.pk],
            "liaison_regions": "360321、360300",
        },
    )
    assert response.status_code == 302
    assignment = LeaderAssignment.objects.get(post=post)
    assert assignment.responsibilities == "主持全面工作。"
    assert list(assignment.supervised_departments.all()) == [office]
    assert list(assignment.assisted_departments.all()) == [medical]
    assert list(assignment.liaison_organizations.all()) == [world.hospital]
    assert sorted(r.code for r in assignment.liaison_regions.all()) == ["360300", "360321"]
    assert AuditEvent.objects.filter(
        action="leader_assignment.save", actor=world.commission_admin
    ).exists()


def test_division_form_offers_checkboxes_of_the_organization_departments(client, world):
    bureau = build_bureau(world)
    page = signed_in(client, world.commission_admin).get(
        url("leader_assignment_edit", bureau.leaders[0].pk)
    )
    html = page.content.decode()
    assert html.count('type="checkbox" name="supervised"') == 2
    office = bureau.departments[0].pk
    assert f'name="supervised" value="{office}" id="id_supervised_0" checked' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"supervised": "dept0", "assisted": "dept0"}, "同一科室不能既分管又协助分管：办公室"),
        ({"liaison_regions": "360321 999999"}, "系统中没有这些区划代码：999999"),
        ({"liaison_organizations": "elsewhere"}, "选择一个有效的选项"),
    ],
)
def test_division_errors_are_in_chinese_and_nothing_changes(client, world, data, message):
    bureau = build_bureau(world)
    post = bureau.leaders[0]
    values = {"dept0": bureau.departments[0].pk, "elsewhere": world.elsewhere.pk}
    form = {key: values.get(value, value) for key, value in data.items()}
    before = AuditEvent.objects.count()
    response = signed_in(client, world.commission_admin).post(
        url("leader_assignment_edit", post.pk), {"responsibilities": "改", **form}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert LeaderAssignment.objects.get(post=post).responsibilities == "负责工作0"
    assert AuditEvent.objects.count() == before


def test_division_keeps_what_an_import_could_not_match(client, world):
    post = build_bureau(world).leaders[0]
    services.leader_assignment_save(
        actor=None, post=post, responsibilities="旧", unresolved={"liaisons": ["某乡卫生院"]}
    )
    signed_in(client, world.commission_admin)
    assert "某乡卫生院" in client.get(url("leader_assignment_edit", post.pk)).content.decode()
    client.post(url("leader_assignment_edit", post.pk), {"responsibilities": "新"})
    assignment = LeaderAssignment.objects.get(post=post)
    assert assignment.responsibilities == "新"
    assert assignment.unresolved == {"liaisons": ["某乡卫生院"]}
