"""Photos of an inspection: pictures only (type, size, bytes), uploaded by the group, served
only through the access-checked view."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.supervision.models import InspectionPhoto
from weijian.supervision.services import inspections as recording
from weijian.supervision.tests.inspection_factories import Scene, build_scene, finish, png_bytes


@pytest.fixture
def scene(world, settings, tmp_path) -> Scene:
    settings.MEDIA_ROOT = str(tmp_path)
    return build_scene(world)


def upload(client, pk: int, content: bytes, content_type: str = "image/png", **fields):
    file = SimpleUploadedFile("现场.png", content, content_type=content_type)
    url = reverse("supervision:inspection_photo_add", args=[pk])
    return client.post(url, {"file": file, **fields}, follow=True)


def test_a_member_uploads_a_picture_of_a_check_point(login_as, scene, world):
    inspection = scene.inspections[0]
    cp = scene.item.checkpoints.first()
    response = upload(
        login_as(world.inspector), inspection.pk, png_bytes(), check_point=cp.pk, caption="病房"
    )
    assert "照片已上传" in response.content.decode()
    photo = InspectionPhoto.objects.get()
    assert photo.check_point == cp and photo.caption == "病房"
    assert photo.file.name.endswith(".png") and "现场" not in photo.file.name
    assert AuditEvent.objects.filter(action="supervision.inspection_photo_add").count() == 1


@pytest.mark.parametrize(
    ("content", "content_type", "message"),
    [
        (b"%PDF-1.4 not a picture", "application/pdf", "只能上传 JPEG 或 PNG"),
        (b"<script>alert(1)</script>", "image/png", "不是有效的 JPEG 或 PNG 图片"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "image/png", "图片文件已损坏"),
    ],
)
def test_anything_but_a_picture_is_refused(login_as, scene, world, content, content_type, message):
    response = upload(login_as(world.inspector), scene.inspections[0].pk, content, content_type)
    assert message in response.content.decode()
    assert not InspectionPhoto.objects.exists()


def test_a_picture_over_ten_megabytes_is_refused(scene, world, monkeypatch):
    monkeypatch.setattr(recording, "MAX_PHOTO_BYTES", 100)
    file = SimpleUploadedFile("big.png", png_bytes((64, 64)), content_type="image/png")
    with pytest.raises(Exception, match="照片不能超过10MB"):
        recording.photo_add(actor=world.inspector, inspection=scene.inspections[0], upload=file)
    assert not InspectionPhoto.objects.exists()


def test_only_the_group_uploads(login_as, scene, world):
    response = upload(login_as(world.staff), scene.inspections[0].pk, png_bytes())
    assert response.status_code == 403
    assert not InspectionPhoto.objects.exists()


def test_no_upload_after_completion(login_as, scene, world):
    inspection = finish(scene.inspections[0])
    response = upload(login_as(world.inspector), inspection.pk, png_bytes())
    assert "该检查已完成" in response.content.decode()
    assert not InspectionPhoto.objects.exists()


def test_a_photo_is_served_only_to_those_who_see_the_inspection(client, login_as, scene, world):
    inspection = scene.inspections[0]
    file = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    photo = recording.photo_add(actor=world.inspector, inspection=inspection, upload=file)
    url = reverse("supervision:inspection_photo", args=[photo.pk])
    assert client.get(url).status_code == 302  # anonymous: to login
    response = login_as(world.staff).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "no-store" in response["Cache-Control"]
    assert login_as(world.outsider).get(url).status_code == 404
    assert login_as(world.county_reporter).get(url).status_code == 403


def test_a_member_deletes_a_photo(login_as, scene, world):
    inspection = scene.inspections[0]
    file = SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")
    photo = recording.photo_add(actor=world.inspector, inspection=inspection, upload=file)
    url = reverse("supervision:inspection_photo_delete", args=[photo.pk])
    assert login_as(world.staff).post(url).status_code == 403
    assert InspectionPhoto.objects.exists()
    login_as(world.inspector).post(url)
    assert not InspectionPhoto.objects.exists()
    assert AuditEvent.objects.filter(action="supervision.inspection_photo_delete").count() == 1
