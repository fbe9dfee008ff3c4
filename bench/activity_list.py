"""Time the activity lists and the campaign progress page at city scale.

    .venv/bin/python bench/activity_list.py [--activities 10000,100000]
                                            [--backends sqlite,postgres] [--pg-url URL]

For each backend and size, a fresh database gets a city-sized network (Yichang: about 8,700
deputies; here 120 townships of 13 village stations each, 500 deputy groups) and N activities
spread over a year (two deputies present each, nine in ten verified, a third of the summer's
tagged with a campaign), with 20% of them carrying an opinion, some of those opinions merged
into suggestions or answered on the spot, and campaign targets for every township and group.
The rows are bulk-inserted as a fixture (a benchmark, not product code).

Each page is then requested through Django's test client, logged in as the role that uses it,
twice (the second run is reported: templates and the scope are warm). The query count must not
grow with N; the time is reported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random

from common import database_version, default_pg_url, fresh_database, run_child, timed

TOWNSHIPS = 120
VILLAGES_PER_TOWNSHIP = 13
DEPUTIES = 8700
GROUPS = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", default="10000,100000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=default_pg_url())
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(args.worker, int(args.activities), args.pg_url)))
        return
    results = [
        run_child(__file__, backend, ["--activities", size, "--pg-url", args.pg_url])
        for backend in args.backends.split(",")
        for size in args.activities.split(",")
    ]
    print_table(results)


def print_table(results: list[dict]) -> None:
    print(f"\nActivity lists and campaign progress, {DEPUTIES:,} deputies (query count must not grow with N)\n")
    header = f"{'backend':<10}{'activities':>11}  {'page':<40}{'status':>7}{'seconds':>9}{'queries':>9}"
    print(header)
    print("-" * len(header))
    for result in results:
        if "error" in result:
            print(f"{result['backend']:<10}skipped: {result['error']}")
            continue
        for row in result["rows"]:
            print(
                f"{result['backend']:<10}{row['activities']:>11,}  {row['page']:<40}{row['status']:>7}"
                f"{row['seconds']:>9.3f}{row['queries']:>9}"
            )
        print(f"{'':<10}({result['database']}; fixture built in {result['build_seconds']:.0f} s)")
    print()


def measure(backend: str, size: int, pg_url: str) -> dict:
    """One backend and one size, in this (child) process, on a fresh database."""
    import time

    drop = fresh_database(backend, pg_url)
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
        # Pages render without collectstatic's manifest, as in the tests.
        settings.STORAGES = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        call_command("migrate", verbosity=0)
        started = time.monotonic()
        fixture = build_fixture(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        build_seconds = time.monotonic() - started
        rows = measure_pages(size, fixture)
        return {
            "backend": backend,
            "database": database_version(connection),
            "rows": rows,
            "build_seconds": build_seconds,
        }
    finally:
        drop()


def measure_pages(size: int, fixture: dict) -> list[dict]:
    from django.db import connection
    from django.test import Client

    pages = [
        ("county", "/activities/review/?status=all", "review list, county, all statuses"),
        ("county", "/activities/review/?status=verified&page=50", "review list, county, page 50"),
        ("township", "/activities/review/?status=all", "review list, township staff"),
        ("liaison", "/activities/review/?status=all", "review list, liaison officer"),
        ("deputy", "/activities/mine/", "my activities, deputy"),
        ("county", f"/activities/campaigns/{fixture['campaign']}/", "campaign progress page"),
        ("county", "/api/activities/", "API activity list, county"),
        ("county", f"/api/campaigns/{fixture['campaign']}/progress/", "API campaign progress"),
        (None, f"/stations/{fixture['busy_station']}/", "public station page"),
    ]
    rows = []
    clients = {}
    for who, url, label in pages:
        if who not in clients:
            client = Client()
            if who is not None:
                client.force_login(fixture["users"][who])
            clients[who] = client
        client = clients[who]
        client.get(url)  # warm: templates, URL table, the user's scope
        response, cost = timed(lambda client=client, url=url: client.get(url), connection)
        rows.append({"activities": size, "page": label, "status": response.status_code, **cost})
    return rows


def build_fixture(size: int) -> dict:
    """The city's network, deputies, groups and ``size`` activities, bulk-inserted."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from activities.models import (
        Activity,
        ActivityOpinion,
        ActivityType,
        Attendance,
        Campaign,
        CampaignTarget,
    )
    from deputies.models import Deputy, DeputyGroup, StationAssignment
    from liaison.models import Role, StaffProfile
    from stations.models import Station, StationKind
    from suggestions.models import Category, Opinion, Suggestion

    rng = random.Random(8)
    User = get_user_model()
    zone = timezone.get_current_timezone()
    today = dt.date(2026, 11, 30)
    start = today - dt.timedelta(days=364)
    with transaction.atomic():
        stations = nested_stations(Station, StationKind)
        ids = {}
        for level in (0, 1, 2):  # parents first: each level points to the one above
            rows = [station for station in stations if station.level == level]
            for station in rows:
                station.parent_id = ids.get(station.parent_code)
            for station in Station.objects.bulk_create(rows, batch_size=2000):
                ids[station.code] = station.pk
        Station.objects.refresh_townships()
        centers = list(Station.objects.filter(kind=StationKind.CENTER).order_by("code"))
        villages = list(
            Station.objects.filter(kind=StationKind.VILLAGE).order_by("code").values_list("id", "township_id")
        )
        deputies = Deputy.objects.bulk_create(
            [Deputy(name=f"代表{n}", phone=f"139{n:08d}") for n in range(DEPUTIES)], batch_size=2000
        )
        village_of = {deputy.pk: villages[n % len(villages)] for n, deputy in enumerate(deputies)}
        StationAssignment.objects.bulk_create(
            [StationAssignment(deputy_id=pk, station_id=station_id) for pk, (station_id, _t) in village_of.items()],
            batch_size=5000,
        )
        groups = DeputyGroup.objects.bulk_create(
            [DeputyGroup(name=f"第{n}代表小组", township=centers[n % len(centers)]) for n in range(GROUPS)]
        )
        members = DeputyGroup.members.through
        members.objects.bulk_create(
            [
                members(deputygroup_id=groups[n % GROUPS].pk, deputy_id=deputy.pk)
                for n, deputy in enumerate(deputies)
                if n % 3 == 0
            ],
            batch_size=5000,
        )
        users = {name: User.objects.create(username=name) for name in ("county", "township", "liaison", "deputy")}
        StaffProfile.objects.create(user=users["county"], role=Role.COUNTY_STAFF)
        StaffProfile.objects.create(user=users["township"], role=Role.TOWNSHIP_STAFF, township=centers[0])
        busy_station_id = villages[0][0]
        Station.objects.filter(pk=busy_station_id).update(liaison_officer=users["liaison"])
        me = deputies[0]
        Deputy.objects.filter(pk=me.pk).update(user=users["deputy"])

        types = list(ActivityType.objects.all())
        campaign = Campaign.objects.create(
            name="更好发挥人大代表作用", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 7, 31)
        )
        by_village = {}
        for pk, (station_id, _t) in village_of.items():
            by_village.setdefault(station_id, []).append(pk)
        chunk = 10000
        for offset in range(0, size, chunk):
            planned = []
            for n in range(offset, min(size, offset + chunk)):
                # The first village (the liaison officer's, the deputy's) gets its share and more.
                station_id, _township = villages[0] if n % 200 == 0 else villages[rng.randrange(len(villages))]
                day = start + dt.timedelta(days=rng.randrange(365))
                started_at = dt.datetime.combine(day, dt.time(rng.randint(8, 20)), zone)
                present = rng.sample(by_village[station_id], min(2, len(by_village[station_id])))
                in_campaign = dt.date(2026, 5, 1) <= day <= dt.date(2026, 7, 31) and rng.random() < 0.33
                status = "verified" if rng.random() < 0.9 else rng.choice(("submitted", "returned"))
                activity = Activity(
                    station_id=station_id,
                    activity_type=types[rng.randrange(len(types))],
                    started_at=started_at,
                    place="村委会",
                    campaign_id=campaign.pk if in_campaign else None,
                    group_id=groups[rng.randrange(GROUPS)].pk if rng.random() < 0.05 else None,
                    voters_received=rng.randint(0, 60),
                    materials_handed_out=rng.randint(0, 80),
                    status=status,
                    created_at=started_at,
                    verified_at=started_at if status == "verified" else None,
                )
                planned.append((activity, present))
            created = Activity.objects.bulk_create([a for a, _p in planned], batch_size=5000)
            Attendance.objects.bulk_create(
                [
                    Attendance(activity_id=a.pk, deputy_id=d)
                    for a, (_a, present) in zip(created, planned, strict=True)
                    for d in present
                ],
                batch_size=10000,
            )
            with_opinion = [a for a in created if rng.random() < 0.2]
            opinions = Opinion.objects.bulk_create(
                [
                    Opinion(
                        content="群众反映村道破损",
                        channel="home_visit",
                        station_id=a.station_id,
                        received_on=timezone.localtime(a.started_at).date(),
                        status="answered" if rng.random() < 0.15 else "received",
                    )
                    for a in with_opinion
                ],
                batch_size=5000,
            )
            ActivityOpinion.objects.bulk_create(
                [
                    ActivityOpinion(activity_id=a.pk, opinion_id=o.pk)
                    for a, o in zip(with_opinion, opinions, strict=True)
                ],
                batch_size=5000,
            )
            merge_some(opinions[: len(opinions) // 10], me, Suggestion, Category, Opinion, offset)
        CampaignTarget.objects.bulk_create(
            [
                CampaignTarget(campaign=campaign, township=center, measure=measure, target=target)
                for center in centers
                for measure, target in (("activities_led", 30), ("voters_received", 600), ("opinions_collected", 8))
            ]
            + [
                CampaignTarget(campaign=campaign, group=group, measure=measure, target=1)
                for group in groups
                for measure in ("suggestions_formed", "problems_solved")
            ],
            batch_size=5000,
        )
    busy_code = Station.objects.get(pk=busy_station_id).code
    return {"users": users, "campaign": campaign.pk, "busy_station": busy_code}


def merge_some(opinions, lead, Suggestion, Category, Opinion, offset: int) -> None:
    """Each opinion of ``opinions`` merged into a suggestion of its own (a submitted one)."""
    category = Category.objects.first()
    suggestions = Suggestion.objects.bulk_create(
        [
            Suggestion(
                number=f"2026-{offset + n:06d}",
                tracking_code=f"S{offset + n:09d}",
                title=f"建议{offset + n}",
                content="内容",
                category=category,
                lead_deputy=lead,
                station_id=opinion.station_id,
                tier="fast",
                status="submitted",
            )
            for n, opinion in enumerate(opinions)
        ],
        batch_size=5000,
    )
    for opinion, suggestion in zip(opinions, suggestions, strict=True):
        opinion.suggestion_id, opinion.status = suggestion.pk, "merged"
    Opinion.objects.bulk_update(opinions, ["suggestion", "status"], batch_size=5000)


def nested_stations(Station, StationKind) -> list:
    """The hub, its townships and their villages, with django-mptt's nested-set columns."""
    rows = []
    per_township = 2 * (VILLAGES_PER_TOWNSHIP + 1)
    total = 2 + TOWNSHIPS * per_township
    hub = Station(code="HUB", name="市总站", kind=StationKind.COUNTY_HUB, tree_id=1, lft=1, rght=total, level=0)
    hub.parent_code = None
    rows.append(hub)
    left = 2
    for t in range(TOWNSHIPS):
        code = f"T{t:03d}"
        center = Station(
            code=code,
            name=f"第{t}镇中心联络站",
            kind=StationKind.CENTER,
            tree_id=1,
            lft=left,
            rght=left + per_township - 1,
            level=1,
        )
        center.parent_code = "HUB"
        rows.append(center)
        for v in range(VILLAGES_PER_TOWNSHIP):
            lft = left + 1 + 2 * v
            village = Station(
                code=f"{code}V{v:02d}",
                name=f"第{t}镇第{v}村联络站",
                kind=StationKind.VILLAGE,
                tree_id=1,
                lft=lft,
                rght=lft + 1,
                level=2,
            )
            village.parent_code = code
            rows.append(village)
        left += per_township
    return rows


if __name__ == "__main__":
    main()
