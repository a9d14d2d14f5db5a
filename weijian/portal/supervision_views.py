"""The portal's 双随机抽查 pages (plans with published results, a plan's results) and its
institution directory with each institution's public archive. Public, no login, read through
`supervision_selectors` only: published results, licence facts, never people."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from weijian.core.pagination import paginate
from weijian.portal import supervision_selectors as selectors
from weijian.supervision.models import InstitutionCategory


class DirectoryForm(forms.Form):
    name = forms.CharField(label="机构名称", required=False, max_length=100)
    region = forms.ChoiceField(label="所在区划", required=False)
    category = forms.ChoiceField(
        label="机构类别",
        required=False,
        choices=[("", "全部类别"), *InstitutionCategory.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)  # noqa: S101 (declared above)
        region.choices = [("", "全部区划"), *selectors.region_choices()]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css

    def to_filter(self) -> selectors.DirectoryFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return selectors.DirectoryFilter(
            name=data.get("name") or "",
            region=data.get("region") or "",
            category=data.get("category") or "",
        )


def _year(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() else None


def inspection_plans(request: HttpRequest) -> HttpResponse:
    """双随机抽查: the plans with at least one published result, newest first."""
    year = _year(request)
    context = paginate(request, selectors.published_plans(year=year), per_page=20)
    context.update(
        year=year,
        years=selectors.published_years(),
        plans=[selectors.public_plan(plan) for plan in context["page"]],
    )
    return render(request, "portal/supervision/plan_list.html", context)


def inspection_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.published_plan(pk=pk)
    context = {"plan": plan, "results": selectors.plan_results(plan=plan)}
    return render(request, "portal/supervision/plan.html", context)


def institution_list(request: HttpRequest) -> HttpResponse:
    """机构名录: search by name, region and category."""
    form = DirectoryForm(request.GET or None)
    context = paginate(request, selectors.institution_directory(form.to_filter()), per_page=30)
    context.update(form=form, institutions=[selectors.public_facts(i) for i in context["page"]])
    return render(request, "portal/supervision/institution_list.html", context)


def institution(request: HttpRequest, pk: int) -> HttpResponse:
    """An institution's public archive: licence facts and published inspection results."""
    found = selectors.public_institution(pk=pk)
    context = {"institution": found, "results": selectors.institution_results(institution=found)}
    return render(request, "portal/supervision/institution.html", context)
