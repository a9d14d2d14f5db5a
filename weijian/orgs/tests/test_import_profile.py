"""`import_profile` and the upload page, end to end on the seed documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from weijian.core.models import AuditEvent
from weijian.orgs.models import Committee, Department, Organization, Post

SEEDS = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"
PROFILES = Path(__file__).resolve().parent / "profiles"


def seed_path(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed document {prefix}_*.txt not found under {SEEDS}")
    return found[0]


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_profile", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_json_has_the_issue_shape_and_dry_run_writes_nothing():
    output = json.loads(run(str(seed_path("000")), "--dry-run", "--json"))
    for key in ("organization", "duties", "boundaries", "departments", "staffing", "leaders"):
        assert key in output
    assert {"committees", "office_hours", "warnings"} <= set(output)
    assert output["organization"]["name"] == "临江市卫生健康和医疗保障局"
    assert output["staffing"]["administrative"] == 16
    assert len(output["leaders"]) == 8
    assert not Organization.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_seed_000_imports_the_linjiang_bureau():
    run(str(seed_path("000")))
    bureau = Organization.objects.get(name="临江市卫生健康和医疗保障局", parent=None)
    assert bureau.rank == "正科级"
    assert len(bureau.plates) == 2
    office = Department.objects.get(organization=bureau, name="办公室")
    assert {"人事科", "安全生产科"} <= set(office.aliases)
    assert bureau.duties.count() == 18
    assert bureau.staffing.administrative == 16
    leaders = Post.objects.filter(organization=bureau)
    assert leaders.count() == 8
    gao = leaders.get(person__name="高彦").assignment
    assert "办公室" in {d.name for d in gao.supervised_departments.all()}
    assert bureau.office_hours.count() == 2
    events = AuditEvent.objects.filter(actor_username="manage.py import_profile")
    assert events.filter(action="department.save").exists()
    run(str(seed_path("000")))  # a second import updates in place
    assert Post.objects.filter(organization=bureau).count() == 8
    assert Department.objects.filter(organization=bureau).count() == bureau.departments.count()


@pytest.mark.django_db
def test_a_roster_goes_into_the_organization_named_by_org(world):
    with pytest.raises(CommandError, match="未能从文中识别单位名称"):
        run(str(seed_path("002")))
    run(str(seed_path("002")), "--org", str(world.commission.pk))
    group = Committee.objects.get(host=world.commission, kind="领导小组", parent=None)
    assert group.members.filter(role="成员").count() == 33
    meeting = Committee.objects.get(host=world.commission, kind="联席会议")
    assert meeting.members.filter(role="成员单位").count() == 33


@pytest.mark.django_db
def test_missing_file_and_unknown_org_are_reported_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run(str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError, match="编号为 999 的单位不存在"):
        run(str(PROFILES / "lianshui_leader_notice.txt"), "--org", "999")


def test_upload_preview_correct_and_confirm(client, world):
    client.force_login(world.commission_admin)
    upload = SimpleUploadedFile("linjiang.txt", seed_path("000").read_bytes(), "text/plain")
    response = client.post(
        reverse("orgs:profile_import"), {"document": upload, "organization": world.county.pk}
    )
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "办公室" in page and "梁东" in page
    assert not Department.objects.exists()  # nothing written before confirming
    form = client.get(preview_url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data = {k: v for k, v in data.items() if v not in (False, None)}
    data["dep0_name"] = "综合办公室"  # the user corrects a name
    response = client.post(preview_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Department.objects.filter(organization=world.county, name="综合办公室").exists()
    assert Post.objects.filter(organization=world.county).count() == 8
    assert AuditEvent.objects.filter(
        action="department.save", actor=world.commission_admin
    ).exists()


def test_upload_refuses_other_files_and_outsiders(client, world):
    client.force_login(world.commission_admin)
    bad = SimpleUploadedFile("table.xlsx", b"PK\x03\x04", "application/octet-stream")
    response = client.post(
        reverse("orgs:profile_import"), {"document": bad, "organization": world.county.pk}
    )
    assert "只支持 .txt 或 .docx 文件" in response.content.decode()
    client.force_login(world.outsider)
    upload = SimpleUploadedFile("x.txt", "临江市卫生健康局".encode(), "text/plain")
    response = client.post(
        reverse("orgs:profile_import"), {"document": upload, "organization": world.county.pk}
    )
    assert "选择一个有效的选项" in response.content.decode()
    client.force_login(world.county_reporter)
    assert client.get(reverse("orgs:profile_import")).status_code == 403
