"""The meeting pages: the committees hosted in the user's tree with their waiting agenda, the
meetings, one meeting with its items, decisions and decided actions, the forms to hold a
meeting, write items in, record decisions and add actions, and the minutes as .docx.

Reading is for every user of the reporting module within the host's tree; the writes are for
the 科室人员 and 领导 of the host or above it (adding an action, which writes a plan task, for
the 科室人员), checked again by the services: a refusal is a 403 with its Chinese reason, a
broken rule is said on the form (or, for a delete, in a message)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from weijian.accounts.decorators import role_required
from weijian.accounts.roles import has_role
from weijian.core import audit
from weijian.core.modules import module_roles
from weijian.core.pagination import paginate
from weijian.core.xlsx import content_disposition
from weijian.orgs.models import Committee
from weijian.orgs.registry_views.common import actor
from weijian.reporting import minutes
from weijian.reporting import oversight_selectors as selectors
from weijian.reporting.models import AgendaItem, Meeting
from weijian.reporting.oversight_forms import FollowUpForm, ItemForm, MeetingForm
from weijian.reporting.services import meetings as service
from weijian.reporting.views.oversight_common import submit

read_view = role_required(*module_roles("reporting"))
write_view = role_required(*service.MANAGERS)


def meeting_url(meeting: Meeting | int) -> str:
    pk = meeting if isinstance(meeting, int) else meeting.pk
    return reverse("reporting:meeting_detail", args=[pk])


def agenda_url(committee: Committee | int) -> str:
    pk = committee if isinstance(committee, int) else committee.pk
    return reverse("reporting:committee_agenda", args=[pk])


def item_url(item: AgendaItem) -> str:
    if item.meeting_id is not None:
        return meeting_url(item.meeting_id) + f"#item-{item.pk}"
    return agenda_url(item.committee_id)


def may_manage(request: HttpRequest, committee: Committee) -> bool:
    user = request.user
    return has_role(user, *service.MANAGERS) and committee.host.is_within(
        user.organization  # type: ignore[union-attr]
    )


def _form_page(
    request: HttpRequest, form: Any, *, title: str, back: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "title": title, "back_url": back, **extra}
    return render(request, "reporting/meeting_form.html", context)


@read_view
def meeting_list(request: HttpRequest) -> HttpResponse:
    context = paginate(request, selectors.meetings(user=request.user))
    context["committees"] = list(selectors.committees(user=request.user))
    return render(request, "reporting/meeting_list.html", context)


def _agenda_page(
    request: HttpRequest, committee: Committee, form: ItemForm | None = None
) -> HttpResponse:
    manage = may_manage(request, committee)
    context = {
        "committee": committee,
        "items": selectors.waiting_items(committee=committee),
        "meetings": list(selectors.meetings(user=request.user, committee=committee.pk)[:20]),
        "can_manage": manage,
        "item_form": form or (ItemForm(decided=False) if manage else None),
    }
    return render(request, "reporting/meeting_agenda.html", context)


@read_view
def committee_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    return _agenda_page(request, selectors.committee_get(user=request.user, pk=pk))


@require_POST
@write_view
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An item written in, waiting for the committee's next meeting."""
    committee = selectors.committee_get(user=request.user, pk=pk)
    form = ItemForm(request.POST, decided=False)
    response = submit(
        request,
        form,
        lambda data: service.item_add(actor=actor(request), committee=committee, **data),
        done="已新增议题，待下次会议研究。",
        to=agenda_url(committee),
    )
    return response or _agenda_page(request, committee, form)


@write_view
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None)
    response = submit(
        request,
        form,
        lambda data: service.meeting_create(actor=actor(request), committee=committee, **data),
        done="已新建会议，待研究的议题已列入本次会议。",
        to=meeting_url,
    )
    waiting = selectors.waiting_items(committee=committee)
    title = f"新建会议 · {committee.name}"
    back = agenda_url(committee)
    return response or _form_page(request, form, title=title, back=back, waiting=waiting)


def _meeting_page(
    request: HttpRequest, meeting: Meeting, form: ItemForm | None = None
) -> HttpResponse:
    manage = may_manage(request, meeting.committee)
    context = {
        "meeting": meeting,
        "items": selectors.meeting_items(meeting=meeting),
        "can_manage": manage,
        "item_form": form or (ItemForm() if manage else None),
    }
    return render(request, "reporting/meeting_detail.html", context)


@read_view
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_page(request, selectors.meeting_get(user=request.user, pk=pk))


@write_view
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    response = submit(
        request,
        form,
        lambda data: service.meeting_update(actor=actor(request), meeting=meeting, **data),
        done="已保存会议。",
        to=meeting_url(meeting),
    )
    title = f"修改会议 · {meeting.title}"
    return response or _form_page(request, form, title=title, back=meeting_url(meeting))


@require_POST
@write_view
def meeting_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An item written in on the meeting itself (last)."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = ItemForm(request.POST)
    response = submit(
        request,
        form,
        lambda data: service.item_add(
            actor=actor(request), committee=meeting.committee, meeting=meeting, **data
        ),
        done="已新增议题。",
        to=item_url,
    )
    return response or _meeting_page(request, meeting, form)


@write_view
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    form = ItemForm(
        request.POST or None,
        initial=ItemForm.initial_for(item),
        decided=item.meeting_id is not None,
    )
    response = submit(
        request,
        form,
        lambda data: service.item_update(actor=actor(request), item=item, **data),
        done="已保存议题。",
        to=item_url(item),
    )
    return response or _form_page(
        request, form, title=f"修改议题 · {item.title}", back=item_url(item)
    )


@require_POST
@write_view
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    back = item_url(item)
    try:
        service.item_remove(actor=actor(request), item=item)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已删除议题“{item.title}”。")
    return redirect(back)


@write_view
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    committee = item.committee
    form = FollowUpForm(request.POST or None, units=selectors.follow_up_units(committee=committee))
    response = submit(
        request,
        form,
        lambda data: service.follow_up_add(actor=actor(request), item=item, **data),
        done="已添加议定事项，并记为议定事项方案中的任务。",
        to=item_url(item),
    )
    title = f"添加议定事项 · {item.title}"
    return response or _form_page(request, form, title=title, back=item_url(item), item=item)


@read_view
@require_GET
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes as .docx (audited export)."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    data = minutes.minutes_docx(meeting, selectors.meeting_items(meeting=meeting))
    audit.record(
        action="data.export",
        actor=actor(request),
        obj=meeting,
        organization=meeting.committee.host,
        summary={"what": f"会议纪要：{meeting.title}", "format": "docx", "bytes": len(data)},
    )
    response = HttpResponse(data, content_type=minutes.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(minutes.filename(meeting))
    return response
