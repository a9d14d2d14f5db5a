"""The portal's 双随机抽查 pages and institution directory: public, published results only, and
never a person: no inspector, practitioner, ID number, certificate number, note or photo."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weijian.supervision.models import InspectionResult, PlanState
from weijian.supervision.services import inspections as recording
from weijian.supervision.tests.factories import make_institution, make_practitioner
from weijian.supervision.tests.inspection_factories import Scene, build_scene, finish, png_bytes

SECRET_NOTE = "院长私下承认账目造假"
SECRET_SUMMARY = "检查组内部意见：负责人态度恶劣"


@pytest.fixture
def scene(world, settings, tmp_path) -> Scene:
    """Two inspections of one plan: the first published (with notes and a photo), the second
    completed but unpublished; practitioners work at both institutions."""
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build_scene(world)
    first, second = scene.inspections
    photo = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    recording.photo_add(actor=world.inspector, inspection=first, upload=photo, caption="病房照片")
    finish(first, result=InspectionResult.RECTIFY, published=True)
    check = first.checks.all()[0]
    check.note = SECRET_NOTE
    check.save()
    first.summary = SECRET_SUMMARY
    first.rectification_note = SECRET_NOTE
    first.save()
    finish(second)
    scene.plan.state = PlanState.COMPLETED
    scene.plan.save()
    for n, institution in enumerate(scene.institutions):
        make_practitioner(institution, f"钱医生{n}")
    return scene


def get(client, url_name: str, *args, **params) -> str:
    response = client.get(reverse(url_name, args=args), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_plans_page_lists_plans_with_published_results(client, scene):
    html = get(client, "portal:inspection_plans")
    assert scene.plan.title in html and scene.world.commission.name in html
    assert "双随机抽查" in html  # the navigation
    unpublished = build_scene_unpublished(scene)
    assert unpublished.title not in get(client, "portal:inspection_plans")
    response = client.get(reverse("portal:inspection_plan", args=[unpublished.pk]))
    assert response.status_code == 404


def build_scene_unpublished(scene: Scene):
    from weijian.supervision.tests.inspection_factories import make_draw, make_plan

    plan = make_plan(scene.world.commission, scene.item, title="尚未公示的计划")
    draw = make_draw(plan)
    inspection = recording.Inspection.objects.create(
        plan=plan, draw=draw, institution=scene.institutions[0]
    )
    finish(inspection)
    return plan


def test_a_plan_page_shows_only_published_results(client, scene):
    first, second = scene.institutions
    html = get(client, "portal:inspection_plan", scene.plan.pk)
    assert first.name in html and first.uscc in html
    assert "责令整改" in html and "整改中" in html
    assert second.name not in html


def test_the_directory_searches_and_paginates(client, scene, world):
    make_institution(world.county, "湘东区中医院", region_code="360313")
    html = get(client, "portal:institution_list", name="中医院")
    assert "湘东区中医院" in html and scene.institutions[0].name not in html
    html = get(client, "portal:institution_list", region="360321")
    assert scene.institutions[0].name in html and "湘东区中医院" not in html
    html = get(client, "portal:institution_list", region="360300")  # the city covers both
    assert scene.institutions[0].name in html and "湘东区中医院" in html
    html = get(client, "portal:institution_list", category="public_health")
    assert "没有符合条件的机构" in html
    for n in range(35):
        make_institution(world.county, f"批量诊所{n:02d}")
    html = get(client, "portal:institution_list")
    assert "第 1 / 2 页" in html


def test_the_archive_shows_licence_facts_and_published_results(client, scene):
    institution = scene.institutions[0]
    html = get(client, "portal:institution", institution.pk)
    for fact in (institution.name, institution.uscc, institution.license_number, "综合医院"):
        assert fact in html
    assert scene.plan.title in html and "责令整改" in html
    unpublished = get(client, "portal:institution", scene.institutions[1].pk)
    assert "暂无公示的抽查结果" in unpublished
    assert client.get(reverse("portal:institution", args=[999_999])).status_code == 404


def test_no_personal_data_reaches_the_portal(client, scene, world):
    from weijian.supervision.models import Practitioner

    pages = [
        get(client, "portal:inspection_plans"),
        get(client, "portal:inspection_plan", scene.plan.pk),
        get(client, "portal:institution_list"),
        *[get(client, "portal:institution", i.pk) for i in scene.institutions],
    ]
    forbidden = [SECRET_NOTE, SECRET_SUMMARY, "病房照片", "inspection-photos", "/media/"]
    for inspector in scene.members:
        forbidden += [inspector.name, inspector.certificate_number]
    for user in scene.member_users:
        forbidden += [user.full_name, user.username]
    for practitioner in Practitioner.objects.all():
        forbidden += [practitioner.name, practitioner.id_number, practitioner.license_number]
        forbidden.append(practitioner.id_number[-6:])
    assert len(forbidden) > 10
    for html in pages:
        for text in forbidden:
            assert text not in html, text


def test_the_portal_needs_no_login_and_runs_constant_queries(
    client, scene, world, django_assert_max_num_queries
):
    url = reverse("portal:institution", args=[scene.institutions[0].pk])
    with django_assert_max_num_queries(6):
        client.get(url)
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:inspection_plan", args=[scene.plan.pk]))
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:inspection_plans"))
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:institution_list"))
