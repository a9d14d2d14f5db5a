"""Structured demo data, one module per body, built from the facts of the seed documents.

Each module exposes `PROFILE`, a dict in the JSON shape `import_profile --json` prints (and
`apply_profile` takes), and `BODY`, the facts a profile does not carry: where the body sits,
its contact details, and the units it needs below it before the profile is applied.

Names, titles, numbers, dates and rosters are copied from the seeds; duty and responsibility
texts are short paraphrases written for the demo, never the seeds' sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from weijian.orgs.models import OrganizationKind


@dataclass(frozen=True)
class Unit:
    """An organization the demo creates below the body (a liaison unit, a county bureau)."""

    name: str
    kind: str
    region: str
    plates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Body:
    """A demo body: its profile plus the facts that live outside the profile shape."""

    profile: Mapping[str, Any]
    region: str
    kind: str = OrganizationKind.HEALTH_AUTHORITY
    publishes: bool = False
    address: str = ""
    postcode: str = ""
    phone: str = ""
    website: str = ""
    units: tuple[Unit, ...] = ()
    staffing_note: str = ""

    @property
    def name(self) -> str:
        return str(self.profile["organization"]["name"])


def bodies() -> list[Body]:
    """The demo bodies in loading order."""
    from weijian.orgs.demo_data import hulunbuir, linjiang, pingxiang, yuzhong

    return [linjiang.BODY, yuzhong.BODY, pingxiang.BODY, hulunbuir.BODY]
