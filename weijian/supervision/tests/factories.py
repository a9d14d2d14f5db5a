"""Test-data shortcuts for supervision records, with valid codes from `supervision.codes`."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from weijian.orgs.models import Organization, Region
from weijian.supervision.codes import make_license_number, make_resident_id, make_uscc
from weijian.supervision.models import (
    CheckPoint,
    InspectionItem,
    Inspector,
    Institution,
    InstitutionCategory,
    Ownership,
    Practitioner,
    PractitionerKind,
)

_serial = itertools.count(1)


def make_institution(supervisor: Organization, name: str, **fields: Any) -> Institution:
    n = next(_serial)
    region_code = fields.pop("region_code", "360321")
    values: dict[str, Any] = {
        "uscc": make_uscc(n, region_code=region_code),
        "license_number": make_license_number(n, region_code=region_code),
        "category": InstitutionCategory.HOSPITAL,
        "subcategory": "综合医院",
        "ownership": Ownership.PUBLIC,
        "region": Region.objects.get(code=region_code),
        "license_valid_until": datetime.date(2030, 12, 31),
    }
    values.update(fields)
    return Institution.objects.create(name=name, supervisor=supervisor, **values)


def make_practitioner(institution: Institution, name: str, **fields: Any) -> Practitioner:
    n = next(_serial)
    id_number = fields.pop("id_number", make_resident_id(n))
    from weijian.core.crypto import blind_index

    values: dict[str, Any] = {
        "kind": PractitionerKind.PHYSICIAN,
        "license_number": f"1103600{n:08d}",
        "practice_category": "临床",
        "practice_scope": "内科专业",
    }
    values.update(fields)
    return Practitioner.objects.create(
        name=name,
        institution=institution,
        id_number=id_number,
        id_number_index=blind_index(id_number, purpose="resident_id"),
        **values,
    )


def make_inspector(organization: Organization, name: str, **fields: Any) -> Inspector:
    n = next(_serial)
    values: dict[str, Any] = {
        "certificate_number": f"赣卫执{n:06d}",
        "certificate_valid_until": datetime.date(2030, 12, 31),
    }
    values.update(fields)
    return Inspector.objects.create(name=name, organization=organization, **values)


def make_item(
    owner: Organization, name: str = "医疗机构依法执业情况", checkpoints: int = 3
) -> InspectionItem:
    item = InspectionItem.objects.create(
        owner=owner,
        name=name,
        sub_item="医疗机构资质",
        basis="《医疗机构管理条例》",
        subject="卫生健康行政部门",
        object_scope="辖区内医疗机构",
        ratio="不低于5%",
        frequency="每年不少于1次",
        method="现场检查",
        inspector_requirements="不少于2名持有执法证的执法人员",
    )
    for order in range(1, checkpoints + 1):
        CheckPoint.objects.create(
            item=item,
            order=order,
            content=f"检查要点{order}",
            basis=f"《医疗机构管理条例》第{order + 10}条",
        )
    return item
