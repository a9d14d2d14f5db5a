"""The unit's report for a period: all its tasks on one page, each saved as a draft while the
user types (htmx posts one task's fields to `report_save`), submitted together; attachments.

Anyone of the reporting module may read the page of his own unit or of a unit below his
(scoping); only the unit's own 填报员 and 科室人员 may change it (`require_filler`: 403)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.models import User
from weijian.core.modules import module_roles
from weijian.orgs.models import Organization
from weijian.plans.models import Target
from weijian.reporting import selectors
from weijian.reporting.forms import AttachmentForm, ReportForm
from weijian.reporting.locks import lock_reason
from weijian.reporting.models import ProgressReport, ReportingCycle, ReportStatus
from weijian.reporting.models.reports import EDITABLE_STATES
from weijian.reporting.periods import Period
from weijian.reporting.services import submission
from weijian.reporting.services.expected import open_period

read_view = role_required(*module_roles("reporting"))


def unit_period(
    request: HttpRequest, org: int, cycle: int, period: str
) -> tuple[Organization, ReportingCycle, Period]:
    """The unit (in the user's scope), the cycle it reports in, and a begun period: or 404."""
    organization = selectors.organization_get(user=request.user, pk=org)
    found = selectors.unit_cycle_get(organization=organization, pk=cycle)
    return organization, found, selectors.period_get(cycle=found, key=period)


def page_url(organization_id: int, cycle_id: int, period: str) -> str:
    return reverse("reporting:report_page", args=[cycle_id, organization_id, period])


def report_url(report: ProgressReport) -> str:
    page = page_url(report.organization_id, report.cycle_id, report.period)
    return f"{page}#report-{report.pk}"


@dataclass
class TargetLine:
    target: Target
    text: str
    value: float | None
    previous: float | None
    field: Any = None  # the form's input while the report is editable

    @property
    def value_text(self) -> str:
        return "" if self.value is None else f"{self.value:g}"

    @property
    def previous_text(self) -> str:
        return "" if self.previous is None else f"{self.previous:g}"


@dataclass
class Block:
    """One task of the page: a form while the unit may edit it, its values otherwise."""

    report: ProgressReport
    role: str
    targets: list[TargetLine]
    form: ReportForm | None = None
    previous: ProgressReport | None = None
    attachments: list[Any] = field(default_factory=list)

    @property
    def badge(self) -> str:
        return selectors.STATUS_BADGES[ReportStatus(self.report.status)]


def _blocks(
    reports: list[ProgressReport],
    previous: dict[int, ProgressReport],
    editable: bool,
    forms: dict[int, ReportForm],
) -> list[Block]:
    blocks = []
    for report in reports:
        targets = list(report.task.targets.all())
        values = {value.target_id: value.value for value in report.values.all()}
        before = previous.get(report.task_id)
        earlier = {value.target_id: value.value for value in before.values.all()} if before else {}
        form = None
        if editable and report.status in EDITABLE_STATES:
            form = forms.get(report.pk) or ReportForm(report=report, targets=targets)
        lines = [
            TargetLine(
                t,
                selectors.target_text(t),
                values.get(t.pk),
                earlier.get(t.pk),
                form[f"t{t.pk}"] if form else None,
            )
            for t in targets
        ]
        blocks.append(
            Block(
                report=report,
                role=selectors.task_role_label(report),
                targets=lines,
                form=form,
                previous=before,
                attachments=list(report.attachments.all()),
            )
        )
    return blocks


def page_context(
    request: HttpRequest,
    organization: Organization,
    cycle: ReportingCycle,
    period: Period,
    *,
    forms: dict[int, ReportForm] | None = None,
    errors: list[str] | None = None,
) -> dict[str, Any]:
    reports = selectors.unit_reports(cycle=cycle, organization=organization, period=period.key)
    summary = selectors.summarize(reports)
    lock = lock_reason(cycle, organization, period.key)
    fills = submission.can_fill(request.user, organization)
    editable = fills and lock is None
    previous = selectors.previous_reports(cycle=cycle, organization=organization, period=period)
    trail = selectors.review_trail(cycle=cycle, organization=organization, period=period.key)
    returned = selectors.latest_return(trail) if summary.counts[ReportStatus.RETURNED] else None
    return {
        "organization": organization,
        "cycle": cycle,
        "period": period,
        "due_at": cycle.due_at(period),
        "summary": summary,
        "lock": lock,
        "fills": fills,
        "editable": editable and summary.editable,
        "blocks": _blocks(reports, previous, editable, forms or {}),
        "trail": trail,
        "returned": returned,
        "errors": errors or [],
    }


@read_view
@require_GET
def report_page(request: HttpRequest, org: int, cycle: int, period: str) -> HttpResponse:
    organization, found, opened = unit_period(request, org, cycle, period)
    open_period(found, opened)
    context = page_context(request, organization, found, opened)
    return render(request, "reporting/report_page.html", context)


@read_view
@require_POST
def report_submit(request: HttpRequest, org: int, cycle: int, period: str) -> HttpResponse:
    user = cast(User, request.user)
    organization, found, opened = unit_period(request, org, cycle, period)
    submission.require_filler(actor=user, organization=organization, obj=found)
    reports = selectors.unit_reports(cycle=found, organization=organization, period=opened.key)
    forms = {
        report.pk: ReportForm(request.POST, report=report, targets=list(report.task.targets.all()))
        for report in reports
        if report.status in EDITABLE_STATES
    }
    errors = [
        message for form in forms.values() if not form.is_valid() for message in form.messages()
    ]
    if not errors:
        try:
            submitted = submission.report_submit(
                actor=user,
                cycle=found,
                organization=organization,
                period=opened.key,
                drafts={pk: form.draft() for pk, form in forms.items()},
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已报送{opened.label}进展报告，共 {len(submitted)} 项任务。")
            return redirect(page_url(organization.pk, found.pk, opened.key))
    context = page_context(request, organization, found, opened, forms=forms, errors=errors)
    return render(request, "reporting/report_page.html", context)


@read_view
@require_POST
def report_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The htmx autosave of one task: answers a fragment "已保存 HH:MM" or why it was not."""
    user = cast(User, request.user)
    report = selectors.report_get(user=request.user, pk=pk)
    submission.require_filler(actor=user, organization=report.organization, obj=report)
    targets = list(report.task.targets.select_related("indicator").order_by("pk"))
    form = ReportForm(request.POST, report=report, targets=targets)
    errors = [] if form.is_valid() else form.messages()
    if not errors:
        try:
            submission.report_save_draft(actor=user, report=report, draft=form.draft())
        except ValidationError as exc:
            errors = exc.messages
    context = {"errors": errors, "saved_at": timezone.localtime()}
    return render(request, "reporting/report_saved.html", context)


@read_view
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    report = selectors.report_get(user=request.user, pk=pk)
    submission.require_filler(actor=user, organization=report.organization, obj=report)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(str(error) for error in form.errors["file"]))
        return redirect(report_url(report))
    upload = form.cleaned_data["file"]
    try:
        submission.attachment_add(actor=user, report=report, upload=upload)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已上传附件“{upload.name}”。")
    return redirect(report_url(report))


@read_view
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("附件文件不存在。") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@read_view
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, pk=pk)
    report = attachment.report
    try:
        submission.attachment_delete(actor=cast(User, request.user), attachment=attachment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已删除附件“{attachment.name}”。")
    return redirect(report_url(report))
