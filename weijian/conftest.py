"""Project-wide test fixtures: the standard organizations and users every app's tests use.

The world: 萍乡市卫生健康委员会 (the commission) above 莲花县卫生健康委员会 (a county bureau) above
莲花县人民医院; and, in another tree, 渝中区卫生健康委员会 where the outsider works.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
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
    )


@pytest.fixture
def login_as(client: Client) -> Callable[[User], Client]:
    """Sign a user in (as if he had passed the second factor) and return the client."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # A fast hasher: the suite creates many users; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
