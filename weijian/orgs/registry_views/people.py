"""Posts (任职), their end (免职), the leaders' division of work, and a person's history."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from weijian.orgs import registry_selectors, selectors, services
from weijian.orgs.registry_forms import LeaderAssignmentForm, PostEndForm, PostForm
from weijian.orgs.registry_views.common import (
    actor,
    can_edit,
    profile_url,
    read_view,
    submit,
    write_view,
)

FORM_TEMPLATE = "orgs/registry_form.html"


@read_view
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = registry_selectors.person_get(user=request.user, pk=pk)
    posts = registry_selectors.person_posts(user=request.user, person=person)
    context = {"person": person, "posts": posts, "can_edit": can_edit(request)}
    return render(request, "orgs/person_detail.html", context)


@write_view
def post_create(request: HttpRequest, org_pk: int) -> HttpResponse:
    organization = selectors.organization_get(user=request.user, pk=org_pk)
    form = PostForm(request.POST or None, organization=organization)
    back = profile_url(organization, "leaders")
    response = submit(
        request,
        form,
        lambda data: services.post_save(actor=actor(request), organization=organization, **data),
        done="已新增任职。",
        to=back,
    )
    context = {"form": form, "title": f"新增任职 · {organization.name}", "back_url": back}
    return response or render(request, FORM_TEMPLATE, context)


@write_view
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = registry_selectors.post_get(user=request.user, pk=pk)
    form = PostForm(request.POST or None, organization=post.organization, post=post)
    back = profile_url(post.organization, "leaders")
    response = submit(
        request,
        form,
        lambda data: services.post_save(
            actor=actor(request),
            organization=post.organization,
            person_name=post.person.name,
            post=post,
            **data,
        ),
        done=f"已保存{post.person.name}的任职。",
        to=back,
    )
    context = {
        "form": form,
        "title": f"修改任职 · {post.person.name}",
        "back_url": back,
        "post": post,
    }
    return response or render(request, "orgs/post_form.html", context)


@write_view
def post_end(request: HttpRequest, pk: int) -> HttpResponse:
    """免职: the page asks for the date; the button asks for confirmation."""
    post = registry_selectors.post_get(user=request.user, pk=pk)
    form = PostEndForm(request.POST or None)
    back = profile_url(post.organization, "leaders")
    response = submit(
        request,
        form,
        lambda data: services.post_end(actor=actor(request), post=post, end_on=data["end_on"]),
        done=f"已免去{post.person.name}的{post.title_text}职务。",
        to=back,
    )
    context = {"form": form, "post": post, "back_url": back}
    return response or render(request, "orgs/post_end.html", context)


@write_view
def leader_assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = registry_selectors.post_get(user=request.user, pk=pk)
    form = LeaderAssignmentForm(request.POST or None, post=post, user=request.user)
    back = profile_url(post.organization, "division")
    response = submit(
        request,
        form,
        lambda data: services.leader_assignment_save(
            actor=actor(request),
            post=post,
            responsibilities=data["responsibilities"],
            supervised=list(data["supervised"]),
            assisted=list(data["assisted"]),
            liaison_organizations=[*data["liaison_organizations"], *form.kept_organizations],
            liaison_regions=data["liaison_regions"],
            unresolved=form.unresolved,  # what an import could not match stays on record
        ),
        done=f"已保存{post.person.name}的分工。",
        to=back,
    )
    context = {"form": form, "post": post, "back_url": back}
    return response or render(request, "orgs/leader_assignment_form.html", context)
