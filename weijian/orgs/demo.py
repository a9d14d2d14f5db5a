"""The demo organizations: a city commission with county bureaus and hospitals, and a body in
another tree (for showing that scoping holds). Names and regions come from the seed documents."""

from __future__ import annotations

from collections.abc import Callable

from weijian.orgs import services
from weijian.orgs.models import Organization, OrganizationKind, Region

DEMO_COMMISSION = "萍乡市卫生健康委员会"
DEMO_COUNTY = "莲花县卫生健康委员会"
DEMO_ELSEWHERE = "渝中区卫生健康委员会"

K = OrganizationKind
# name, kind, parent name (None for a root), region code
DEMO_ORGANIZATIONS: list[tuple[str, str, str | None, str]] = [
    (DEMO_COMMISSION, K.HEALTH_AUTHORITY, None, "360300"),
    ("萍乡市疾病预防控制中心", K.PUBLIC_HEALTH, DEMO_COMMISSION, "360300"),
    ("萍乡市人民医院", K.HOSPITAL, DEMO_COMMISSION, "360300"),
    ("安源区卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360302"),
    ("湘东区卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360313"),
    (DEMO_COUNTY, K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360321"),
    ("上栗县卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360322"),
    ("芦溪县卫生健康委员会", K.HEALTH_AUTHORITY, DEMO_COMMISSION, "360323"),
    ("莲花县人民医院", K.HOSPITAL, DEMO_COUNTY, "360321"),
    ("莲花县疾病预防控制中心", K.PUBLIC_HEALTH, DEMO_COUNTY, "360321"),
    (DEMO_ELSEWHERE, K.HEALTH_AUTHORITY, None, "500103"),
]


def load_organizations(say: Callable[[str], None]) -> None:
    created = 0
    for name, kind, parent_name, region_code in DEMO_ORGANIZATIONS:
        parent = Organization.objects.get(name=parent_name) if parent_name else None
        if Organization.objects.filter(name=name, parent=parent).exists():
            continue
        services.organization_insert(
            name=name,
            kind=kind,
            parent=parent,
            region=Region.objects.get(code=region_code),
            source="load_demo",
        )
        created += 1
    say(f"演示单位：新建 {created} 个，共 {len(DEMO_ORGANIZATIONS)} 个。")
