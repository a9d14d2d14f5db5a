"""一公开: staff of the plan owner publish one or all results, the plan moves 已完成 → 已公示,
overdue publication is flagged, and the daily command marks overdue rectifications and tells
the owner's staff once."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.notifications.models import Notification
from weijian.supervision.models import InspectionResult, PlanState, RectificationStatus
from weijian.supervision.tests.inspection_factories import Scene, build_scene, finish


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)


@pytest.fixture
def completed(scene) -> Scene:
    for inspection in scene.inspections:
        finish(inspection)
    scene.plan.state = PlanState.COMPLETED
    scene.plan.save()
    return scene


def publish_url(pk: int) -> str:
    return reverse("supervision:inspection_publish", args=[pk])


def plan_publish_url(pk: int) -> str:
    return reverse("supervision:plan_publish", args=[pk])


def test_staff_publish_one_result(login_as, completed, world):
    first, second = completed.inspections
    login_as(world.staff).post(publish_url(first.pk))
    first.refresh_from_db()
    completed.plan.refresh_from_db()
    assert first.published_at is not None
    assert completed.plan.state == PlanState.COMPLETED  # the second is not published yet
    assert AuditEvent.objects.filter(action="supervision.publish", object_id=str(first.pk)).exists()
    login_as(world.staff).post(publish_url(second.pk))
    completed.plan.refresh_from_db()
    assert completed.plan.state == PlanState.PUBLISHED
    assert AuditEvent.objects.filter(action="supervision.plan_state", summary__to="已公示").exists()


def test_staff_publish_a_whole_plan(login_as, completed, world):
    response = login_as(world.staff).post(plan_publish_url(completed.plan.pk), follow=True)
    assert "已公示2项检查结果" in response.content.decode()
    completed.plan.refresh_from_db()
    assert completed.plan.state == PlanState.PUBLISHED
    assert AuditEvent.objects.filter(action="supervision.publish").count() == 2


def test_publishing_before_completion_is_refused(login_as, scene, world):
    response = login_as(world.staff).post(publish_url(scene.inspections[0].pk), follow=True)
    assert "只有已完成的检查可以公示" in response.content.decode()
    scene.inspections[0].refresh_from_db()
    assert scene.inspections[0].published_at is None


def test_an_inspector_may_not_publish(login_as, completed, world):
    client = login_as(world.inspector)
    assert client.post(publish_url(completed.inspections[0].pk)).status_code == 403
    assert client.post(plan_publish_url(completed.plan.pk)).status_code == 403
    completed.inspections[0].refresh_from_db()
    assert completed.inspections[0].published_at is None
    assert AuditEvent.objects.filter(action="access.denied", actor=world.inspector).exists()


def test_staff_of_a_unit_below_the_owner_may_not_publish(login_as, completed, world):
    county_staff = make_user("county_staff", world.county, "科室人员")
    # The county's staff cannot even see the commission's plan.
    assert login_as(county_staff).post(plan_publish_url(completed.plan.pk)).status_code == 404
    assert login_as(county_staff).post(publish_url(completed.inspections[0].pk)).status_code == 404


def test_outsider_and_anonymous(client, login_as, completed, world):
    pk = completed.inspections[0].pk
    assert client.post(publish_url(pk)).status_code == 302
    plan_page = reverse("supervision:plan_inspections", args=[completed.plan.pk])
    assert client.get(plan_page).status_code == 302
    outsider = login_as(world.outsider)
    assert outsider.post(publish_url(pk)).status_code == 404
    assert outsider.post(plan_publish_url(completed.plan.pk)).status_code == 404
    assert outsider.get(plan_page).status_code == 404
    completed.inspections[0].refresh_from_db()
    assert completed.inspections[0].published_at is None


# --- overdue publication --------------------------------------------------------------------


def overdue(scene: Scene):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return finish(scene.inspections[0], due=yesterday)


def test_overdue_publication_is_flagged(login_as, scene, world):
    late = overdue(scene)
    client = login_as(world.staff)
    html = client.get(reverse("supervision:inspection_detail", args=[late.pk])).content.decode()
    assert 'id="publication-overdue"' in html
    plan_page = reverse("supervision:plan_inspections", args=[scene.plan.pk])
    assert "1项逾期未公示" in client.get(plan_page).content.decode()
    listing = client.get(reverse("supervision:my_inspections"), {"overdue": "on"})
    html = listing.content.decode()
    assert late.institution.name in html
    assert scene.institutions[1].name not in html


def test_a_late_publication_is_marked_late(login_as, scene, world):
    late = overdue(scene)
    login_as(world.staff).post(publish_url(late.pk))
    event = AuditEvent.objects.get(action="supervision.publish")
    assert event.summary["late"] is True


def test_the_daily_command_notifies_once(scene, world):
    overdue(scene)
    rectify = finish(scene.inspections[1], result=InspectionResult.RECTIFY)
    rectify.rectification_deadline = timezone.localdate() - datetime.timedelta(days=2)
    rectify.save()
    out = StringIO()
    call_command("check_publication_deadlines", stdout=out)
    rectify.refresh_from_db()
    assert rectify.rectification_status == RectificationStatus.OVERDUE
    notes = Notification.objects.filter(user=world.staff)
    assert notes.filter(kind="supervision.publication_overdue").count() == 1
    assert notes.filter(kind="supervision.rectification_overdue").count() == 1
    assert not Notification.objects.filter(user=world.inspector).exists()
    assert AuditEvent.objects.filter(action="supervision.deadline_check").count() == 1
    assert AuditEvent.objects.filter(action="supervision.rectification_overdue").count() == 1
    assert "逾期未公示" in out.getvalue()
    call_command("check_publication_deadlines", stdout=StringIO())
    assert Notification.objects.count() == 2
    assert AuditEvent.objects.filter(action="supervision.deadline_check").count() == 1


def test_the_command_accepts_a_date(scene):
    finish(scene.inspections[0], result=InspectionResult.RECTIFY)
    future = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    call_command("check_publication_deadlines", "--date", future, stdout=StringIO())
    scene.inspections[0].refresh_from_db()
    assert scene.inspections[0].rectification_status == RectificationStatus.OVERDUE


def test_the_plan_page_offers_publishing_to_staff_only(login_as, completed, world):
    url = reverse("supervision:plan_inspections", args=[completed.plan.pk])
    html = login_as(world.staff).get(url).content.decode()
    assert "公示全部已完成的检查结果（2项）" in html
    assert all(i.name in html for i in completed.institutions)
    assert "公示全部" not in login_as(world.leader).get(url).content.decode()
    assert login_as(world.county_reporter).get(url).status_code == 403


def test_the_plan_page_runs_a_constant_number_of_queries(
    login_as, completed, world, django_assert_max_num_queries
):
    from weijian.supervision.tests.factories import make_institution
    from weijian.supervision.tests.inspection_factories import make_inspection

    client = login_as(world.staff)
    url = reverse("supervision:plan_inspections", args=[completed.plan.pk])
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for n in range(12):
        institution = make_institution(world.county, f"加测诊所{n}")
        finish(make_inspection(completed.plan, completed.draw, institution, completed.members))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert "加测诊所11" in response.content.decode()


def test_the_list_filters_by_plan_and_state(login_as, completed, world):
    client = login_as(world.staff)
    url = reverse("supervision:my_inspections")
    html = client.get(url, {"plan": completed.plan.pk, "state": "completed"}).content.decode()
    assert completed.institutions[0].name in html
    pending = client.get(url, {"state": "pending"}).content.decode()
    assert completed.institutions[0].name not in pending
    assert "没有符合条件的检查" in client.get(url, {"plan": 999_999}).content.decode()
