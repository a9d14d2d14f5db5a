"""The item list's services: who keeps an item, its rules in Chinese, the checklist's order,
what cannot be deleted, and the audit trail; and which items a unit may use."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from weijian.accounts.roles import Role
from weijian.conftest import make_org, make_user
from weijian.core.models import AuditEvent
from weijian.supervision.models import CheckPoint, InspectionItem, SamplingPlan
from weijian.supervision.selectors_pools import items_usable_by
from weijian.supervision.services import items as service
from weijian.supervision.tests.factories import make_item

TEXTS = {
    "name": "公共场所卫生监督检查",
    "sub_item": "住宿场所",
    "basis": "《公共场所卫生管理条例》第三条",
    "subject": "卫生健康行政部门",
    "object_scope": "辖区内住宿场所",
    "ratio": "不低于5%",
    "frequency": "每年不少于1次",
    "method": "现场检查",
    "inspector_requirements": "不少于2名持有执法证的执法人员",
}


def use_in_plan(item: InspectionItem) -> SamplingPlan:
    return SamplingPlan.objects.create(
        owner=item.owner, year=2024, title="2024年抽查", item=item, object_count=3
    )


def points(item: InspectionItem) -> list[str]:
    return list(item.checkpoints.order_by("order").values_list("content", flat=True))


def test_an_item_is_created_last_in_its_owners_list_and_audited(world):
    first = make_item(world.commission)
    item = service.item_create(actor=world.staff, owner=world.commission, **TEXTS)
    assert item.order == first.order + 1 and item.is_active
    event = AuditEvent.objects.get(action="supervision.item_create")
    assert event.organization == world.commission
    assert event.summary["basis"] == "《公共场所卫生管理条例》第三条"


def test_the_rules_are_said_in_chinese(world):
    for field, label in (("name", "事项名称"), ("basis", "抽查依据"), ("ratio", "抽查比例")):
        with pytest.raises(ValidationError) as error:
            service.item_create(actor=world.staff, owner=world.commission, **{**TEXTS, field: ""})
        assert error.value.message_dict == {field: [f"请填写{label}"]}
    with pytest.raises(ValidationError) as error:
        service.item_create(
            actor=world.staff, owner=world.commission, **{**TEXTS, "code": "1" * 31}
        )
    assert error.value.message_dict == {"code": ["事项编号不能超过30个字"]}
    assert not InspectionItem.objects.exists()


def test_units_below_read_but_do_not_change_an_item(world):
    item = make_item(world.commission)
    county_staff = make_user("county_staff", world.county, Role.STAFF)
    with pytest.raises(PermissionDenied):
        service.item_update(actor=county_staff, item=item, **TEXTS)
    with pytest.raises(PermissionDenied):
        service.checkpoint_add(actor=county_staff, item=item, content="甲", basis="乙")
    with pytest.raises(PermissionDenied):
        service.item_create(actor=world.leader, owner=world.commission, **TEXTS)
    assert AuditEvent.objects.filter(action="access.denied").count() == 3
    county_item = make_item(world.county, "县级事项")
    service.item_update(actor=world.staff, item=county_item, **TEXTS)  # from above: allowed
    changes = AuditEvent.objects.get(action="supervision.item_update").summary["changes"]
    assert changes["name"] == ["县级事项", "公共场所卫生监督检查"]


def test_items_usable_by_a_unit_are_its_own_above_and_below_and_active(world):
    own = make_item(world.commission, "市级事项")
    county = make_item(world.county, "县级事项")
    inactive = make_item(world.commission, "停用事项")
    service.item_set_active(actor=world.staff, item=inactive, active=False)
    make_item(world.elsewhere, "渝中事项")
    assert set(items_usable_by(world.staff)) == {own, county}
    assert set(items_usable_by(world.county_reporter)) == {own, county}
    assert list(items_usable_by(world.outsider).values_list("name", flat=True)) == ["渝中事项"]


def test_an_item_used_by_a_plan_is_deactivated_not_deleted(world):
    item = make_item(world.commission)
    use_in_plan(item)
    with pytest.raises(ValidationError) as error:
        service.item_delete(actor=world.staff, item=item)
    assert error.value.messages == ["该抽查事项已被1个抽查计划使用，不能删除；不再使用的，请停用。"]
    service.item_set_active(actor=world.staff, item=item, active=False)
    assert not InspectionItem.objects.get(pk=item.pk).is_active
    with pytest.raises(ValidationError) as error:
        service.item_set_active(actor=world.staff, item=item, active=False)
    assert error.value.messages == ["该抽查事项已是停用状态"]
    assert AuditEvent.objects.get(action="supervision.item_active").summary["is_active"] is False


def test_an_unused_item_is_deleted_with_its_checklist(world):
    item = make_item(world.commission)
    service.item_delete(actor=world.staff, item=item)
    assert not InspectionItem.objects.exists() and not CheckPoint.objects.exists()
    assert AuditEvent.objects.get(action="supervision.item_delete").summary["checkpoints"] == 3


def test_check_points_are_added_changed_moved_and_deleted(world):
    item = make_item(world.commission)
    added = service.checkpoint_add(
        actor=world.staff, item=item, content="消毒记录", basis="《消毒管理办法》第四条"
    )
    assert added.order == 4
    assert points(item) == ["检查要点1", "检查要点2", "检查要点3", "消毒记录"]
    service.checkpoint_move(actor=world.staff, checkpoint=added, direction="up")
    assert points(item) == ["检查要点1", "检查要点2", "消毒记录", "检查要点3"]
    first = item.checkpoints.get(content="检查要点1")
    service.checkpoint_move(actor=world.staff, checkpoint=first, direction="down")
    assert points(item) == ["检查要点2", "检查要点1", "消毒记录", "检查要点3"]
    with pytest.raises(ValidationError) as error:
        service.checkpoint_move(
            actor=world.staff,
            checkpoint=item.checkpoints.get(content="检查要点3"),
            direction="down",
        )
    assert error.value.messages == ["该检查要点已在最后"]
    service.checkpoint_update(
        actor=world.staff, checkpoint=added, content="消毒隔离记录", basis="《消毒管理办法》第五条"
    )
    service.checkpoint_delete(
        actor=world.staff, checkpoint=item.checkpoints.get(content="检查要点1")
    )
    orders = list(item.checkpoints.order_by("order").values_list("order", "content"))
    assert orders == [(1, "检查要点2"), (2, "消毒隔离记录"), (3, "检查要点3")]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "supervision.checkpoint_add",
        "supervision.checkpoint_move",
        "supervision.checkpoint_update",
        "supervision.checkpoint_delete",
    } <= actions


def test_check_point_rules_in_chinese(world):
    item = make_item(world.commission, checkpoints=0)
    with pytest.raises(ValidationError) as error:
        service.checkpoint_add(actor=world.staff, item=item, content="甲", basis=" ")
    assert error.value.message_dict == {"basis": ["请填写法律依据"]}
    with pytest.raises(ValidationError) as error:
        service.checkpoint_add(actor=world.staff, item=item, content="", basis="乙")
    assert error.value.message_dict == {"content": ["请填写检查内容"]}


def test_a_new_unit_below_sees_the_items_above(world):
    township = make_org("某乡卫生院", world.county)
    clerk = make_user("clerk", township, Role.STAFF)
    item = make_item(world.commission)
    assert list(items_usable_by(clerk)) == [item]
