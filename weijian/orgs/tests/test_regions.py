"""The GB/T 2260 level and parent rule (pure, no database)."""

from __future__ import annotations

import pytest

from weijian.orgs.models import RegionLevel
from weijian.orgs.regions import is_valid_code, region_level, region_parent_code


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("360000", RegionLevel.PROVINCE),
        ("360300", RegionLevel.CITY),
        ("360302", RegionLevel.COUNTY),
        ("500103", RegionLevel.COUNTY),
        ("360302001", RegionLevel.TOWNSHIP),
        ("360302001000", RegionLevel.TOWNSHIP),
    ],
)
def test_level_follows_from_the_code(code, level):
    assert region_level(code) == level


def test_province_has_no_parent():
    assert region_parent_code("360000", {"360000"}) is None


def test_prefecture_hangs_from_its_province():
    assert region_parent_code("360300", set()) == "360000"


def test_county_hangs_from_its_prefecture_when_listed():
    assert region_parent_code("360302", {"360000", "360300"}) == "360300"


def test_municipality_district_without_listed_city_districts_hangs_from_the_province():
    assert region_parent_code("500103", {"500000"}) == "500000"


def test_municipality_district_hangs_from_city_districts_when_listed():
    assert region_parent_code("500103", {"500000", "500100"}) == "500100"


@pytest.mark.parametrize("code", ["360302001", "360302001000"])
def test_township_hangs_from_its_county(code):
    assert region_parent_code(code, set()) == "360302"


@pytest.mark.parametrize("code", ["360302", "360302001", "360302001000"])
def test_valid_codes(code):
    assert is_valid_code(code)


@pytest.mark.parametrize(
    "code", ["", "36030", "3603021", "3603X1", "360302 ", "３６０３０２", "36030200100"]
)
def test_invalid_codes(code):
    assert not is_valid_code(code)
