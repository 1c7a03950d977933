"""Shared personas and small factories for every app's tests."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.test import Client

from directory.models import StaffMembership, Unit
from directory.services import load_default_organization
from routing.engine import invalidate as invalidate_routing


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and routing's in-process state must not leak from one test into the next."""
    cache.clear()
    invalidate_routing()
    yield
    cache.clear()
    invalidate_routing()


@pytest.fixture
def organization(db):
    load_default_organization()
    return {unit.code: unit for unit in Unit.objects.all()}


def make_staff(username: str, unit: Unit, role: str = StaffMembership.Role.STAFF) -> User:
    user = User.objects.create_user(username=username, password="a-long-test-password")
    StaffMembership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def clerk(organization):
    """Staff of the statistics unit."""
    return make_staff("clerk-stats", organization["stats"])


@pytest.fixture
def other_clerk(organization):
    """Staff of another unit (legal), who must not see statistics' cases."""
    return make_staff("clerk-legal", organization["legal"])


@pytest.fixture
def unit_head(organization):
    """Head of the budget deputy, above planning, monitoring and technical."""
    return make_staff("head-budget", organization["budget"], StaffMembership.Role.HEAD)


@pytest.fixture
def triage_operator(organization):
    return make_staff("operator-triage", organization["triage"])


@pytest.fixture
def manager(organization):
    user = User.objects.create_user(username="manager", password="a-long-test-password")
    group = Group.objects.create(name="managers")
    group.permissions.add(Permission.objects.get(codename="view_all_cases"))
    user.groups.add(group)
    return user


@pytest.fixture
def administrator(organization):
    return User.objects.create_superuser(username="sysadmin", password="a-long-test-password")


@pytest.fixture
def outsider(db):
    """A signed-in account with no unit and no permission."""
    return User.objects.create_user(username="outsider", password="a-long-test-password")


@pytest.fixture
def signed_in():
    """A test client signed in as the given user: `signed_in(clerk).get(...)`."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def new_staff(db):
    """Make more staff in a test: `new_staff("clerk-2", unit, StaffMembership.Role.HEAD)`."""
    return make_staff
