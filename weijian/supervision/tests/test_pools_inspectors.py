"""The inspector pool's services: who may write, the rules (with their Chinese messages), the
facts of conflict avoidance, and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from weijian.accounts.roles import Role
from weijian.conftest import make_user
from weijian.core.models import AuditEvent
from weijian.orgs.models import Region
from weijian.supervision.models import Draw, Inspection, Inspector, PoolStatus, SamplingPlan
from weijian.supervision.services import pools as service
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item

UNTIL = datetime.date(2030, 12, 31)


def new_inspector(world, **fields) -> Inspector:
    values = {
        "organization": world.county,
        "name": "李执法",
        "certificate_number": "赣卫执900001",
        "certificate_valid_from": datetime.date(2024, 1, 1),
        "certificate_valid_until": UNTIL,
        "specialties": ["医疗服务", "职业卫生"],
        "regions": [Region.objects.get(code="360321")],
    }
    values.update(fields)
    return service.inspector_create(actor=world.staff, **values)


def drawn(world, inspector: Inspector) -> Inspection:
    """Put the inspector in an inspection group, as a draw does."""
    plan = SamplingPlan.objects.create(
        owner=world.commission,
        year=2024,
        title="2024年医疗机构抽查",
        item=make_item(world.commission),
        object_count=1,
    )
    draw = Draw.objects.create(
        plan=plan,
        number=1,
        seed=1,
        rules={},
        snapshot={},
        snapshot_digest="0" * 64,
        result={},
        drawn_at=timezone.now(),
    )
    institution = make_institution(world.county, "莲花县妇幼保健院")
    inspection = Inspection.objects.create(plan=plan, draw=draw, institution=institution)
    inspection.inspectors.add(inspector)
    return inspection


def test_an_inspector_is_created_with_his_regions_and_audited(world):
    inspector = new_inspector(world)
    assert inspector.status == PoolStatus.ACTIVE
    assert list(inspector.regions.values_list("code", flat=True)) == ["360321"]
    assert inspector.specialties == ["医疗服务", "职业卫生"]
    event = AuditEvent.objects.get(action="supervision.inspector_create")
    assert event.actor == world.staff and event.organization == world.county
    assert event.summary["certificate_number"] == "赣卫执900001"
    assert event.summary["regions"] == ["360321"]


def test_the_rules_are_said_in_chinese(world):
    make_inspector(world.county, "王已有", certificate_number="赣卫执000777")
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"name": " "}, "name", "请填写姓名"),
        ({"certificate_number": ""}, "certificate_number", "请填写执法证号"),
        (
            {"certificate_number": "赣卫执000777"},
            "certificate_number",
            "执法证号“赣卫执000777”已登记在执法人员王已有名下",
        ),
        ({"certificate_valid_until": None}, "certificate_valid_until", "请填写执法证有效期至"),
        (
            {"certificate_valid_until": datetime.date(2023, 12, 31)},
            "certificate_valid_until",
            "执法证有效期至不能早于有效期起",
        ),
        (
            {"regions": [Region.objects.get(code="500103")]},
            "regions",
            "负责区域“渝中区”不在本单位辖区内",
        ),
        ({"specialties": ["很" * 21]}, "specialties", f"专业领域“{'很' * 21}”过长（不超过20个字）"),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as error:
            new_inspector(world, **fields)
        assert error.value.message_dict == {field: [message]}
    assert Inspector.objects.count() == 1


def test_specialties_are_parsed_and_deduplicated():
    assert service.parse_specialties("医疗服务、职业卫生，放射卫生, 学校卫生") == [
        "医疗服务",
        "职业卫生",
        "放射卫生",
        "学校卫生",
    ]
    assert service.clean_specialties(["医疗服务", " 医疗服务 ", "", "中医服务"]) == [
        "医疗服务",
        "中医服务",
    ]


def test_region_prefixes_cover_what_lies_below():
    assert service.region_prefix("360300") == "3603"
    assert service.region_prefix("360000") == "36"
    assert service.region_prefix("360321") == "360321"
    assert service.region_prefix("360321100") == "360321100"


def test_a_county_user_offers_only_his_county(world):
    codes = set(service.regions_covered_by(world.county).values_list("code", flat=True))
    assert codes == {"360321"}
    city = set(service.regions_covered_by(world.commission).values_list("code", flat=True))
    assert {"360300", "360321", "360302"} <= city and "500103" not in city


def test_only_staff_of_the_unit_or_above_write(world):
    with pytest.raises(PermissionDenied):
        new_inspector(world, organization=world.elsewhere)
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    commission_man = make_inspector(world.commission, "市局执法")
    for user, target in ((world.leader, world.county), (world.county_reporter, world.county)):
        with pytest.raises(PermissionDenied):
            service.inspector_create(
                actor=user,
                organization=target,
                name="甲",
                certificate_number="X1",
                certificate_valid_until=UNTIL,
            )
    with pytest.raises(PermissionDenied):
        service.inspector_set_status(
            actor=county_staff, inspector=commission_man, status=PoolStatus.SUSPENDED
        )
    assert AuditEvent.objects.filter(action="access.denied", success=False).count() == 4


def test_an_update_records_what_changed(world):
    inspector = new_inspector(world)
    service.inspector_update(
        actor=world.staff,
        inspector=inspector,
        organization=world.commission,
        name="李执法",
        certificate_number="赣卫执900001",
        certificate_valid_from=datetime.date(2024, 1, 1),
        certificate_valid_until=datetime.date(2029, 6, 30),
        specialties=["医疗服务"],
        regions=[Region.objects.get(code="360300")],
    )
    inspector.refresh_from_db()
    assert inspector.organization == world.commission
    changes = AuditEvent.objects.get(action="supervision.inspector_update").summary["changes"]
    assert changes["certificate_valid_until"] == ["2030-12-31", "2029-06-30"]
    assert changes["regions"] == [["360321"], ["360300"]]
    assert changes["organization"] == [world.county.name, world.commission.name]


def test_status_changes_are_audited_and_a_same_status_refused(world):
    inspector = new_inspector(world)
    service.inspector_set_status(actor=world.staff, inspector=inspector, status=PoolStatus.LEFT)
    event = AuditEvent.objects.get(action="supervision.inspector_status")
    assert event.summary["status"] == ["在库", "已出库"]
    with pytest.raises(ValidationError) as error:
        service.inspector_set_status(actor=world.staff, inspector=inspector, status="left")
    assert error.value.message_dict == {"status": ["该执法人员已是“已出库”状态"]}


def test_a_drawn_inspector_is_never_deleted(world):
    inspector = new_inspector(world)
    drawn(world, inspector)
    with pytest.raises(ValidationError) as error:
        service.inspector_delete(actor=world.staff, inspector=inspector)
    assert "不能删除" in error.value.messages[0] and "已出库" in error.value.messages[0]
    assert Inspector.objects.filter(pk=inspector.pk).exists()


def test_a_never_drawn_inspector_may_be_deleted(world):
    inspector = new_inspector(world)
    service.inspector_delete(actor=world.staff, inspector=inspector)
    assert not Inspector.objects.exists()
    event = AuditEvent.objects.get(action="supervision.inspector_delete")
    assert event.summary["certificate"] == "赣卫执900001"


def test_a_login_account_is_linked_once(world):
    inspector = new_inspector(world)
    service.inspector_link_user(actor=world.staff, inspector=inspector, user=world.inspector)
    assert Inspector.objects.get(pk=inspector.pk).user == world.inspector
    other = make_inspector(world.county, "另一人")
    with pytest.raises(ValidationError) as error:
        service.inspector_link_user(actor=world.staff, inspector=other, user=world.inspector)
    assert error.value.message_dict == {"user": [f"账户{world.inspector}已关联执法人员李执法"]}
    with pytest.raises(ValidationError) as error:
        service.inspector_link_user(actor=world.staff, inspector=other, user=world.leader)
    assert error.value.message_dict == {"user": [f"账户{world.leader}没有“执法人员”角色"]}
    stranger = make_user("yz_inspector", world.elsewhere, Role.INSPECTOR)
    with pytest.raises(ValidationError) as error:
        service.inspector_link_user(actor=world.staff, inspector=other, user=stranger)
    assert error.value.message_dict == {"user": ["该账户不属于本单位或下级单位"]}
    service.inspector_unlink_user(actor=world.staff, inspector=inspector)
    assert Inspector.objects.get(pk=inspector.pk).user is None
    actions = AuditEvent.objects.filter(action__startswith="supervision.inspector_").values_list(
        "action", flat=True
    )
    assert "supervision.inspector_link_user" in actions
    assert "supervision.inspector_unlink_user" in actions


def test_employment_and_relatives_are_recorded_for_conflict_avoidance(world):
    inspector = new_inspector(world)
    hospital = make_institution(world.county, "莲花县人民医院")
    service.employment_add(
        actor=world.staff,
        inspector=inspector,
        institution=hospital,
        started_on=datetime.date(2010, 7, 1),
        ended_on=datetime.date(2018, 3, 1),
    )
    service.relative_add(
        actor=world.staff, inspector=inspector, institution=hospital, relation="配偶"
    )
    assert inspector.employments.get().institution == hospital
    assert inspector.relatives.get().relation == "配偶"
    with pytest.raises(ValidationError) as error:
        service.employment_add(actor=world.staff, inspector=inspector, institution=hospital)
    assert error.value.message_dict == {"institution": ["已登记在“莲花县人民医院”的工作经历"]}
    with pytest.raises(ValidationError) as error:
        service.relative_add(
            actor=world.staff, inspector=inspector, institution=hospital, relation="配偶"
        )
    assert error.value.message_dict == {"relation": ["已申报配偶在“莲花县人民医院”"]}
    assert AuditEvent.objects.filter(action="supervision.employment_add").count() == 1
    assert AuditEvent.objects.filter(action="supervision.relative_add").count() == 1


def test_employment_rules(world):
    inspector = new_inspector(world)
    far = make_institution(world.elsewhere, "重庆某医院", region_code="500103")
    with pytest.raises(ValidationError) as error:
        service.employment_add(actor=world.staff, inspector=inspector, institution=far)
    assert error.value.message_dict == {"institution": ["机构“重庆某医院”不在本单位管辖范围内"]}
    near = make_institution(world.county, "莲花县中医院")
    with pytest.raises(ValidationError) as error:
        service.employment_add(
            actor=world.staff,
            inspector=inspector,
            institution=near,
            started_on=datetime.date(2020, 1, 1),
            ended_on=datetime.date(2019, 1, 1),
        )
    assert error.value.message_dict == {"ended_on": ["结束日期不能早于起始日期"]}
    with pytest.raises(ValidationError) as error:
        service.relative_add(actor=world.staff, inspector=inspector, institution=near, relation="")
    assert error.value.message_dict == {"relation": ["请填写亲属关系"]}


def test_removing_history_rows_is_audited(world):
    inspector = new_inspector(world)
    hospital = make_institution(world.county, "莲花县人民医院")
    employment = service.employment_add(
        actor=world.staff, inspector=inspector, institution=hospital
    )
    relative = service.relative_add(
        actor=world.staff, inspector=inspector, institution=hospital, relation="子女"
    )
    service.employment_remove(actor=world.staff, employment=employment)
    service.relative_remove(actor=world.staff, relative=relative)
    assert not inspector.employments.exists() and not inspector.relatives.exists()
    assert (
        AuditEvent.objects.filter(
            action__in=["supervision.employment_remove", "supervision.relative_remove"]
        ).count()
        == 2
    )
