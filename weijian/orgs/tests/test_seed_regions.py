"""Migration 0002 loads the seed regions with their parents."""

from __future__ import annotations

from pathlib import Path

import pytest

from weijian.orgs.importers.regions import parse_regions, read_csv
from weijian.orgs.models import Region, RegionLevel
from weijian.orgs.regions import region_level, region_parent_code

SEED = Path(__file__).resolve().parent.parent / "data" / "regions_seed.csv"

pytestmark = pytest.mark.django_db


def seed_rows():
    result = parse_regions(read_csv(SEED.read_bytes()))
    assert result.ok, [str(error) for error in result.errors]
    return result.rows


@pytest.mark.parametrize(
    ("code", "name", "parent"),
    [
        ("360302", "安源区", "360300"),
        ("360323", "芦溪县", "360300"),
        ("360300", "萍乡市", "360000"),
        ("500103", "渝中区", "500000"),
        ("220681", "临江市", "220600"),
        ("150785", "根河市", "150700"),
        ("341602", "谯城区", "341600"),
        ("320904", "大丰区", "320900"),
        ("150000", "内蒙古自治区", None),
    ],
)
def test_seed_region_exists_with_its_parent(code, name, parent):
    region = Region.objects.get(code=code)
    assert region.name == name
    assert region.parent_id == parent


def test_levels():
    assert Region.objects.get(code="360000").level == RegionLevel.PROVINCE
    assert Region.objects.get(code="360300").level == RegionLevel.CITY
    assert Region.objects.get(code="360302").level == RegionLevel.COUNTY


def test_county_level_divisions_of_the_seed_cities():
    def counties(code):
        return Region.objects.filter(parent_id=code).count()

    assert counties("360300") == 5
    assert counties("150700") == 14
    assert counties("320900") == 9


def test_every_seed_row_is_loaded_by_the_shared_rule():
    rows = seed_rows()
    known = {row.code for row in rows}
    loaded = {region.code: region for region in Region.objects.filter(code__in=known)}
    assert set(loaded) == known
    for row in rows:
        region = loaded[row.code]
        assert (region.name, region.level) == (row.name, region_level(row.code))
        assert region.parent_id == region_parent_code(row.code, known)
