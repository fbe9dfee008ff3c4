"""The demo county: ``seed_demo`` once per module (rolled back afterwards), and the pure build step."""

import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Q
from django.test import override_settings

from demo.county import DEMO_PASSWORD, build_demo, built_digest, saved_digest
from deputies.models import AssignmentRole, Deputy, DeputyGroup, GroupKind, Level, Mandate, StationAssignment
from liaison.models import Role
from liaison.scope import scope_for
from stations.models import StandardChecklist, Station, StationAssessment, StationKind
from suggestions.models import Department, DepartmentLevel

pytestmark = pytest.mark.django_db

EXPECTED_KINDS = {
    StationKind.COUNTY_HUB: 1,
    StationKind.CENTER: 16,
    StationKind.AREA: 58,
    StationKind.VILLAGE: 125,
    StationKind.CROSS_BORDER: 1,
    StationKind.POINT: 223,
    StationKind.STUDIO: 2,
    StationKind.INDUSTRY: 2,
}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The county, seeded once for the module inside a transaction that is rolled back at the end."""
    output = io.StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            call_command("seed_demo", "--without-lifecycle", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def test_station_network_has_the_yunan_figures(seeded):
    kinds = dict(Station.objects.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    assert kinds == EXPECTED_KINDS
    assert "428" in seeded


def test_codes_extend_the_parent_code_and_townships_are_derived(seeded):
    for code, parent_code, kind, township_id in Station.objects.values_list(
        "code", "parent__code", "kind", "township_id"
    ):
        if kind == StationKind.COUNTY_HUB:
            assert parent_code is None and township_id is None
        else:
            assert code.startswith(parent_code), code
            assert township_id is not None, code
    for center in Station.objects.filter(kind=StationKind.CENTER):
        assert center.get_descendants().exclude(township=center).count() == 0


def test_village_counts_give_a_meaningful_coverage(seeded):
    centers = Station.objects.filter(kind=StationKind.CENTER).annotate(
        villages=Count("township_stations", filter=Q(township_stations__kind=StationKind.VILLAGE))
    )
    short = [center for center in centers if center.villages < center.village_count]
    assert all(center.villages <= center.village_count for center in centers)
    assert 1 <= len(short) <= 2


def test_deputies_levels_and_stationing(seeded):
    assert Deputy.objects.count() == 1290
    assert not Deputy.objects.filter(assignments=None).exists()
    levels = Counter(Mandate.objects.values_list("level", flat=True))
    assert levels == {Level.PROVINCE: 10, Level.CITY: 60, Level.COUNTY: 220, Level.TOWNSHIP: 1100}
    two_levels = Deputy.objects.annotate(n=Count("mandates")).filter(n=2).count()
    assert 50 <= two_levels <= 150
    assert Deputy.objects.values("phone").distinct().count() == 1290
    assert Deputy.objects.values("code").distinct().count() == 1290
    genders = Counter(Deputy.objects.values_list("gender", flat=True))
    assert 0.2 < genders["F"] / 1290 < 0.45


def test_township_deputies_sit_in_their_township_and_county_deputies_in_a_center(seeded):
    township_deputies = Deputy.objects.filter(mandates__level=Level.TOWNSHIP)
    local_kinds = [StationKind.VILLAGE, StationKind.AREA]
    assert township_deputies.exclude(assignments__station__kind__in=local_kinds).count() == 0
    county_deputies = Deputy.objects.filter(mandates__level=Level.COUNTY)
    assert county_deputies.exclude(assignments__station__kind=StationKind.CENTER).count() == 0
    seniors = Deputy.objects.filter(mandates__level__in=[Level.PROVINCE, Level.CITY]).distinct()
    senior_kinds = [StationKind.CENTER, StationKind.STUDIO]
    assert seniors.exclude(assignments__station__kind__in=senior_kinds).count() == 0


def test_one_master_per_center_area_and_village_station(seeded):
    kinds = [StationKind.CENTER, StationKind.AREA, StationKind.VILLAGE]
    masters = Counter(
        StationAssignment.objects.filter(role=AssignmentRole.MASTER, station__kind__in=kinds).values_list(
            "station_id", flat=True
        )
    )
    stations = Station.objects.filter(kind__in=kinds).values_list("id", flat=True)
    assert all(masters[station] == 1 for station in stations)


def test_departments(seeded):
    assert Department.objects.count() == 40
    townships = Department.objects.filter(level=DepartmentLevel.TOWNSHIP)
    assert townships.count() == 16
    assert set(townships.values_list("township__kind", flat=True)) == {StationKind.CENTER}
    assert townships.values("township").distinct().count() == 16
    assert not Department.objects.filter(level=DepartmentLevel.COUNTY, township__isnull=False).exists()
    assert Department.objects.filter(name__contains="住房和城乡建设局").exists()


def test_groups_have_leaders_among_their_members(seeded):
    for group in DeputyGroup.objects.prefetch_related("members"):
        assert group.leader_id in {member.pk for member in group.members.all()}, group.name
    assert DeputyGroup.objects.filter(kind=GroupKind.FIELD).count() == 4
    per_township = Counter(DeputyGroup.objects.filter(kind=GroupKind.REGIONAL).values_list("township_id", flat=True))
    assert len(per_township) == 16 and set(per_township.values()) <= {2, 3, 4}
    field_levels = Mandate.objects.filter(deputy__groups__kind=GroupKind.FIELD).values("level").distinct()
    assert field_levels.count() >= 3


def test_standards_assessed_this_year(seeded):
    assert set(StandardChecklist.objects.values_list("name", flat=True)) == {"十有", "六个有"}
    assessed = StationAssessment.objects.values("station").distinct().count()
    assessable = Station.objects.exclude(kind__in=[StationKind.POINT, StationKind.COUNTY_HUB]).count()
    assert assessed >= 0.8 * assessable
    met = StationAssessment.objects.aggregate(n=Count("met_items"))["n"]
    possible = sum(a.checklist.items.count() for a in StationAssessment.objects.select_related("checklist"))
    assert met >= 0.8 * possible


def test_demo_accounts_have_their_roles(seeded):
    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    expected = {
        "county": Role.COUNTY_STAFF,
        "township": Role.TOWNSHIP_STAFF,
        "liaison": Role.STATION_LIAISON,
        "deputy": Role.DEPUTY,
        "department": Role.DEPARTMENT_HANDLER,
    }
    for username, role in expected.items():
        assert scope_for(users[username]).roles == {role}, username
    for user in users.values():
        assert user.last_name and user.first_name
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        assert users["department"].check_password(DEMO_PASSWORD)
    first_township = Station.objects.filter(kind=StationKind.CENTER).order_by("code").first()
    assert users["township"].staff_profile.township == first_township
    liaison_station = users["liaison"].liaison_stations.get()
    assert liaison_station.kind == StationKind.VILLAGE and liaison_station.township == first_township
    assert users["deputy"].deputy.assignments.filter(station=liaison_station).exists()


def test_demo_accounts_command_lists_every_account(seeded):
    output = io.StringIO()
    call_command("demo_accounts", stdout=output)
    text = output.getvalue()
    for username in ("admin", "county", "township", "liaison", "deputy", "department"):
        assert f" {username} " in text
    assert "http://127.0.0.1:8000/admin/" in text and DEMO_PASSWORD in text
    assert "住房和城乡建设局" in text


def test_seeding_again_is_refused_or_skipped(seeded):
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    output = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=output)
    assert output.getvalue().strip()
    assert Station.objects.count() == sum(EXPECTED_KINDS.values())
    assert Deputy.objects.count() == 1290


def test_saved_data_is_what_the_seed_builds(seeded):
    assert saved_digest() == built_digest(build_demo(2026, "county"))


def test_build_is_deterministic_without_the_database():
    first, second = build_demo(7, "county"), build_demo(7, "county")
    assert built_digest(first) == built_digest(second)
    assert [d.unit_title for d in first.all(Deputy)] == [d.unit_title for d in second.all(Deputy)]
    assert built_digest(build_demo(8, "county")) != built_digest(first)


def test_city_scale_is_several_counties():
    ctx = build_demo(2026, "city")
    stations = ctx.all(Station)
    assert 1500 <= sum(1 for station in stations if station.kind != StationKind.POINT) <= 1800
    assert 8400 <= len(ctx.all(Deputy)) <= 9000
    assert len({station.code for station in stations}) == len(stations)
    assert len({deputy.phone for deputy in ctx.all(Deputy)}) == len(ctx.all(Deputy))
    assert len({department.name for department in ctx.all(Department)}) == len(ctx.all(Department))
    assert len({group.name for group in ctx.all(DeputyGroup)}) == len(ctx.all(DeputyGroup))
