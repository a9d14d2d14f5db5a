"""Review of inspections, publication, the summary and the daily command: an inspector outside
the group, photo headers, a redraw and stale pages, double clicks, working days, the summary's
numbers on a hand-made scenario, and who the daily command tells."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.core.workdays import add_workdays
from weijian.notifications.models import Notification
from weijian.supervision.models import (
    CheckOutcome,
    CheckResult,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionState,
    PlanState,
    RectificationStatus,
)
from weijian.supervision.services import inspections as recording
from weijian.supervision.services import publication
from weijian.supervision.summary import annual_summary
from weijian.supervision.tests.factories import make_inspector, make_institution
from weijian.supervision.tests.inspection_factories import (
    Scene,
    build_scene,
    finish,
    make_draw,
    make_inspection,
    make_plan,
    png_bytes,
)


@pytest.fixture
def scene(world, settings, tmp_path) -> Scene:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_scene(world)


def answered(scene: Scene, inspection: Inspection) -> recording.Record:
    return recording.Record(
        inspected_on=timezone.localdate(),
        result=InspectionResult.NO_PROBLEM,
        summary="未发现问题",
        rectification_deadline=None,
        checks=[
            recording.CheckEntry(cp.pk, CheckOutcome.CONFORMS, "")
            for cp in scene.item.checkpoints.all()
        ],
    )


def photo(world, inspection: Inspection) -> InspectionPhoto:
    upload = SimpleUploadedFile("x.png", png_bytes(), content_type="image/png")
    return recording.photo_add(actor=world.inspector, inspection=inspection, upload=upload)


# --- an inspector outside the group ---------------------------------------------------------


def test_an_inspector_outside_the_group_can_do_nothing(login_as, scene, world):
    stranger = make_user("inspector3", world.commission, Role.INSPECTOR, full_name="吴执法")
    make_inspector(world.commission, "吴执法", user=stranger)
    inspection = scene.inspections[0]
    picture = photo(world, inspection)
    client = login_as(stranger)
    pk = inspection.pk
    assert client.get(reverse("supervision:inspection_detail", args=[pk])).status_code == 404
    assert client.post(reverse("supervision:inspection_record", args=[pk])).status_code == 404
    upload = SimpleUploadedFile("y.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("supervision:inspection_photo_add", args=[pk]), {"file": upload})
    assert response.status_code == 404
    assert client.get(reverse("supervision:inspection_photo", args=[picture.pk])).status_code == 404
    delete = reverse("supervision:inspection_photo_delete", args=[picture.pk])
    assert client.post(delete).status_code == 404
    assert InspectionPhoto.objects.count() == 1
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PENDING
    with pytest.raises(Exception, match="检查组成员"):
        recording.inspection_record(
            actor=stranger, inspection=inspection, record=answered(scene, inspection)
        )
    # The plan's page lists only his own group's inspections (none), like 我的检查.
    html = client.get(reverse("supervision:plan_inspections", args=[scene.plan.pk]))
    assert scene.institutions[0].name not in html.content.decode()
    assert AuditEvent.objects.filter(action="access.denied", actor=stranger).exists()


def test_a_photo_is_served_with_safe_headers(login_as, scene, world):
    picture = photo(world, scene.inspections[0])
    response = login_as(world.staff).get(reverse("supervision:inspection_photo", args=[picture.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_a_stored_file_of_another_kind_is_only_downloaded(login_as, scene, world):
    picture = photo(world, scene.inspections[0])
    html_name = picture.file.name.rsplit(".", 1)[0] + ".html"
    picture.file.storage.save(html_name, SimpleUploadedFile("z.html", b"<script>1</script>"))
    InspectionPhoto.objects.filter(pk=picture.pk).update(file=html_name)
    response = login_as(world.staff).get(reverse("supervision:inspection_photo", args=[picture.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- redraws, stale pages and double clicks -------------------------------------------------


def test_a_superseded_inspection_is_neither_recorded_nor_published(scene, world):
    inspection = Inspection.objects.select_related("draw").get(pk=scene.inspections[0].pk)
    finished = finish(scene.inspections[1])
    scene.draw.is_current = False
    scene.draw.save()
    make_draw(scene.plan)
    with pytest.raises(ValidationError, match="重新抽取"):
        recording.inspection_record(
            actor=world.inspector, inspection=inspection, record=answered(scene, inspection)
        )
    with pytest.raises(ValidationError, match="重新抽取"):
        photo(world, inspection)
    with pytest.raises(ValidationError):
        publication.publish_inspection(actor=world.staff, inspection=finished)
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.DRAWN
    assert not Inspection.objects.filter(published_at__isnull=False).exists()


def test_a_page_left_open_across_a_redraw_does_not_bring_the_inspection_back(
    scene, world, monkeypatch
):
    """The redraw lands between the membership check and the write (a race): the write, made
    under the plan's lock, finds the inspection gone and stops instead of inserting it again."""
    stale = Inspection.objects.select_related("draw").get(pk=scene.inspections[0].pk)
    monkeypatch.setattr(recording, "require_group_member", lambda **kwargs: None)
    monkeypatch.setattr(recording, "require_open", lambda inspection: None)
    scene.inspections[0].delete()  # what a redraw does to the old draw's inspections
    with pytest.raises(ValidationError, match="重新抽取"):
        recording.inspection_record(
            actor=world.inspector, inspection=stale, record=answered(scene, stale)
        )
    assert not Inspection.objects.filter(pk=stale.pk).exists()


