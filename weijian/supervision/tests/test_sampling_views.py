"""Sampling pages: list, form, detail, draw (试抽, confirm, draw), redraw, export; roles."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.accounts.models import User
from weijian.conftest import World
from weijian.core.models import AuditEvent
from weijian.supervision.models import Draw, Inspection, PlanState, SamplingPlan
from weijian.supervision.services import sampling
from weijian.supervision.tests.factories import make_inspector, make_institution, make_item

Login = Callable[[User], Client]


def _plan(world: World, title: str = "2026年抽查", **fields: Any) -> SamplingPlan:
    values: dict[str, Any] = {
        "owner": world.commission, "year": 2026, "title": title,
        "item": make_item(world.commission), "object_count": 2,
    }  # fmt: skip
    values.update(fields)
    return SamplingPlan.objects.create(**values)


def _pool(world: World) -> None:
    for i in range(4):
        make_institution(world.county, f"莲花县医院{i}")
        make_inspector(world.commission, f"执法{i}")


def _drawn(world: World) -> SamplingPlan:
    _pool(world)
    plan = _plan(world)
    sampling.draw_plan(plan=plan, actor=world.staff, witness="纪检组", seed=3)
    return plan


def test_list_filters_and_constant_queries(world: World, login_as: Login) -> None:
    client = login_as(world.leader)
    _plan(world, "甲计划")
    _plan(world, "乙计划", year=2025)
    response = client.get(reverse("supervision:plan_list"), {"year": 2025})
    assert "乙计划" in response.content.decode() and "甲计划" not in response.content.decode()
    counts = []
    for size in (2, 12):
        while SamplingPlan.objects.count() < size:
            _plan(world, f"计划{SamplingPlan.objects.count()}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("supervision:plan_list"))
        assert response.content.decode().count("待抽取") >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_create_and_edit(world: World, login_as: Login) -> None:
    item = make_item(world.commission)
    client = login_as(world.staff)
    data = {
        "year": 2026, "title": "新计划", "item": item.pk, "ratio_percent": "5",
        "group_size": 2, "weighted": "on", "weight_low": 1, "weight_medium": 2,
        "weight_high": 4, "exclude_months": 6, "avoid_previous_round": "on",
        "categories": ["hospital"], "regions": ["360321"],
    }  # fmt: skip
    response = client.post(reverse("supervision:plan_create"), data)
    plan = SamplingPlan.objects.get(title="新计划")
    assert response.status_code == 302
    assert plan.object_ratio == Decimal("0.05") and plan.categories == ["hospital"]
    assert plan.owner == world.commission and plan.exclude_months == 6
    bad = {**data, "object_count": 3}
    response = client.post(reverse("supervision:plan_edit", args=[plan.pk]), bad)
    assert "须且只能填写一项" in response.content.decode()
    response = client.post(
        reverse("supervision:plan_edit", args=[plan.pk]), {**data, "title": "改名"}
    )
    plan.refresh_from_db()
    assert response.status_code == 302 and plan.title == "改名"


def test_detail_shows_draw_history_and_groups(world: World, login_as: Login) -> None:
    plan = _drawn(world)
    draw = Draw.objects.get(plan=plan)
    page = login_as(world.inspector).get(reverse("supervision:plan_detail", args=[plan.pk]))
    text = page.content.decode()
    assert str(draw.seed) in text and draw.snapshot_digest in text and "纪检组" in text
    for row in draw.result["selected"]:
        assert row["name"] in text and row["inspectors"][0] in text
    assert "重新抽取" not in text  # not an editor


def test_preview_writes_nothing_then_confirmed_draw(world: World, login_as: Login) -> None:
    _pool(world)
    plan = _plan(world)
    client = login_as(world.staff)
    url = reverse("supervision:plan_draw", args=[plan.pk])
    assert "试抽" in client.get(url).content.decode()
    response = client.post(url, {"step": "preview", "witness": ""})
    assert "试抽结果（未保存）" in response.content.decode()
    assert not Draw.objects.exists() and not Inspection.objects.exists()
    response = client.post(url, {"step": "draw", "witness": ""})
    assert "见证人" in response.content.decode() and not Draw.objects.exists()
    response = client.post(url, {"step": "draw", "witness": "纪检组", "seed": "77"})
    assert "确认抽取" in response.content.decode() and not Draw.objects.exists()
    response = client.post(url, {"step": "confirmed", "witness": "纪检组", "seed": "77"})
    assert response.status_code == 302
    draw = Draw.objects.get(plan=plan)
    assert draw.seed == 77 and Inspection.objects.filter(draw=draw).count() == 2
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAWN
    assert client.get(url).status_code == 302  # already drawn


def test_infeasible_draw_page_lists_uncovered(world: World, login_as: Login) -> None:
    make_institution(world.county, "孤立医院")
    make_inspector(world.commission, "唯一")
    plan = _plan(world, object_count=1)
    response = login_as(world.staff).post(
        reverse("supervision:plan_draw", args=[plan.pk]),
        {"step": "confirmed", "witness": "纪检组"},
    )
    text = response.content.decode()
    assert "无法完成抽取" in text and "可派执法人员不足" in text
    assert not Draw.objects.exists()


def test_redraw_page(world: World, login_as: Login) -> None:
    plan = _drawn(world)
    client = login_as(world.staff)
    url = reverse("supervision:plan_redraw", args=[plan.pk])
    response = client.post(url, {"step": "draw", "witness": "纪检组", "reason": ""})
    assert "请" in response.content.decode() or "必填" in response.content.decode()
    response = client.post(url, {"step": "draw", "witness": "纪检组", "reason": "人员调整"})
    assert "确认重新抽取" in response.content.decode()
    response = client.post(url, {"step": "confirmed", "witness": "纪检组", "reason": "人员调整"})
    assert response.status_code == 302
    assert list(Draw.objects.order_by("number").values_list("number", "is_current")) == [
        (1, False),
        (2, True),
    ]


def test_export_audited(world: World, login_as: Login) -> None:
    plan = _drawn(world)
    draw = Draw.objects.get(plan=plan)
    response = login_as(world.leader).get(reverse("supervision:draw_export", args=[draw.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="data.export", object_id=str(draw.pk)).exists()


def _urls(plan: SamplingPlan, draw: Draw) -> list[tuple[str, str]]:
    return [
        ("get", reverse("supervision:plan_detail", args=[plan.pk])),
        ("get", reverse("supervision:plan_edit", args=[plan.pk])),
        ("get", reverse("supervision:plan_draw", args=[plan.pk])),
        ("get", reverse("supervision:plan_redraw", args=[plan.pk])),
        ("get", reverse("supervision:draw_export", args=[draw.pk])),
    ]


def test_outsider_gets_404_and_anonymous_login(
    world: World, login_as: Login, client: Client
) -> None:
    plan = _drawn(world)
    draw = Draw.objects.get(plan=plan)
    for _, url in [*_urls(plan, draw), ("get", reverse("supervision:plan_list"))]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    outsider = login_as(world.outsider)
    for _, url in _urls(plan, draw):
        assert outsider.get(url).status_code == 404, url
    listing = outsider.get(reverse("supervision:plan_list")).content.decode()
    assert plan.title not in listing
    assert AuditEvent.objects.filter(action="access.denied", actor=world.outsider).exists()


def test_roles(world: World, login_as: Login) -> None:
    plan = _drawn(world)
    draw = Draw.objects.get(plan=plan)
    for user in (world.leader, world.inspector):
        client = login_as(user)
        assert client.get(reverse("supervision:plan_create")).status_code == 403
        assert client.get(reverse("supervision:plan_redraw", args=[plan.pk])).status_code == 403
        assert client.get(reverse("supervision:plan_detail", args=[plan.pk])).status_code == 200
    reporter = login_as(world.county_reporter)
    assert reporter.get(reverse("supervision:plan_list")).status_code == 403
    assert reporter.get(reverse("supervision:draw_export", args=[draw.pk])).status_code == 403
