"""Every inspection, publication and summary view: anonymous → login, an outsider (another
tree) → 404 for an object or an empty page for a list, a 填报员 → 403; nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weijian.supervision.models import CheckResult, InspectionPhoto, PlanState
from weijian.supervision.tests.inspection_factories import Scene, build_scene, finish

POST_ONLY = {
    "supervision:inspection_record",
    "supervision:inspection_photo_add",
    "supervision:inspection_photo_delete",
    "supervision:inspection_rectification",
    "supervision:inspection_publish",
    "supervision:plan_publish",
}
# (URL name, which object's pk, what an outsider gets)
ROWS = [
    ("supervision:my_inspections", None, 200),
    ("supervision:inspection_detail", "inspection", 404),
    ("supervision:inspection_record", "inspection", 404),
    ("supervision:inspection_photo_add", "inspection", 404),
    ("supervision:inspection_rectification", "inspection", 404),
    ("supervision:inspection_publish", "inspection", 404),
    ("supervision:inspection_photo", "photo", 404),
    ("supervision:inspection_photo_delete", "photo", 404),
    ("supervision:plan_inspections", "plan", 404),
    ("supervision:plan_publish", "plan", 404),
    ("supervision:annual_summary", None, 200),
    ("supervision:annual_summary_export", None, 200),
]


@pytest.fixture
def scene(world, settings, tmp_path) -> Scene:
    settings.MEDIA_ROOT = str(tmp_path)
    scene = build_scene(world, institutions=1)
    inspection = finish(scene.inspections[0], result="rectify")
    InspectionPhoto.objects.create(inspection=inspection, file="supervision/x.png")
    scene.plan.state = PlanState.COMPLETED
    scene.plan.save()
    return scene


def request(client, scene: Scene, name: str, kind: str | None):
    objects = {
        "inspection": scene.inspections[0].pk,
        "photo": InspectionPhoto.objects.get().pk,
        "plan": scene.plan.pk,
    }
    url = reverse(name, args=[objects[kind]] if kind else [])
    return client.post(url) if name in POST_ONLY else client.get(url)


def unchanged(scene: Scene) -> None:
    inspection = scene.inspections[0]
    inspection.refresh_from_db()
    scene.plan.refresh_from_db()
    assert inspection.published_at is None and inspection.rectification_status == "ongoing"
    assert scene.plan.state == PlanState.COMPLETED
    assert InspectionPhoto.objects.count() == 1
    assert CheckResult.objects.filter(inspection=inspection).count() == 3


@pytest.mark.parametrize(("name", "kind", "status"), ROWS, ids=[r[0] for r in ROWS])
def test_anonymous_is_sent_to_log_in(client, scene, name, kind, status):
    response = request(client, scene, name, kind)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    unchanged(scene)


@pytest.mark.parametrize(("name", "kind", "status"), ROWS, ids=[r[0] for r in ROWS])
def test_outsider_is_refused(login_as, scene, world, name, kind, status):
    response = request(login_as(world.outsider), scene, name, kind)
    assert response.status_code == status
    if status == 200 and "export" not in name:
        html = response.content.decode()
        assert scene.institutions[0].name not in html and str(scene.item) not in html
    unchanged(scene)


@pytest.mark.parametrize(("name", "kind", "status"), ROWS, ids=[r[0] for r in ROWS])
def test_a_reporter_has_no_role(login_as, scene, world, name, kind, status):
    assert request(login_as(world.county_reporter), scene, name, kind).status_code == 403
    unchanged(scene)