def test_completing_twice_from_two_pages_completes_once(scene, world):
    inspection = scene.inspections[0]
    recording.inspection_record(
        actor=world.inspector, inspection=inspection, record=answered(scene, inspection)
    )
    first = Inspection.objects.get(pk=inspection.pk)
    second = Inspection.objects.get(pk=inspection.pk)
    recording.inspection_complete(actor=world.inspector, inspection=first)
    with pytest.raises(ValidationError, match="已完成"):
        recording.inspection_complete(actor=world.inspector, inspection=second)
    with pytest.raises(ValidationError, match="已完成"):
        recording.inspection_record(
            actor=world.inspector, inspection=second, record=answered(scene, second)
        )
    assert AuditEvent.objects.filter(action="supervision.inspection_complete").count() == 1


def test_publishing_twice_from_two_pages_publishes_once(scene, world):
    for inspection in scene.inspections:
        finish(inspection)
    scene.plan.state = PlanState.COMPLETED
    scene.plan.save()
    first = Inspection.objects.get(pk=scene.inspections[0].pk)
    second = Inspection.objects.get(pk=scene.inspections[0].pk)
    publication.publish_inspection(actor=world.staff, inspection=first)
    with pytest.raises(ValidationError):
        publication.publish_inspection(actor=world.staff, inspection=second)
    assert AuditEvent.objects.filter(action="supervision.publish").count() == 1
    assert publication.publish_plan(actor=world.staff, plan=scene.plan) == 1
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.PUBLISHED
    with pytest.raises(ValidationError):
        publication.publish_plan(actor=world.staff, plan=scene.plan)
    assert AuditEvent.objects.filter(action="supervision.publish").count() == 2


def test_the_plan_completes_on_its_current_draw_only(scene, world):
    """An old draw's inspection left open does not keep the plan in 检查中."""
    old_draw = scene.draw
    stray = make_inspection(
        scene.plan, old_draw, make_institution(world.county, "旧抽取诊所"), scene.members
    )
    old_draw.is_current = False
    old_draw.save()
    draw = make_draw(scene.plan)
    current = make_inspection(scene.plan, draw, scene.institutions[0], scene.members)
    recording.inspection_record(
        actor=world.inspector, inspection=current, record=answered(scene, current)
    )
    recording.inspection_complete(actor=world.inspector, inspection=current)
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.COMPLETED
    assert Inspection.objects.get(pk=stray.pk).state == InspectionState.PENDING
    publication.publish_plan(actor=world.staff, plan=scene.plan)
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.PUBLISHED
    assert Inspection.objects.get(pk=stray.pk).published_at is None


# --- working days ---------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["2025-09-26 18:30", "2025-09-30 23:30"])
def test_the_publication_deadline_counts_working_days_on_the_local_date(scene, world, moment):
    """Completed late in the evening in Beijing (already the next day nowhere else matters):
    the deadline counts working days from the local date, over weekends and the National Day
    holiday."""
    inspection = scene.inspections[0]
    local = datetime.datetime.fromisoformat(moment).replace(tzinfo=timezone.get_current_timezone())
    scene.draw.drawn_at = local - datetime.timedelta(days=3)
    scene.draw.save()
    with time_machine.travel(local, tick=False):
        record = answered(scene, inspection)
        recording.inspection_record(actor=world.inspector, inspection=inspection, record=record)
        recording.inspection_complete(actor=world.inspector, inspection=inspection)
    inspection.refresh_from_db()
    completed_on = local.date()
    assert inspection.publication_due == add_workdays(completed_on, 20)
    assert inspection.publication_due > completed_on + datetime.timedelta(days=20)


def test_no_weekday_arithmetic_in_these_modules():
    root = Path(__file__).resolve().parents[1]
    files = [
        "services/inspections.py",
        "services/publication.py",
        "selectors_inspections.py",
        "forms_inspections.py",
        "summary.py",
        "views/inspections.py",
        "management/commands/check_publication_deadlines.py",
        "../portal/supervision_selectors.py",
        "../portal/supervision_views.py",
    ]
    for name in files:
        text = (root / name).read_text(encoding="utf-8")
        assert not re.search(r"weekday\(|isoweekday|date\.today\(|datetime\.now\(", text), name


# --- the summary on a hand-made scenario ----------------------------------------------------


