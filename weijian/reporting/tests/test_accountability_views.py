"""The accountability pages: who reads a record, the unit explaining and the owner closing
through the forms, and the list's constant query count."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weijian.plans.models import Task
from weijian.reporting.models import Accountability, AccountabilityStatus
from weijian.reporting.services.accountability import open_overdue
from weijian.reporting.tests.factories import make_reporting

LIST = reverse("reporting:accountability_list")
NOW = datetime.datetime(2024, 4, 2, 9, tzinfo=datetime.UTC)


@pytest.fixture
def reporting(world):
    reporting = make_reporting(world)
    Task.objects.filter(plan=reporting.plan, path__in=["一.1", "一.2"]).update(
        due_on=datetime.date(2024, 3, 15)
    )
    open_overdue(today=datetime.date(2024, 3, 31))
    return reporting


@pytest.fixture
def record(reporting, world):
    return Accountability.objects.get(organization=world.county)


def detail(record) -> str:
    return reverse("reporting:accountability_detail", args=[record.pk])


def test_anonymous_is_sent_to_log_in(client, record):
    for url in (LIST, detail(record)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_each_side_sees_its_records(client, login_as, world, reporting, record):
    login_as(reporting.hospital_reporter)
    page = client.get(LIST).content.decode()
    assert "降低孕产妇死亡率" in page and "提高医师数量" not in page  # not the county's
    assert client.get(detail(record)).status_code == 404
    login_as(world.staff)  # the plan's owner sees both units' records
    page = client.get(LIST).content.decode()
    assert "提高医师数量" in page and "降低孕产妇死亡率" in page
    login_as(world.outsider)
    assert "提高医师数量" not in client.get(LIST).content.decode()
    assert client.get(detail(record)).status_code == 404


@time_machine.travel(NOW)
def test_the_unit_explains_through_the_page(client, login_as, world, record):
    login_as(world.county_reporter)
    page = client.get(detail(record)).content.decode()
    assert "说明原因及延期完成时限" in page and "办结" not in page
    url = reverse("reporting:accountability_explain", args=[record.pk])
    response = client.post(url, {"explanation": "", "new_due_on": "2024-06-30"})
    assert "请填写逾期未完成的原因" in response.content.decode()
    response = client.post(url, {"explanation": "招聘推迟。", "new_due_on": "2024-06-30"})
    assert response["Location"] == detail(record)
    record.refresh_from_db()
    assert (record.status, record.new_due_on) == (
        AccountabilityStatus.EXPLAINED,
        datetime.date(2024, 6, 30),
    )


def test_the_owner_closes_through_the_page(client, login_as, world, record):
    login_as(world.leader)
    page = client.get(detail(record)).content.decode()
    assert "办结" in page and "提交说明" not in page
    url = reverse("reporting:accountability_close", args=[record.pk])
    assert "请填写处理意见" in client.post(url, {"decision": ""}).content.decode()
    client.post(url, {"decision": "予以约谈。"})
    record.refresh_from_db()
    assert record.status == AccountabilityStatus.CLOSED


def test_the_wrong_side_is_refused(client, login_as, world, reporting, record):
    login_as(world.county_reporter)
    close = reverse("reporting:accountability_close", args=[record.pk])
    assert client.post(close, {"decision": "自己办结"}).status_code == 403
    login_as(world.staff)
    explain = reverse("reporting:accountability_explain", args=[record.pk])
    response = client.post(explain, {"explanation": "代为说明", "new_due_on": "2099-01-01"})
    assert (
        "只有莲花县卫生健康委员会的填报员或科室人员可以说明逾期原因。" in response.content.decode()
    )
    record.refresh_from_db()
    assert record.status == AccountabilityStatus.OPEN


def test_the_list_runs_a_constant_number_of_queries(client, login_as, world, reporting):
    login_as(world.staff)
    with CaptureQueriesContext(connection) as two:
        assert client.get(LIST).status_code == 200
    Task.objects.filter(plan=reporting.plan).update(due_on=datetime.date(2024, 3, 15))
    open_overdue(today=datetime.date(2024, 3, 31))
    assert Accountability.objects.count() > 2
    with CaptureQueriesContext(connection) as more:
        assert client.get(LIST + "?status=open").status_code == 200
    assert len(more) == len(two)
