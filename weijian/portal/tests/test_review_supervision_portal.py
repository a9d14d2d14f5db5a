"""Review: every portal page of 双随机抽查 and the institution directory, rendered with every kind
of internal data present in the database, shows published results of the current draw only and
never a person, a note, a photo or an internal user."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from weijian.conftest import make_user
from weijian.supervision.models import (
    Expert,
    Inspection,
    InspectionResult,
    InspectionState,
    InspectorRelative,
    InstitutionStatus,
    Practitioner,
)
from weijian.supervision.services import inspections as recording
from weijian.supervision.services import publication
from weijian.supervision.tests.factories import make_institution, make_practitioner
from weijian.supervision.tests.inspection_factories import (
    Scene,
    build_scene,
    finish,
    make_draw,
    make_inspection,
    make_plan,
    png_bytes,
)

NOTE = "要点备注：库房药品过期"
SUMMARY = "检查情况：负责人拒绝签字"
RECTIFICATION_NOTE = "复查意见：仍有遗留"
CAPTION = "手术室照片说明"
DRAFT_SUMMARY = "尚在检查中的草稿情况"
SUPERSEDED = "作废抽取的机构"
EXPERT_PHONE = "13912345678"
PUBLISHER = ("publisher_wang", "王公示")


@pytest.fixture
def scene(world, settings, tmp_path) -> Scene:
    """Published (by a named staff user, with notes, a photo and a follow-up), completed but
    unpublished, in recording, a superseded draw's published result, a plan with nothing
    published, a deregistered institution, practitioners, relatives and an expert."""
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build_scene(world, institutions=3)
    published, unpublished, recording_one = scene.inspections
    upload = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    recording.photo_add(actor=world.inspector, inspection=published, upload=upload, caption=CAPTION)
    finish(published, result=InspectionResult.RECTIFY)
    check = published.checks.all()[0]
    check.note = NOTE
    check.save()
    published.summary = SUMMARY
    published.rectification_note = RECTIFICATION_NOTE
    published.save()
    publisher = make_user(PUBLISHER[0], world.commission, "科室人员", full_name=PUBLISHER[1])
    publication.publish_inspection(actor=publisher, inspection=published)
    finish(unpublished, result=InspectionResult.CASE)
    recording_one.state = InspectionState.RECORDING
    recording_one.summary = DRAFT_SUMMARY
    recording_one.result = InspectionResult.REFERRED
    recording_one.published_at = timezone.now()  # an anomaly: never shown unless completed
    recording_one.save()
    # A redrawn plan whose old draw still has a "published" result: never shown.
    old_plan = make_plan(world.commission, scene.item, title="已重新抽取的计划")
    old_draw = make_draw(old_plan)
    old = make_inspection(
        old_plan, old_draw, make_institution(world.county, SUPERSEDED), scene.members
    )
    finish(old, result=InspectionResult.CASE, published=True)
    old_draw.is_current = False
    old_draw.save()
    make_draw(old_plan)  # the current draw, nothing recorded yet
    scene.old_plan = old_plan  # type: ignore[attr-defined]
    # A plan with a completed result and nothing published.
    quiet = make_plan(world.commission, scene.item, title="没有公示结果的计划")
    finish(make_inspection(quiet, make_draw(quiet), scene.institutions[1], scene.members))
    scene.quiet_plan = quiet  # type: ignore[attr-defined]
    closed = make_institution(world.county, "已注销的诊所", status=InstitutionStatus.CLOSED)
    scene.closed = closed  # type: ignore[attr-defined]
    for n, institution in enumerate([*scene.institutions, closed]):
        practitioner = make_practitioner(institution, f"孙医师{n}")
        assert practitioner.id_number
    InspectorRelative.objects.create(
        inspector=scene.members[0], institution=scene.institutions[0], relation="spouse"
    )
    Expert.objects.create(
        name="李专家", owner=world.commission, workplace="萍乡市人民医院", phone=EXPERT_PHONE
    )
    return scene


def page(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def all_pages(client, scene) -> dict[str, str]:
    pages = {
        "plans": page(client, "portal:inspection_plans"),
        "plan": page(client, "portal:inspection_plan", scene.plan.pk),
        "directory": page(client, "portal:institution_list"),
    }
    for institution in [*scene.institutions, scene.closed]:
        pages[f"institution {institution.pk}"] = page(client, "portal:institution", institution.pk)
    superseded = Inspection.objects.get(institution__name=SUPERSEDED).institution
    pages["superseded institution"] = page(client, "portal:institution", superseded.pk)
    return pages


def forbidden_texts(scene, world) -> list[str]:
    texts = [NOTE, SUMMARY, RECTIFICATION_NOTE, CAPTION, DRAFT_SUMMARY, EXPERT_PHONE, "李专家"]
    texts += ["inspection-photos", "/media/", "/office/", *PUBLISHER]
    texts += [InspectionResult.REFERRED.label, "立案查处"]  # unpublished and superseded results
    for inspector in scene.members:
        texts += [inspector.name, inspector.certificate_number]
    for user in [*scene.member_users, world.staff]:
        texts.append(user.username)
        if user.full_name:
            texts.append(user.full_name)
    for practitioner in Practitioner.objects.all():
        texts += [practitioner.name, practitioner.id_number, practitioner.id_number[-8:]]
        texts.append(practitioner.license_number)
    return [t for t in texts if t]


def test_no_page_leaks_internal_data(client, scene, world):
    forbidden = forbidden_texts(scene, world)
    assert len(forbidden) > 20
    for name, html in all_pages(client, scene).items():
        for text in forbidden:
            assert text not in html, f"{text} on {name}"


def test_only_published_current_results_are_listed(client, scene, world):
    plans = page(client, "portal:inspection_plans")
    assert scene.plan.title in plans
    assert scene.old_plan.title not in plans and scene.quiet_plan.title not in plans
    for hidden in (scene.old_plan, scene.quiet_plan):
        assert client.get(reverse("portal:inspection_plan", args=[hidden.pk])).status_code == 404
    html = page(client, "portal:inspection_plan", scene.plan.pk)
    published, unpublished, recording_one = scene.institutions
    assert published.name in html and "责令整改" in html
    assert unpublished.name not in html and recording_one.name not in html
    assert "已公示检查结果1个" in html
    for institution in (unpublished, recording_one):
        assert "暂无公示的抽查结果" in page(client, "portal:institution", institution.pk)


def test_a_deregistered_institution_stays_listed_with_its_status(client, scene):
    directory = page(client, "portal:institution_list")
    assert scene.closed.name in directory and "注销" in directory
    archive = page(client, "portal:institution", scene.closed.pk)
    assert "注销" in archive and scene.closed.uscc in archive
