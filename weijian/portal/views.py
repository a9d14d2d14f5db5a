"""The public portal: read-only, no login, published records only, no personal data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from weijian.core.pagination import paginate
from weijian.portal import selectors

SECTIONS = {
    "profile": "机构职能",
    "departments": "内设机构",
    "leaders": "领导分工",
    "hours": "办公时间",
}


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def organization_list(request: HttpRequest) -> HttpResponse:
    """The published agencies (机构概况)."""
    context = paginate(request, selectors.organization_published_list(), per_page=20)
    return render(request, "portal/organization_list.html", context)


def _organization_page(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    profile = selectors.published_profile(pk=pk)
    context = {
        "profile": profile,
        "organization": profile.organization,
        "section": section,
        "section_title": SECTIONS[section],
        "office_status": selectors.office_status(profile=profile),
    }
    return render(request, f"portal/organization_{section}.html", context)


def organization(request: HttpRequest, pk: int) -> HttpResponse:
    """机构职能: name and plates, rank, duties, 职能转变, duty boundaries, staffing, contact."""
    return _organization_page(request, pk, "profile")


def organization_departments(request: HttpRequest, pk: int) -> HttpResponse:
    """内设机构: departments with their aliases, duties and supervising leaders."""
    return _organization_page(request, pk, "departments")


def organization_leaders(request: HttpRequest, pk: int) -> HttpResponse:
    """领导分工: leaders with titles and division of work."""
    return _organization_page(request, pk, "leaders")


def organization_hours(request: HttpRequest, pk: int) -> HttpResponse:
    """办公时间: the seasons, whether the office is open now, and how to reach it."""
    return _organization_page(request, pk, "hours")
