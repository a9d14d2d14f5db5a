"""Local fixtures for the orgs tests: two organization trees and the users around them.

    萍乡市卫生健康委员会 (city)              ← admin (系统管理员), staff (科室人员)
    ├── 安源区卫生健康委员会 (county)         ← county_admin (系统管理员)
    │   └── 安源区八一街道社区卫生服务中心 (clinic)
    └── 萍乡市人民医院 (hospital)
    呼伦贝尔市卫生健康委员会 (other)          ← outsider (系统管理员 of another tree)

A wider tree than the project-wide `world` fixture, built with the same helpers
(weijian/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from weijian import conftest as shared
from weijian.accounts.models import User
from weijian.accounts.roles import Role
from weijian.orgs.models import Organization, OrganizationKind

MakeOrg = Callable[..., Organization]
MakeUser = Callable[..., User]


@pytest.fixture
def make_org(db) -> MakeOrg:
    return shared.make_org


@pytest.fixture
def make_user(db) -> MakeUser:
    return shared.make_user


@pytest.fixture
def city(make_org) -> Organization:
    return make_org("萍乡市卫生健康委员会")


@pytest.fixture
def county(make_org, city) -> Organization:
    return make_org("安源区卫生健康委员会", city)


@pytest.fixture
def clinic(make_org, county) -> Organization:
    return make_org("安源区八一街道社区卫生服务中心", county, OrganizationKind.PRIMARY_CARE)


@pytest.fixture
def hospital(make_org, city) -> Organization:
    return make_org("萍乡市人民医院", city, OrganizationKind.HOSPITAL)


@pytest.fixture
def other(make_org) -> Organization:
    return make_org("呼伦贝尔市卫生健康委员会")


@pytest.fixture
def admin(make_user, city) -> User:
    return make_user("admin", city, Role.SYSTEM_ADMIN)


@pytest.fixture
def county_admin(make_user, county) -> User:
    return make_user("county_admin", county, Role.SYSTEM_ADMIN)


@pytest.fixture
def staff(make_user, city) -> User:
    return make_user("staff", city, Role.STAFF)


@pytest.fixture
def outsider(make_user, other) -> User:
    return make_user("outsider", other, Role.SYSTEM_ADMIN)
