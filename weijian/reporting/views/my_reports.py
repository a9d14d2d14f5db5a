"""The unit's list of reports: every cycle × period of the user's organization, newest first,
with its state (pending, draft, submitted …), due date, timeliness and lock."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from weijian.core.pagination import paginate
from weijian.reporting import selectors
from weijian.reporting.services.submission import can_fill
from weijian.reporting.views.report import read_view


@read_view
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_report_rows(user=request.user)
    context = {
        **paginate(request, rows),
        "organization": request.user.organization,  # type: ignore[union-attr]
        "fills": can_fill(request.user, request.user.organization),  # type: ignore[union-attr]
    }
    return render(request, "reporting/my_reports.html", context)
