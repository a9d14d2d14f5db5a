"""The supervision and portal rows of the project-wide access matrix
(weijian/core/tests/test_access_matrix.py): what an outsider (科室人员 and 系统管理员 of 渝中区,
another tree) gets from each view. Lists and blank forms answer 200 with his own (empty) tree;
every object of the commission's tree is a 404."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from weijian.conftest import World
from weijian.supervision.models import (
    Expert,
    InspectionPhoto,
    InspectorEmployment,
    InspectorRelative,
    PracticeSite,
)
from weijian.supervision.tests.factories import (
    make_inspector,
    make_institution,
    make_item,
    make_practitioner,
)
from weijian.supervision.tests.inspection_factories import build_scene

Args = Callable[[World], list[object]]


def _institution(world: World) -> list[object]:
    return [make_institution(world.commission, "莲花县人民医院").pk]


def _practitioner(world: World) -> list[object]:
    institution = make_institution(world.commission, "莲花县人民医院")
    return [make_practitioner(institution, "张医生").pk]


def _practice_site(world: World) -> list[object]:
    home = make_institution(world.commission, "莲花县人民医院")
    other = make_institution(world.commission, "莲花县中医院")
    practitioner = make_practitioner(home, "张医生")
    site = PracticeSite.objects.create(
        practitioner=practitioner, institution=other, filed_on=datetime.date(2026, 1, 5)
    )
    return [site.pk]


def _inspector(world: World) -> list[object]:
    return [make_inspector(world.county, "张执法").pk]


def _employment(world: World) -> list[object]:
    inspector = make_inspector(world.county, "张执法")
    institution = make_institution(world.commission, "莲花县人民医院")
    entry = InspectorEmployment.objects.create(inspector=inspector, institution=institution)
    return [entry.pk]


def _relative(world: World) -> list[object]:
    inspector = make_inspector(world.county, "张执法")
    institution = make_institution(world.commission, "莲花县人民医院")
    entry = InspectorRelative.objects.create(
        inspector=inspector, institution=institution, relation="配偶"
    )
    return [entry.pk]


def _expert(world: World) -> list[object]:
    expert = Expert.objects.create(
        name="王专家", owner=world.commission, workplace="萍乡市人民医院", phone="13812345678"
    )
    return [expert.pk]


def _item(world: World) -> list[object]:
    return [make_item(world.commission).pk]


def _checkpoint(world: World) -> list[object]:
    return [make_item(world.commission).checkpoints.first().pk]  # type: ignore[union-attr]


def _plan(world: World) -> list[object]:
    return [build_scene(world, institutions=1).plan.pk]


def _draw(world: World) -> list[object]:
    return [build_scene(world, institutions=1).draw.pk]


def _inspection(world: World) -> list[object]:
    return [build_scene(world, institutions=1).inspections[0].pk]


def _photo(world: World) -> list[object]:
    inspection = build_scene(world, institutions=1).inspections[0]
    photo = InspectionPhoto.objects.create(inspection=inspection, file="supervision/x.png")
    return [photo.pk]


def _import(world: World) -> list[object]:
    return ["institutions"]


def _import_token(world: World) -> list[object]:
    return ["institutions", "A" * 32]


def _published_institution(world: World) -> list[object]:
    return [build_scene(world, institutions=1).institutions[0].pk]


# (URL name, arguments, outsider status, public)
ENTRIES: list[tuple[str, Args | None, int, bool]] = [
    ("supervision:institution_list", None, 200, False),
    ("supervision:institution_export", None, 200, False),
    ("supervision:institution_create", None, 200, False),
    ("supervision:institution_detail", _institution, 404, False),
    ("supervision:institution_edit", _institution, 404, False),
    ("supervision:practitioner_list", None, 200, False),
    ("supervision:practitioner_export", None, 200, False),
    ("supervision:practitioner_create", None, 200, False),
    ("supervision:practitioner_detail", _practitioner, 404, False),
    ("supervision:practitioner_edit", _practitioner, 404, False),
    ("supervision:practitioner_reveal_id", _practitioner, 404, False),
    ("supervision:practice_site_add", _practitioner, 404, False),
    ("supervision:practice_site_end", _practice_site, 404, False),
    ("supervision:registry_import", _import, 200, False),
    ("supervision:registry_import_template", _import, 200, False),
    ("supervision:registry_import_preview", _import_token, 404, False),
    ("supervision:registry_import_cancel", _import_token, 404, False),
    ("supervision:inspector_list", None, 200, False),
    ("supervision:inspector_export", None, 200, False),
    ("supervision:inspector_create", None, 200, False),
    ("supervision:inspector_detail", _inspector, 404, False),
    ("supervision:inspector_edit", _inspector, 404, False),
    ("supervision:inspector_status", _inspector, 404, False),
    ("supervision:inspector_delete", _inspector, 404, False),
    ("supervision:inspector_link_user", _inspector, 404, False),
    ("supervision:inspector_unlink_user", _inspector, 404, False),
    ("supervision:employment_add", _inspector, 404, False),
    ("supervision:employment_remove", _employment, 404, False),
    ("supervision:relative_add", _inspector, 404, False),
    ("supervision:relative_remove", _relative, 404, False),
    ("supervision:inspector_institution_options", None, 200, False),
    ("supervision:expert_list", None, 200, False),
    ("supervision:expert_export", None, 200, False),
    ("supervision:expert_create", None, 200, False),
    ("supervision:expert_edit", _expert, 404, False),
    ("supervision:expert_status", _expert, 404, False),
    ("supervision:expert_reveal_phone", _expert, 404, False),
    ("supervision:item_list", None, 200, False),
    ("supervision:item_export", None, 200, False),
    ("supervision:item_create", None, 200, False),
    ("supervision:item_detail", _item, 404, False),
    ("supervision:item_edit", _item, 404, False),
    ("supervision:item_active", _item, 404, False),
    ("supervision:item_delete", _item, 404, False),
    ("supervision:checkpoint_add", _item, 404, False),
    ("supervision:checkpoint_edit", _checkpoint, 404, False),
    ("supervision:checkpoint_delete", _checkpoint, 404, False),
    ("supervision:checkpoint_move", _checkpoint, 404, False),
    ("supervision:plan_list", None, 200, False),
    ("supervision:plan_create", None, 200, False),
    ("supervision:plan_detail", _plan, 404, False),
    ("supervision:plan_edit", _plan, 404, False),
    ("supervision:plan_draw", _plan, 404, False),
    ("supervision:plan_redraw", _plan, 404, False),
    ("supervision:draw_export", _draw, 404, False),
    ("supervision:my_inspections", None, 200, False),
    ("supervision:inspection_detail", _inspection, 404, False),
    ("supervision:inspection_record", _inspection, 404, False),
    ("supervision:inspection_photo_add", _inspection, 404, False),
    ("supervision:inspection_rectification", _inspection, 404, False),
    ("supervision:inspection_publish", _inspection, 404, False),
    ("supervision:inspection_photo", _photo, 404, False),
    ("supervision:inspection_photo_delete", _photo, 404, False),
    ("supervision:plan_inspections", _plan, 404, False),
    ("supervision:plan_publish", _plan, 404, False),
    ("supervision:annual_summary", None, 200, False),
    ("supervision:annual_summary_export", None, 200, False),
    ("portal:inspection_plans", None, 200, True),
    ("portal:inspection_plan", _plan, 200, True),
    ("portal:institution_list", None, 200, True),
    ("portal:institution", _published_institution, 200, True),
]

POST_ONLY = {
    "supervision:practitioner_reveal_id",
    "supervision:practice_site_add",
    "supervision:practice_site_end",
    "supervision:registry_import_cancel",
    "supervision:inspector_status",
    "supervision:inspector_link_user",
    "supervision:inspector_unlink_user",
    "supervision:employment_add",
    "supervision:employment_remove",
    "supervision:relative_add",
    "supervision:relative_remove",
    "supervision:expert_status",
    "supervision:expert_reveal_phone",
    "supervision:item_active",
    "supervision:checkpoint_add",
    "supervision:checkpoint_delete",
    "supervision:checkpoint_move",
    "supervision:inspection_record",
    "supervision:inspection_photo_add",
    "supervision:inspection_photo_delete",
    "supervision:inspection_rectification",
    "supervision:inspection_publish",
    "supervision:plan_publish",
}
