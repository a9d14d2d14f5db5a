"""Resolving the unit names a plan document uses to organizations in the registry.

In order: the exact name or a plate (加挂牌子) of an organization; an `OrganizationAlias` valid
at the document's date; a `CollectiveUnit` (各县（区）人民政府), which stands for its members;
then a normalised fuzzy match (place prefix such as 市 and suffixes such as 等部门 removed,
abbreviations like 卫健委 for 卫生健康委员会 allowed) whose confidence (0–1) says how sure it is.
A name that matches nothing resolves to None and is kept as written by the caller.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from weijian.orgs.models import PATH_SEGMENT_WIDTH, PATH_SEPARATOR, Organization
from weijian.orgs.names import normalize_name
from weijian.plans.models import CollectiveUnit, OrganizationAlias

# Below this a fuzzy candidate is not offered at all.
MIN_FUZZY = 0.6
# Two candidates this close make the match ambiguous.
AMBIGUOUS_MARGIN = 0.02

_SUFFIX = re.compile(r"(?:等|及)(?:其他|有关|相关)?(?:部门|单位|机构)?$")
# A place name ending in 省/市/县/区/旗 (萍乡市, 莲花县), or a bare 市/县/区 the document leaves
# its place out with (市卫健委) — but not the 市 of 市场监管局.
_PLACE = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|自治州|州|盟|县|区|旗))?(?:[市县区旗](?!场))?"
)


_BRACKETS = str.maketrans({"〔": "（", "〕": "）", "[": "（", "]": "）", "【": "（", "】": "）"})


def normal(name: str) -> str:
    """normalize_name with every bracket shape (〔〕 [] 【】) as （）: 各县〔区〕 is 各县（区）."""
    return normalize_name(normalize_name(name).translate(_BRACKETS))


@dataclass(frozen=True)
class Resolution:
    """What a name resolved to. `via` is name, plate, alias, collective or fuzzy."""

    name: str
    organizations: tuple[Organization, ...]
    confidence: float
    via: str

    @property
    def organization(self) -> Organization | None:
        """The one organization meant, or None for a collective."""
        return self.organizations[0] if self.via != "collective" else None


# A name's level is the last character of the place it drops (市 in 市卫健委 and 萍乡市卫健委).
LEVEL_MISMATCH = 0.1
# Both names naming the same place make a fuzzy match that much surer (never above an exact
# core's 0.95).
SAME_PLACE = 0.05
# A fuzzy score below this can neither win (MIN_FUZZY) nor make the winner ambiguous (a rival
# within AMBIGUOUS_MARGIN of it), with some slack for the rounding to three decimals.
_IRRELEVANT = MIN_FUZZY - AMBIGUOUS_MARGIN - 0.005


@dataclass(frozen=True)
class NameForm:
    """What fuzzy matching compares in a name: its key, named place and level."""

    key: str
    place: str
    level: str


@functools.lru_cache(maxsize=8192)
def name_form(name: str) -> NameForm:
    """The parts of `name` that `similarity` compares, computed once per name (normalising is
    the costly part, and a registry's names are compared with every name of every document)."""
    text = _SUFFIX.sub("", normal(name)).strip()
    found = _PLACE.match(text)
    named = found.group(0) if found else ""
    return NameForm(
        key=text[len(named) :] or text,
        place=named if len(named) > 1 else "",
        level=named[-1] if named else "",
    )


def key(name: str) -> str:
    """The comparable core of a unit name: normalised, without place and 等部门."""
    return name_form(name).key


def level(name: str) -> str:
    """市, 县, 区 … as the name's place prefix ends, or "" without one."""
    return name_form(name).level


def place(name: str) -> str:
    """The named place a unit name starts with (莲花县 in 莲花县卫生健康委员会); "" for a bare
    市/县/区 or none."""
    return name_form(name).place


def _abbreviates(short: str, long: str) -> bool:
    """Whether `short` is `long` with characters left out (卫健委 for 卫生健康委员会)."""
    if not short or not long or short[0] != long[0] or len(short) >= len(long):
        return False
    rest = iter(long)
    return all(char in rest for char in short)


def similarity(name: str, other: str) -> float:
    """0–1: how likely `name` (as a document writes it) means `other` (a registry name)."""
    return score(name_form(name), name_form(other))


def score(name: NameForm, other: NameForm, *, floor: float = 0.0) -> float:
    """`similarity` of two names' forms. With a floor, a pair whose score is sure to be below
    it (by cheap bounds) scores 0.0 without running the sequence matcher."""
    a, b = name.key, other.key
    if not a or not b:
        return 0.0
    if name.place and other.place and name.place != other.place:
        return 0.0  # 莲花县卫健委 is never 渝中区卫健委, however alike the rest
    if a == b:
        return 0.95
    penalty = LEVEL_MISMATCH if name.level and other.level and name.level != other.level else 0.0
    if name.place and name.place == other.place:
        penalty = -SAME_PLACE  # 莲花县卫健委 and 莲花县卫生健康委员会: the same place, named
    bonus = 0.8 + 0.2 * len(a) / len(b) if _abbreviates(a, b) else 0.0
    if floor > 0:
        # The ratio is 2·matches / (len(a) + len(b)), and matches ≤ the shorter length.
        bound = max(2 * min(len(a), len(b)) / (len(a) + len(b)), bonus) - penalty
        if bound < floor:
            return 0.0
    ratio = max(difflib.SequenceMatcher(None, a, b).ratio(), bonus)
    return round(min(max(ratio - penalty, 0.0), 0.95), 3)


def tree_of(organization: Organization) -> list[Organization]:
    """The organizations of `organization`'s whole tree (its root and everything below)."""
    root = organization.path[: PATH_SEGMENT_WIDTH + len(PATH_SEPARATOR)]
    return list(Organization.objects.filter(path__startswith=root, is_active=True))


class UnitResolver:
    """Resolves names against a fixed set of organizations, loaded once.

    `on` is the document's date: aliases outside their validity are ignored (with no date
    every alias counts)."""

    def __init__(
        self,
        *,
        organizations: Iterable[Organization] | None = None,
        on: datetime.date | None = None,
    ) -> None:
        if organizations is None:
            organizations = Organization.objects.filter(is_active=True)
        self.organizations = list(organizations)
        self.on = on
        ids = {o.pk for o in self.organizations}
        self.ids = ids
        self.names: dict[str, Organization] = {}
        self.plates: dict[str, Organization] = {}
        # Each organization's name and plates as fuzzy matching compares them.
        self.forms: list[tuple[Organization, list[NameForm]]] = []
        for org in self.organizations:
            self.names.setdefault(normal(org.name), org)
            for plate in org.plates or []:
                self.plates.setdefault(normal(plate), org)
            self.forms.append((org, [name_form(n) for n in [org.name, *(org.plates or [])]]))
        self.aliases: dict[str, list[OrganizationAlias]] = {}
        for alias in OrganizationAlias.objects.filter(organization__in=ids).select_related(
            "organization"
        ):
            self.aliases.setdefault(normal(alias.name), []).append(alias)
        self.collectives = {
            normal(c.name): c for c in CollectiveUnit.objects.prefetch_related("members").all()
        }
        self._cache: dict[str, Resolution | None] = {}

    def resolve(self, name: str) -> Resolution | None:
        if name not in self._cache:
            self._cache[name] = self._resolve(name)
        return self._cache[name]

    def _resolve(self, name: str) -> Resolution | None:
        wanted = normal(name)
        stripped = _SUFFIX.sub("", wanted).strip() or wanted
        for form in dict.fromkeys([wanted, stripped]):
            found = self._exact(name, form)
            if found is not None:
                return found
        return self._fuzzy(name, stripped)

    def _exact(self, name: str, form: str) -> Resolution | None:
        if form in self.names:
            return Resolution(name, (self.names[form],), 1.0, "name")
        if form in self.plates:
            return Resolution(name, (self.plates[form],), 1.0, "plate")
        valid = [a for a in self.aliases.get(form, []) if self.on is None or a.is_valid_on(self.on)]
        organizations = list(dict.fromkeys(a.organization for a in valid))
        if len(organizations) == 1:
            return Resolution(name, (organizations[0],), 1.0, "alias")
        if organizations:  # the same alias for several bodies at that date
            return Resolution(name, (organizations[0],), 0.5, "alias")
        collective = self.collectives.get(form)
        if collective is not None:
            # Only the members inside the organizations resolved against (the owner's tree).
            members = tuple(m for m in collective.members.all() if m.pk in self.ids)
            return Resolution(name, members, 1.0, "collective")
        return None

    def _fuzzy(self, name: str, written: str) -> Resolution | None:
        wanted = name_form(written)
        # Candidates that cannot matter (below _IRRELEVANT) are left out: same result, faster.
        scored: list[tuple[float, Organization]] = []
        for org, forms in self.forms:
            best = max(score(wanted, f, floor=_IRRELEVANT) for f in forms)
            if best >= _IRRELEVANT:
                scored.append((best, org))
        for alias_name, aliases in self.aliases.items():
            current = [a for a in aliases if self.on is None or a.is_valid_on(self.on)]
            if current:
                alias_score = score(wanted, name_form(alias_name), floor=_IRRELEVANT) * 0.95
                if alias_score >= _IRRELEVANT:
                    scored.append((alias_score, current[0].organization))
        scored.sort(key=lambda pair: -pair[0])
        if not scored or scored[0][0] < MIN_FUZZY:
            return None
        confidence, org = scored[0]
        rivals = [s for s, o in scored[1:] if o.pk != org.pk]
        if rivals and rivals[0] >= confidence - AMBIGUOUS_MARGIN:
            confidence = round(confidence * 0.7, 3)
        return Resolution(name, (org,), confidence, "fuzzy")


def resolve_unit(
    name: str,
    *,
    on: datetime.date | None = None,
    organizations: Iterable[Organization] | None = None,
) -> Resolution | None:
    """One name; for many, build a `UnitResolver` once."""
    return UnitResolver(organizations=organizations, on=on).resolve(name)
