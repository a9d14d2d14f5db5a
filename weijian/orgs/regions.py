"""The GB/T 2260 code rules: a division's level and parent follow from its code alone.

Pure functions, no database: the importer, the seed migration (which keeps its own copy, as
migrations never import app code) and the tests all read the same rule.

- ``XX0000``  省级, no parent;
- ``XXXX00``  地级, parent ``XX0000``;
- other 6-digit codes are 县级, parent ``XXXX00`` when the table has it, else ``XX0000``
  (直辖市 districts such as 500103 whose 500100 市辖区 is not listed, 省直辖县级 cities);
- 9-digit codes are 乡级, parent the first six digits.

The statistics bureau writes 12-digit codes (`normalize_code`): ``XXXXXX000000`` is the 6-digit
division, ``XXXXXXYYY000`` the 乡级 ``XXXXXXYYY``; any other is a village (村级), which this
registry does not hold.
"""

from __future__ import annotations

import re
from collections.abc import Container

from weijian.orgs.models import RegionLevel

CODE_PATTERN = re.compile(r"(?:[0-9]{6}|[0-9]{9}|[0-9]{12})")


def is_valid_code(code: str) -> bool:
    """True for a 6-, 9- or 12-digit code (ASCII digits only)."""
    return bool(CODE_PATTERN.fullmatch(code))


def normalize_code(code: str) -> str | None:
    """The 6- or 9-digit code a valid code stands for; None for a 12-digit village code."""
    if len(code) != 12:
        return code
    if code.endswith("000000"):
        return code[:6]
    if code.endswith("000"):
        return code[:9]
    return None


def region_level(code: str) -> RegionLevel:
    """The level a valid code denotes."""
    if len(code) > 6:
        return RegionLevel.TOWNSHIP
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def region_parent_code(code: str, known: Container[str]) -> str | None:
    """The parent's code for a valid `code`; `known` holds the codes present in the table
    (it decides only whether a county hangs from its prefecture or from its province)."""
    level = region_level(code)
    if level == RegionLevel.PROVINCE:
        return None
    if level == RegionLevel.CITY:
        return code[:2] + "0000"
    if level == RegionLevel.COUNTY:
        prefecture = code[:4] + "00"
        return prefecture if prefecture in known else code[:2] + "0000"
    return code[:6]