def test_the_summary_on_a_hand_made_scenario(world):
    """Plan A (commission, 5 institutions): 1 no problem published on time, 1 rectify (rectified,
    with 2 non-conforming points) published late, 1 case unpublished and overdue, 1 rectify past
    its deadline unpublished but not yet due, 1 still a draft with a non-conforming answer.
    Plan B (county, same item): redrawn; its old draw had a completed case, its current draw one
    pending inspection. Plan C: another item, no draw. Plan D: last year."""
    today = timezone.localdate()
    scene = build_scene(world, institutions=5)
    a = scene.inspections
    finish(a[0], published=True, due=today)
    finish(a[1], result=InspectionResult.RECTIFY, published=True, due=today - datetime.timedelta(5))
    Inspection.objects.filter(pk=a[1].pk).update(rectification_status=RectificationStatus.DONE)
    for check in list(CheckResult.objects.filter(inspection=a[1]))[:2]:
        check.outcome = CheckOutcome.NONCONFORMS
        check.save()
    finish(a[2], result=InspectionResult.CASE, due=today - datetime.timedelta(1))
    finish(a[3], result=InspectionResult.RECTIFY, due=today + datetime.timedelta(3))
    past = today - datetime.timedelta(1)
    Inspection.objects.filter(pk=a[3].pk).update(rectification_deadline=past)
    a[4].state = InspectionState.RECORDING
    a[4].save()
    CheckResult.objects.create(
        inspection=a[4],
        check_point=scene.item.checkpoints.order_by("order")[0],
        outcome=CheckOutcome.NONCONFORMS,
    )
    plan_b = make_plan(world.county, scene.item, title="县级计划")
    old = make_draw(plan_b)
    finish(
        make_inspection(plan_b, old, make_institution(world.county, "旧诊所"), scene.members),
        result=InspectionResult.CASE,
        published=True,
    )
    old.is_current = False
    old.save()
    new = make_draw(plan_b)
    make_inspection(plan_b, new, make_institution(world.county, "新诊所"), scene.members)
    from weijian.supervision.tests.factories import make_item

    other_item = make_item(world.commission, name="传染病防治")
    make_plan(world.commission, other_item, title="无抽取的计划")
    make_plan(world.commission, scene.item, year=today.year - 1, title="去年的计划")

    summary = annual_summary(user=world.staff, year=today.year, today=today)
    rows = {row.item: row.counts for row in summary.rows}
    row = rows[str(scene.item)]
    expected = {
        "plans": 2,
        "drawn": 6,
        "inspected": 4,
        "result_no_problem": 1,
        "result_rectify": 2,
        "result_case": 1,
        "nonconforming": 2,
        "rectify_ordered": 2,
        "rectified": 1,
        "rectification_overdue": 1,
        "on_time": 1,
        "late": 1,
        "overdue": 1,
        "unpublished": 2,
    }
    assert {key: row.get(key, 0) for key in expected} == expected
    assert rows[str(other_item)] == {"plans": 1}
    assert summary.total.counts["plans"] == 3 and summary.total.counts["drawn"] == 6
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    county = annual_summary(user=county_staff, year=today.year, today=today).rows
    assert [(r.item, r.counts["plans"], r.counts["drawn"]) for r in county] == [
        (str(scene.item), 1, 1)
    ]


# --- the daily command ----------------------------------------------------------------------


def test_the_daily_command_tells_the_owners_staff_only_and_once(scene, world):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    finish(scene.inspections[0], due=yesterday)
    rectify = finish(scene.inspections[1], result=InspectionResult.RECTIFY)
    Inspection.objects.filter(pk=rectify.pk).update(
        rectification_deadline=yesterday - datetime.timedelta(days=1)
    )
    second_staff = make_user("staff2", world.commission, Role.STAFF)
    retired = make_user("staff_retired", world.commission, Role.STAFF)
    retired.is_active = False
    retired.save()
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    # A superseded draw's overdue inspection of another plan tells nobody.
    other = make_plan(world.commission, scene.item, title="重新抽取过的计划")
    old = make_draw(other)
    finish(
        make_inspection(other, old, make_institution(world.county, "旧"), scene.members),
        due=yesterday,
    )
    old.is_current = False
    old.save()
    call_command("check_publication_deadlines", stdout=StringIO())
    told = set(Notification.objects.values_list("user__username", "kind"))
    assert told == {
        (user.username, kind)
        for user in (world.staff, second_staff)
        for kind in ("supervision.publication_overdue", "supervision.rectification_overdue")
    }
    assert not Notification.objects.filter(title__contains="重新抽取过的计划").exists()
    for user in (retired, county_staff, world.leader, world.inspector, world.outsider):
        assert not Notification.objects.filter(user=user).exists()
    before = Notification.objects.count()
    out = StringIO()
    call_command("check_publication_deadlines", stdout=out)
    assert Notification.objects.count() == before
    assert "发送消息 0 条" in out.getvalue()
    assert AuditEvent.objects.filter(action="supervision.rectification_overdue").count() == 1
