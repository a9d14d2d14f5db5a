"""Project-wide test fixtures: the standard organizations and users every app's tests use.

The world: 萍乡市卫生健康委员会 (the commission) above 莲花县卫生健康委员会 (a county bureau) above
莲花县人民医院; and, in another tree, 渝中区卫生健康委员会 where the outsider works.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from django.test import Client
from django.utils import timezone

from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.orgs.models import Organization, OrganizationKind, Region

PASSWORD = "Test-Weijian-2024"  # noqa: S105


def make_org(
    name: str,
    parent: Organization | None = None,
    kind: str = OrganizationKind.HEALTH_AUTHORITY,
    region_code: str | None = None,
    **fields: object,
) -> Organization:
    """Test-data shortcut: an organization with its materialised path."""
    if region_code is not None:
        fields["region"] = Region.objects.get(code=region_code)
    org = Organization.objects.create(name=name, kind=kind, parent=parent, **fields)
    org.path = (parent.path if parent else "") + org.segment()
    org.depth = parent.depth + 1 if parent else 0
    org.save(update_fields=["path", "depth"])
    return org


def make_user(username: str, organization: Organization, *roles: str, full_name: str = "") -> User:
    user = User(username=username, full_name=full_name or username, organization=organization)
    user.set_password(PASSWORD)
    user.password_changed_at = timezone.now()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


@dataclass
class World:
    commission: Organization
    county: Organization
    hospital: Organization
    elsewhere: Organization
    commission_admin: User
    security_admin: User
    auditor: User
    leader: User
    county_reporter: User
    inspector: User
    outsider: User
    staff: User


@pytest.fixture
def world(db: None) -> World:
    commission = make_org("萍乡市卫生健康委员会", region_code="360300")
    county = make_org("莲花县卫生健康委员会", commission, region_code="360321")
    hospital = make_org("莲花县人民医院", county, OrganizationKind.HOSPITAL, "360321")
    elsewhere = make_org("渝中区卫生健康委员会", region_code="500103")
    return World(
        commission=commission,
        county=county,
        hospital=hospital,
        elsewhere=elsewhere,
        commission_admin=make_user("admin", commission, Role.SYSTEM_ADMIN, full_name="王管理"),
        security_admin=make_user("security", commission, Role.SECURITY_ADMIN, full_name="李安全"),
        auditor=make_user("auditor", commission, Role.AUDIT_ADMIN, full_name="赵审计"),
        leader=make_user("leader", commission, Role.LEADER, full_name="刘领导"),
        county_reporter=make_user("reporter", county, Role.REPORTER, full_name="陈填报"),
        inspector=make_user("inspector", commission, Role.INSPECTOR, full_name="周执法"),
        outsider=make_user(
            "outsider", elsewhere, Role.SYSTEM_ADMIN, Role.STAFF, full_name="孙外人"
        ),
        staff=make_user("staff", commission, Role.STAFF, full_name="吴科员"),
    )


@pytest.fixture
def login_as(client: Client) -> Callable[[User], Client]:
    """Sign a user in (as if he had passed the second factor) and return the client."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Debian's Chromium driven by Playwright. Skips only when Chromium is absent, and fails
    instead in CI (WEIJIAN_REQUIRE_BROWSER=1), where .ci/run installs it."""
    if not CHROMIUM.exists():
        if os.environ.get("WEIJIAN_REQUIRE_BROWSER") == "1":
            pytest.fail("CI must run the browser tests, but /usr/bin/chromium is missing")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    # Playwright runs the test body in a greenlet, where Django's connection handler sees a new
    # context: close the connections on both sides so none outlives the test database.
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        connections.close_all()


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # A fast hasher: the suite creates many users; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _serve_live_requests_one_at_a_time()


def _serve_live_requests_one_at_a_time() -> None:
    """The browser tests' live server shares the test database connection (SQLite keeps the
    test database in memory); a browser sending two requests at once (autosave, previews)
    would interleave their transactions on it. A server without threads answers them in turn
    (Django then closes each connection after its response)."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.connections_override = connections_override

    setattr(LiveServerThread, "server_class", SerialWSGIServer)  # noqa: B010 (not in the stubs)
