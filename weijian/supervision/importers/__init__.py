"""Excel imports of the registries: institutions, practitioners and inspectors.

Each kind has a template (exact headers and a 说明 sheet), a pure `parse` returning a plan with
every row error, and an `apply` writing a plan without errors in one transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.http import Http404

from weijian.supervision.importers import inspectors, institutions, practitioners
from weijian.supervision.importers.sheet import Column, ImportPlan


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: str  # what one row is, e.g. 医疗卫生机构
    sheet: str
    columns: Sequence[Column]
    notes: Sequence[str]
    key: str  # the column that matches an existing record
    parse: Callable[..., ImportPlan]
    apply: Callable[..., dict[str, int]]
    back: str  # the list page to return to (URL name), when it exists


KINDS = {
    "institutions": ImportKind(
        code="institutions",
        label="医疗卫生机构",
        sheet=institutions.SHEET,
        columns=institutions.COLUMNS,
        notes=institutions.NOTES,
        key=institutions.USCC,
        parse=institutions.parse,
        apply=institutions.apply,
        back="supervision:institution_list",
    ),
    "practitioners": ImportKind(
        code="practitioners",
        label="医务人员",
        sheet=practitioners.SHEET,
        columns=practitioners.COLUMNS,
        notes=practitioners.NOTES,
        key=practitioners.LICENSE,
        parse=practitioners.parse,
        apply=practitioners.apply,
        back="supervision:practitioner_list",
    ),
    "inspectors": ImportKind(
        code="inspectors",
        label="执法人员",
        sheet=inspectors.SHEET,
        columns=inspectors.COLUMNS,
        notes=inspectors.NOTES,
        key=inspectors.CERTIFICATE,
        parse=inspectors.parse,
        apply=inspectors.apply,
        back="supervision:inspector_list",
    ),
}


def kind_or_404(code: str) -> ImportKind:
    try:
        return KINDS[code]
    except KeyError:
        raise Http404("没有这种导入。") from None
