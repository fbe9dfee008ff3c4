"""Shared fixtures: a small county network and one user per role."""

import os

import pytest

from deputies.models import AssignmentRole, Level
from liaison.models import Role
from stations.models import StationKind
from tests import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def fast_test_settings(settings):
    """Plain static storage (no collectstatic manifest) and a fast password hasher."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process unless a test uses the real worker (``tests/test_celery_worker.py``)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def network(db):
    """Two townships under a county hub, with area, village stations, a point and deputies.

    A: hub → 城关镇中心站 (A) → 城东片区站 → 东门村站 → 东门小学联络点
    B: hub → 河口镇中心站 (B) → 河口村站
    """
    hub = f.county_hub(code="HUB")
    a = f.StationFactory(code="A", name="城关镇中心联络站", kind=StationKind.CENTER, parent=hub, village_count=3)
    a_area = f.StationFactory(code="A1", name="城东片区联络站", kind=StationKind.AREA, parent=a)
    a_village = f.StationFactory(code="A11", name="东门村联络站", kind=StationKind.VILLAGE, parent=a_area)
    a_point = f.StationFactory(code="A111", name="东门小学联络点", kind=StationKind.POINT, parent=a_village)
    b = f.StationFactory(code="B", name="河口镇中心联络站", kind=StationKind.CENTER, parent=hub, village_count=2)
    b_village = f.StationFactory(code="B1", name="河口村联络站", kind=StationKind.VILLAGE, parent=b)
    deputy_a = f.DeputyFactory(name="张建国", phone="13800000001")
    f.MandateFactory(deputy=deputy_a, level=Level.COUNTY)
    f.MandateFactory(deputy=deputy_a, level=Level.TOWNSHIP, term="第十九届")
    f.AssignmentFactory(deputy=deputy_a, station=a_village, role=AssignmentRole.MASTER)
    deputy_b = f.DeputyFactory(name="李秀英", gender="F", phone="13800000002")
    f.MandateFactory(deputy=deputy_b, level=Level.TOWNSHIP)
    f.AssignmentFactory(deputy=deputy_b, station=b_village)
    return {
        "hub": hub,
        "a": a,
        "a_area": a_area,
        "a_village": a_village,
        "a_point": a_point,
        "b": b,
        "b_village": b_village,
        "deputy_a": deputy_a,
        "deputy_b": deputy_b,
    }


@pytest.fixture
def role_users(network):
    """One user per role, all tied to township A where a role has a place."""
    superuser = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    county = f.StaffProfileFactory(user=f.UserFactory(username="county", is_staff=True), role=Role.COUNTY_STAFF).user
    township = f.StaffProfileFactory(
        user=f.UserFactory(username="township", is_staff=True), role=Role.TOWNSHIP_STAFF, township=network["a"]
    ).user
    liaison = f.UserFactory(username="liaison", is_staff=True)
    network["a_village"].liaison_officer = liaison
    network["a_village"].save()
    deputy = f.UserFactory(username="deputy")
    network["deputy_a"].user = deputy
    network["deputy_a"].save()
    handler = f.UserFactory(username="handler")
    f.DepartmentFactory(name="县住房和城乡建设局").contact_users.add(handler)
    return {
        "superuser": superuser,
        "county": county,
        "township": township,
        "liaison": liaison,
        "deputy": deputy,
        "handler": handler,
        "anonymous": None,
    }
