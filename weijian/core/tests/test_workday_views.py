"""The security administrator keeps the working-day calendar."""

from __future__ import annotations

import datetime

from django.urls import reverse

from weijian.core.models import AuditEvent, WorkdayOverride, WorkdayYear


def test_security_administrator_adds_changes_and_deletes_an_override(client, world):
    client.force_login(world.security_admin)
    save = reverse("core:workday_override_save")
    response = client.post(save, {"day": "2026-10-10", "is_workday": "1", "name": "国庆节调休上班"})
    assert response.status_code == 302
    assert response["Location"].endswith("?year=2026")
    entry = WorkdayOverride.objects.get(day=datetime.date(2026, 10, 10))
    assert entry.is_workday
    client.post(save, {"day": "2026-10-10", "is_workday": "0", "name": "改为休息"})
    entry.refresh_from_db()
    assert not entry.is_workday
    assert WorkdayOverride.objects.count() == 1
    page = client.get(reverse("core:workday_list"), {"year": 2026}).content.decode()
    assert "改为休息" in page
    client.post(reverse("core:workday_override_delete", args=[entry.pk]))
    assert not WorkdayOverride.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="workday.").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "workday.override_delete",
        "workday.override_save",
        "workday.override_save",
    ]


def test_declaring_a_year_and_refusing_it_twice(client, world):
    client.force_login(world.security_admin)
    url = reverse("core:workday_year_create")
    client.post(url, {"year": 2027, "source": "国务院办公厅2027年节假日安排"})
    assert WorkdayYear.objects.filter(year=2027).exists()
    response = client.post(url, {"year": 2027, "source": "重复"}, follow=True)
    assert "已存在" in response.content.decode()
    assert WorkdayYear.objects.count() == 1


def test_bad_override_input_gets_a_message_and_writes_nothing(client, world):
    client.force_login(world.security_admin)
    response = client.post(
        reverse("core:workday_override_save"),
        {"day": "2026-02-30", "is_workday": "1", "name": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "日期" in page and "有效" in page
    assert not WorkdayOverride.objects.exists()


def test_the_page_shows_the_year_in_force_and_warns_for_an_unknown_year(client, world):
    client.force_login(world.security_admin)
    page = client.get(reverse("core:workday_list"), {"year": 2024}).content.decode()
    assert "2024-02-04" in page and "调休上班" in page and "春节" in page
    page = client.get(reverse("core:workday_list"), {"year": 2031}).content.decode()
    assert "2031年的法定节假日安排尚未录入" in page
