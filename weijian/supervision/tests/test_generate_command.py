"""`manage.py generate_supervision_data`: deterministic, valid codes, conflicts present, and a
second run (same seed, or another seed) never collides."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from weijian.conftest import World
from weijian.core.crypto import blind_index
from weijian.core.identifiers import validate_resident_id, validate_uscc
from weijian.orgs.models import Organization
from weijian.supervision.identifiers import validate_license_number
from weijian.supervision.models import (
    Inspector,
    InspectorEmployment,
    InspectorRelative,
    Institution,
    PoolStatus,
    Practitioner,
)


def _generate(*, region: str = "360300", seed: int = 3, n: int = 200, m: int = 30) -> str:
    out = io.StringIO()
    call_command(
        "generate_supervision_data", "--region", region, "--institutions", str(n),
        "--inspectors", str(m), "--seed", str(seed), stdout=out,
    )  # fmt: skip
    return out.getvalue()


def _fingerprint() -> list[Any]:
    return [
        list(Institution.objects.order_by("uscc").values_list(
            "uscc", "name", "category", "subcategory", "level", "beds", "risk_grade", "status"
        )),
        list(Inspector.objects.order_by("certificate_number").values_list(
            "certificate_number", "name", "status", "certificate_valid_until"
        )),
        sorted(InspectorEmployment.objects.values_list(
            "inspector__certificate_number", "institution__uscc"
        )),
        sorted(Practitioner.objects.values_list("license_number", "id_number_index")),
    ]  # fmt: skip


def test_generates_valid_data_with_conflicts(world: World) -> None:
    out = _generate()
    assert "新增机构 200 家" in out
    institutions = Institution.objects.all()
    assert institutions.count() == 200
    assert {i.supervisor for i in institutions} == {world.commission}
    assert {i.region_id for i in institutions} <= {"360302", "360313", "360321", "360322", "360323"}
    assert len({i.region_id for i in institutions}) == 5
    for institution in institutions[:50]:
        validate_uscc(institution.uscc)
        validate_license_number(institution.license_number)
        institution.full_clean()
    practitioners = Practitioner.objects.all()
    assert practitioners.count() == 400
    person = practitioners.first()
    assert person is not None
    validate_resident_id(person.id_number)
    assert person.id_number_index == blind_index(person.id_number, purpose="resident_id")
    inspectors = Inspector.objects.all()
    assert inspectors.count() == 30
    assert inspectors.filter(status=PoolStatus.SUSPENDED).exists() or inspectors.count() < 40
    assert (
        InspectorEmployment.objects.exists()
        and InspectorRelative.objects.exists()
        or (InspectorEmployment.objects.count() >= 3)
    )
    categories = set(institutions.values_list("category", flat=True))
    assert "primary_care" in categories


def test_same_seed_same_data(world: World) -> None:
    with transaction.atomic():
        _generate(seed=8)
        first = _fingerprint()
        transaction.set_rollback(True)
    _generate(seed=8)
    assert _fingerprint() == first


def test_reruns_never_collide(world: World) -> None:
    _generate(seed=8)
    assert "跳过已存在的 200 家" in _generate(seed=8)
    assert Institution.objects.count() == 200
    _generate(seed=9)
    assert Institution.objects.count() == 400
    assert Inspector.objects.count() == 60


def test_creates_the_region_authority_when_missing(db: None) -> None:
    _generate(region="360302", n=20, m=4)
    authority = Organization.objects.get(name="安源区卫生健康委员会")
    assert authority.parent is None and authority.path == authority.segment()
    assert authority.region_id == "360302"
    assert set(Institution.objects.values_list("region_id", flat=True)) == {"360302"}


def test_unknown_region(db: None) -> None:
    with pytest.raises(CommandError, match="未知的行政区划代码"):
        _generate(region="999999")
