"""Recording an inspection: who may see and record it, the checklist, the dates, completion
with its Chinese refusals, the plan's state moves and the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from weijian.core.models import AuditEvent
from weijian.core.workdays import add_workdays
from weijian.supervision.models import (
    CheckOutcome,
    CheckResult,
    InspectionResult,
    InspectionState,
    PlanState,
    RectificationStatus,
)
from weijian.supervision.tests.inspection_factories import Scene, build_scene, finish


@pytest.fixture
def scene(world) -> Scene:
    return build_scene(world)


def detail(pk: int) -> str:
    return reverse("supervision:inspection_detail", args=[pk])


def record_url(pk: int) -> str:
    return reverse("supervision:inspection_record", args=[pk])


def form_data(scene: Scene, *, outcomes=None, notes=None, **facts) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "inspected_on": today.isoformat(),
        "result": InspectionResult.NO_PROBLEM,
        "summary": "现场检查未发现问题。",
        "rectification_deadline": "",
    }
    data.update({k: str(v) for k, v in facts.items()})
    checkpoints = list(scene.item.checkpoints.order_by("order"))
    outcomes = outcomes if outcomes is not None else [CheckOutcome.CONFORMS] * len(checkpoints)
    notes = notes or [""] * len(checkpoints)
    for cp, outcome, note in zip(checkpoints, outcomes, notes, strict=False):
        data[f"cp{cp.pk}_outcome"] = outcome
        data[f"cp{cp.pk}_note"] = note
    return data


def actions(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# --- access ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, scene):
    pk = scene.inspections[0].pk
    for url in (reverse("supervision:my_inspections"), detail(pk)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]
    response = client.post(record_url(pk), form_data(scene))
    assert response.status_code == 302
    assert not CheckResult.objects.exists()


def test_wrong_role_is_refused(login_as, scene, world):
    client = login_as(world.county_reporter)
    assert client.get(reverse("supervision:my_inspections")).status_code == 403
    assert client.get(detail(scene.inspections[0].pk)).status_code == 403


def test_outsider_gets_404_and_the_attempt_is_audited(login_as, scene, world):
    client = login_as(world.outsider)
    pk = scene.inspections[0].pk
    assert client.get(detail(pk)).status_code == 404
    assert client.post(record_url(pk), form_data(scene)).status_code == 404
    assert AuditEvent.objects.filter(
        action="access.denied", actor=world.outsider, success=False
    ).exists()
    assert not CheckResult.objects.exists()
    response = client.get(reverse("supervision:my_inspections"))
    assert scene.institutions[0].name not in response.content.decode()


def test_an_inspector_sees_only_his_groups_inspections(login_as, scene, world):
    other = build_scene_other(scene)
    client = login_as(world.inspector)
    html = client.get(reverse("supervision:my_inspections")).content.decode()
    assert scene.institutions[0].name in html and scene.institutions[1].name in html
    assert other.institution.name not in html
    assert client.get(detail(other.pk)).status_code == 404


def build_scene_other(scene: Scene):
    """An inspection of the same plan whose group is two other inspectors."""
    from weijian.supervision.tests.factories import make_inspector, make_institution
    from weijian.supervision.tests.inspection_factories import make_inspection

    world = scene.world
    others = [make_inspector(world.commission, n) for n in ("冯执法", "陈执法")]
    institution = make_institution(world.county, "莲花县第九诊所")
    return make_inspection(scene.plan, scene.draw, institution, others)


def test_staff_see_the_inspections_of_their_subtree(login_as, scene, world):
    other = build_scene_other(scene)
    html = login_as(world.staff).get(reverse("supervision:my_inspections")).content.decode()
    assert other.institution.name in html and scene.institutions[0].name in html
    assert "周执法、郑执法" in html


def test_the_list_runs_a_constant_number_of_queries(
    login_as, scene, world, django_assert_max_num_queries
):
    client = login_as(world.staff)
    url = reverse("supervision:my_inspections")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _ in range(15):
        build_scene_other(scene)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("莲花县第九诊所") == 15


# --- recording ------------------------------------------------------------------------------


def test_the_page_shows_the_checklist_to_a_member(login_as, scene, world):
    html = login_as(world.inspector).get(detail(scene.inspections[0].pk)).content.decode()
    assert 'id="record-form"' in html
    for cp in scene.item.checkpoints.all():
        assert cp.content in html and cp.basis in html
    assert "完成检查" in html and scene.institutions[0].uscc in html


def test_staff_read_the_page_without_the_form(login_as, scene, world):
    html = login_as(world.staff).get(detail(scene.inspections[0].pk)).content.decode()
    assert 'id="record-form"' not in html and "检查要点" in html


def test_the_first_recording_starts_the_inspection_and_the_plan(login_as, scene, world):
    inspection = scene.inspections[0]
    client = login_as(world.inspector)
    outcomes = [CheckOutcome.CONFORMS, CheckOutcome.NOT_APPLICABLE, ""]
    response = client.post(record_url(inspection.pk), form_data(scene, outcomes=outcomes))
    assert response.status_code == 302
    inspection.refresh_from_db()
    scene.plan.refresh_from_db()
    assert inspection.state == InspectionState.RECORDING
    assert inspection.recorded_by == world.inspector
    assert scene.plan.state == PlanState.INSPECTING
    assert CheckResult.objects.filter(inspection=inspection).count() == 2
    assert actions("supervision.inspection_record") == 1
    assert AuditEvent.objects.filter(action="supervision.plan_state", summary__to="检查中").exists()
    # A second save keeps the plan where it is.
    client.post(record_url(inspection.pk), form_data(scene))
    assert actions("supervision.plan_state") == 1
    assert CheckResult.objects.filter(inspection=inspection).count() == 3


def test_a_reader_outside_the_group_may_not_record(login_as, scene, world):
    response = login_as(world.staff).post(record_url(scene.inspections[0].pk), form_data(scene))
    assert response.status_code == 403
    assert not CheckResult.objects.exists()
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.DRAWN
    assert AuditEvent.objects.filter(action="access.denied", actor=world.staff).exists()


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"inspected_on": "2999-01-01"}, "检查日期不能晚于今天"),
        ({"inspected_on": "2000-01-01"}, "检查日期不能早于抽取日期"),
        (
            {"result": InspectionResult.RECTIFY, "rectification_deadline": "2000-01-01"},
            "整改期限应晚于检查日期",
        ),
    ],
)
def test_dates_are_checked(login_as, scene, world, facts, message):
    inspection = scene.inspections[0]
    response = login_as(world.inspector).post(record_url(inspection.pk), form_data(scene, **facts))
    assert response.status_code == 200
    assert message in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PENDING and inspection.inspected_on is None


# --- completion -----------------------------------------------------------------------------


def complete(client, scene, pk, **kwargs):
    data = form_data(scene, **kwargs)
    data["complete"] = "1"
    return client.post(record_url(pk), data, follow=True)


def test_completion_lists_the_missing_check_points(login_as, scene, world):
    inspection = scene.inspections[0]
    outcomes = [CheckOutcome.CONFORMS, "", ""]
    html = complete(login_as(world.inspector), scene, inspection.pk, outcomes=outcomes)
    text = html.content.decode()
    assert "以下检查要点尚未填写检查结论" in text
    assert "2. 检查要点2" in text and "3. 检查要点3" in text
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.RECORDING and inspection.completed_at is None


def test_a_nonconformity_needs_a_note(login_as, scene, world):
    inspection = scene.inspections[0]
    outcomes = [CheckOutcome.NONCONFORMS, CheckOutcome.CONFORMS, CheckOutcome.CONFORMS]
    response = complete(login_as(world.inspector), scene, inspection.pk, outcomes=outcomes)
    assert "为“不符合”，请填写情况说明" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.state != InspectionState.COMPLETED


def test_an_order_to_rectify_needs_a_deadline(login_as, scene, world):
    inspection = scene.inspections[0]
    response = complete(
        login_as(world.inspector), scene, inspection.pk, result=InspectionResult.RECTIFY
    )
    assert "请填写整改期限" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.state != InspectionState.COMPLETED


def test_completion_sets_the_publication_deadline_and_completes_the_plan(login_as, scene, world):
    client = login_as(world.inspector)
    first, second = scene.inspections
    today = timezone.localdate()
    deadline = today + datetime.timedelta(days=15)
    outcomes = [CheckOutcome.NONCONFORMS, CheckOutcome.CONFORMS, CheckOutcome.NOT_APPLICABLE]
    notes = ["消毒记录缺失", "", ""]
    complete(
        client,
        scene,
        first.pk,
        outcomes=outcomes,
        notes=notes,
        result=InspectionResult.RECTIFY,
        rectification_deadline=deadline.isoformat(),
    )
    first.refresh_from_db()
    scene.plan.refresh_from_db()
    assert first.state == InspectionState.COMPLETED and first.completed_at is not None
    assert first.publication_due == add_workdays(today, 20)
    assert first.rectification_status == RectificationStatus.ONGOING
    assert scene.plan.state == PlanState.INSPECTING  # the second is still open
    complete(client, scene, second.pk)
    scene.plan.refresh_from_db()
    assert scene.plan.state == PlanState.COMPLETED
    assert actions("supervision.inspection_complete") == 2
    assert AuditEvent.objects.filter(action="supervision.plan_state", summary__to="已完成").exists()


def test_the_working_days_are_a_setting(login_as, scene, world, settings):
    settings.WEIJIAN_PUBLICATION_WORKDAYS = 5
    inspection = scene.inspections[0]
    complete(login_as(world.inspector), scene, inspection.pk)
    inspection.refresh_from_db()
    assert inspection.publication_due == add_workdays(timezone.localdate(), 5)


def test_a_completed_inspection_is_final(login_as, scene, world):
    inspection = finish(scene.inspections[0])
    client = login_as(world.inspector)
    html = client.get(detail(inspection.pk)).content.decode()
    assert 'id="record-form"' not in html
    response = client.post(record_url(inspection.pk), form_data(scene, summary="改写"))
    assert "该检查已完成" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.summary == ""


# --- rectification --------------------------------------------------------------------------


def rectify_url(pk: int) -> str:
    return reverse("supervision:inspection_rectification", args=[pk])


def test_staff_record_the_rectification(login_as, scene, world):
    inspection = finish(scene.inspections[0], result=InspectionResult.RECTIFY)
    client = login_as(world.staff)
    today = timezone.localdate().isoformat()
    client.post(rectify_url(inspection.pk), {"rectified_on": today, "note": "复查已整改"})
    inspection.refresh_from_db()
    assert inspection.rectification_status == RectificationStatus.DONE
    assert inspection.rectification_note == "复查已整改"
    assert actions("supervision.rectification_record") == 1


def test_an_outsider_cannot_record_a_rectification(login_as, scene, world):
    inspection = finish(scene.inspections[0], result=InspectionResult.RECTIFY)
    today = timezone.localdate().isoformat()
    response = login_as(world.outsider).post(
        rectify_url(inspection.pk), {"rectified_on": today, "note": "x"}
    )
    assert response.status_code == 404
    inspection.refresh_from_db()
    assert inspection.rectification_status == RectificationStatus.ONGOING


def test_a_leader_may_read_but_not_record_a_rectification(login_as, scene, world):
    inspection = finish(scene.inspections[0], result=InspectionResult.RECTIFY)
    today = timezone.localdate().isoformat()
    client = login_as(world.leader)
    assert client.get(detail(inspection.pk)).status_code == 200
    response = client.post(rectify_url(inspection.pk), {"rectified_on": today, "note": "x"})
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.rectification_status == RectificationStatus.ONGOING


def test_a_passed_deadline_shows_overdue(login_as, scene, world):
    inspection = finish(scene.inspections[0], result=InspectionResult.RECTIFY)
    inspection.rectification_deadline = timezone.localdate() - datetime.timedelta(days=1)
    inspection.save()
    html = login_as(world.staff).get(detail(inspection.pk)).content.decode()
    assert "逾期未整改" in html
