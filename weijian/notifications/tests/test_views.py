"""The notification list: one's own only, marking read."""

from __future__ import annotations

from django.urls import reverse

from weijian.notifications.models import Notification
from weijian.notifications.services import notify


def test_a_user_sees_and_reads_only_his_notifications(login_as, world):
    notify(users=[world.county_reporter], kind="t", title="请报送进展", url="/office/", key="k")
    notify(users=[world.leader], kind="t", title="别人的消息")
    client = login_as(world.county_reporter)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "请报送进展" in page and "别人的消息" not in page
    mine = Notification.objects.get(user=world.county_reporter)
    response = client.post(reverse("notifications:read", args=[mine.pk]))
    assert response["Location"] == "/office/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    other = Notification.objects.get(user=world.leader)
    assert client.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    other.refresh_from_db()
    assert other.read_at is None


def test_a_key_is_sent_once(world):
    first = notify(users=[world.leader], kind="t", title="一", key="same")
    again = notify(users=[world.leader], kind="t", title="一", key="same")
    assert len(first) == 1 and again == []
