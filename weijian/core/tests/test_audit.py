"""The audit trail: written by services, read by the auditor, immutable, pruned past 180 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from weijian.core import audit, services
from weijian.core.models import AppendOnlyError, AuditEvent

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL only"
)


def old_event(days: int) -> AuditEvent:
    return AuditEvent.objects.create(
        action="auth.login", occurred_at=timezone.now() - timedelta(days=days)
    )


@pytest.mark.django_db
def test_the_application_cannot_edit_or_delete_an_event():
    event = audit.record(action="auth.login", username="someone")
    event.action = "auth.logout"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(success=False)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.login"


@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_update_and_delete_even_in_raw_sql():
    event = audit.record(action="auth.login", username="someone")
    for statement in (
        "UPDATE core_auditevent SET success = false WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, success=True).exists()


@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_deleting_recent_events_even_with_the_prune_flag():
    recent = old_event(10)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL weijian.audit_prune = 'on'")
            cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [recent.pk])
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db
def test_prune_refuses_anything_under_180_days():
    old_event(400)
    with pytest.raises(CommandError, match="至少保留180天"):
        call_command("prune_audit", "--older-than", "179")
    with pytest.raises(ValidationError):
        services.audit_prune(older_than_days=30)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_prune_deletes_only_older_events_and_records_itself(capsys):
    keep, drop = old_event(100), old_event(400)
    call_command("prune_audit", "--older-than", "365")
    assert "已清理 1 条" in capsys.readouterr().out
    assert AuditEvent.objects.filter(pk=keep.pk).exists()
    assert not AuditEvent.objects.filter(pk=drop.pk).exists()
    prune = AuditEvent.objects.get(action="audit.prune")
    assert prune.summary["deleted"] == 1


def test_auditor_filters_and_pages_through_events(client, world):
    for number in range(60):
        audit.record(action="auth.login", actor=world.leader, summary={"n": number})
    audit.record(action="auth.login_failed", actor=world.county_reporter, success=False)
    client.force_login(world.auditor)
    url = reverse("core:audit_list")
    first = client.get(url, {"action": "auth.login"})
    assert first.context["page"].paginator.count == 60
    assert len(first.context["page"].object_list) == 50
    assert "action=auth.login&amp;page=2" in first.content.decode()
    failures = client.get(url, {"success": "0"})
    assert [e.actor_username for e in failures.context["page"]] == ["reporter"]


def test_auditor_sees_only_his_subtree(client, world):
    audit.record(action="auth.login", actor=world.outsider)
    audit.record(action="auth.login", actor=world.county_reporter)
    client.force_login(world.auditor)
    names = {e.actor_username for e in client.get(reverse("core:audit_list")).context["page"]}
    assert "reporter" in names
    assert "outsider" not in names


def test_audit_list_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.auditor)
    url = reverse("core:audit_list")
    audit.record(action="auth.login", actor=world.leader)
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(40):
        audit.record(action="auth.login", actor=world.county_reporter)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_export_is_a_csv_and_is_itself_audited(client, world):
    audit.record(action="auth.login", actor=world.leader)
    client.force_login(world.auditor)
    response = client.get(reverse("core:audit_export"), {"action": "auth.login"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff时间,用户名")
    assert "leader" in body
    assert "登录" in body
    export = AuditEvent.objects.get(action="data.export")
    assert export.actor == world.auditor
    assert export.summary["what"] == "审计日志"


def test_export_is_refused_to_the_system_administrator(client, world):
    client.force_login(world.commission_admin)
    assert client.get(reverse("core:audit_export")).status_code == 403


def test_bad_filter_dates_get_a_chinese_message(client, world):
    client.force_login(world.auditor)
    page = client.get(reverse("core:audit_list"), {"start": "2024-05-02", "end": "2024-05-01"})
    assert "结束日期不能早于开始日期" in page.content.decode()


def test_the_recorded_address_cannot_be_chosen_by_the_client(client, world, settings):
    settings.WEIJIAN_TRUST_X_REAL_IP = False
    client.post(
        reverse("accounts:login"), {"username": "leader", "password": "x"}, HTTP_X_REAL_IP="6.6.6.6"
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "127.0.0.1"


def test_behind_a_proxy_a_valid_x_real_ip_is_recorded_and_garbage_ignored(client, world, settings):
    settings.WEIJIAN_TRUST_X_REAL_IP = True
    login = reverse("accounts:login")
    client.post(login, {"username": "leader", "password": "x"}, HTTP_X_REAL_IP="10.1.2.3")
    client.post(login, {"username": "leader", "password": "x"}, HTTP_X_REAL_IP="not-an-ip")
    assert list(AuditEvent.objects.order_by("id").values_list("ip", flat=True)) == [
        "10.1.2.3",
        "127.0.0.1",
    ]
    world.leader.refresh_from_db()
    assert world.leader.failed_logins == 2


def test_export_neutralises_spreadsheet_formulas(client, world):
    audit.record(action="auth.login_failed", username='=HYPERLINK("http://evil/")', success=False)
    client.force_login(world.auditor)
    body = b"".join(client.get(reverse("core:audit_export")).streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body
