"""The demo county's year of deputies' activities and its summer campaign.

Runs after the lifecycle (:mod:`demo.lifecycle`) on what the database then holds: the stations,
the deputies stationed in them, the groups, the staff and the opinions walked through the
workflow. It writes with ``bulk_create`` (a year is a few thousand activities): each activity
gets its attendance and the trail its status implies (recorded → verified, or returned), so
statuses and events agree as if the workflow had written them. The activities' rhythms follow
the articles: a reception day every month at the stations that hold one, station duty, home and
night visits, market stalls, firm visits, the groups' inspections, research and forums, a
yearly report to voters and trainings.

The lifecycle's opinions taken on a reception day, a visit or a market stall are linked to the
activity of that station and day (made if missing), so the campaign's "opinions collected" and
"suggestions formed" come from real opinions and suggestions. Reception days at township center
stations are left to the duty rosters (:mod:`demo.reception`, run next), whose check-ins record
them: this module writes none there, and does not link those stations' reception-day opinions.

The campaign "更好发挥人大代表作用" (2026-05-01 to 2026-07-31) has targets per township
(activities led, voters received, opinions collected) and per group (the "三个一": one activity,
one suggestion, one problem solved), set so that some are met and some not.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from activities.models import (
    Activity,
    ActivityEvent,
    ActivityOpinion,
    ActivityStatus,
    ActivityType,
    Attendance,
    Campaign,
    CampaignSuggestion,
    CampaignTarget,
    Measure,
)
from deputies.models import DeputyGroup, StationAssignment
from liaison import clock
from liaison.models import Role, StaffProfile
from stations.models import ReceptionFrequency, Station, StationKind
from suggestions.models import Channel, Opinion, Suggestion, SuggestionStatus

CAMPAIGN_NAME = "更好发挥人大代表作用"
CAMPAIGN_START = dt.date(2026, 5, 1)
CAMPAIGN_END = dt.date(2026, 7, 31)
CAMPAIGN_DESCRIPTION = "围绕“三个一”：每个乡镇牵头开展活动，每个代表小组形成一条好建议、推动解决一个问题。"

# type → (voters received range, materials range, hour of day range)
FIGURES = {
    "reception_day": ((12, 60), (20, 80), (9, 10)),
    "station_duty": ((3, 18), (0, 20), (9, 15)),
    "home_visit": ((3, 15), (5, 30), (9, 16)),
    "night_visit": ((5, 20), (5, 30), (19, 20)),
    "market_stall": ((40, 160), (60, 200), (8, 9)),
    "firm_visit": ((2, 10), (0, 10), (9, 15)),
    "inspection": ((0, 6), (0, 0), (9, 14)),
    "research": ((0, 12), (0, 0), (9, 14)),
    "forum": ((10, 30), (10, 40), (9, 15)),
    "report_to_voters": ((40, 120), (40, 150), (9, 10)),
    "training": ((0, 0), (0, 0), (9, 14)),
    "volunteer": ((15, 60), (20, 100), (8, 15)),
}
SUMMARIES = {
    "reception_day": "在联络站接待选民，现场记录群众反映的问题并做好解释。",
    "station_duty": "进站履职，听取群众意见，宣传相关政策。",
    "home_visit": "入户走访困难群众，了解生产生活情况。",
    "night_visit": "利用晚上群众在家的时间开展夜访，面对面听取意见。",
    "market_stall": "逢集日在集市摆摊设点，收集群众意见建议，发放宣传资料。",
    "firm_visit": "走访辖区企业，了解用工、融资等方面的困难。",
    "inspection": "代表小组视察民生项目推进情况。",
    "research": "代表小组围绕群众关心的问题开展专题调研。",
    "forum": "召开代表、选民座谈会，通报工作并听取意见。",
    "report_to_voters": "向原选区选民报告履职情况，接受选民评议。",
    "training": "参加代表履职学习培训。",
    "volunteer": "参加志愿服务活动。",
}
CHANNEL_TYPES = {
    Channel.RECEPTION_DAY: "reception_day",
    Channel.HOME_VISIT: "home_visit",
    Channel.MARKET_STALL: "market_stall",
}


@dataclass
class ActivitiesResult:
    activities: Counter
    by_type: Counter
    linked_opinions: int
    campaign: Campaign
    seconds: float


class Seeder:
    def __init__(self, today: dt.date, seed: int):
        self.today = today
        self.rng = random.Random(f"activities-{seed}")
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.start = today - dt.timedelta(days=364)
        self.now = min(clock.now(), dt.datetime.combine(today, dt.time(18), self.zone))
        self.types = {t.code: t for t in ActivityType.objects.all()}
        self.stations = list(
            Station.objects.active()
            .exclude(kind=StationKind.COUNTY_HUB)
            .values("id", "kind", "township_id", "name", "liaison_officer_id", "reception_frequency", "reception_day")
        )
        self.station_by_id = {s["id"]: s for s in self.stations}
        self.deputies: dict[int, list[int]] = defaultdict(list)
        for station_id, deputy_id in StationAssignment.objects.filter(deputy__is_active=True).values_list(
            "station_id", "deputy_id"
        ):
            self.deputies[station_id].append(deputy_id)
        self.users = dict(
            StationAssignment.objects.filter(deputy__user__isnull=False).values_list("deputy_id", "deputy__user_id")
        )
        profiles = StaffProfile.objects.filter(user__is_active=True)
        self.county_staff = list(profiles.filter(role=Role.COUNTY_STAFF).values_list("user_id", flat=True)) or [None]
        self.township_staff: dict[int, list[int]] = defaultdict(list)
        for user_id, township_id in profiles.filter(role=Role.TOWNSHIP_STAFF).values_list("user_id", "township_id"):
            self.township_staff[township_id].append(user_id)
        self.groups = list(DeputyGroup.objects.prefetch_related("members").filter(township__isnull=False))
        self.centers = {s["township_id"]: s for s in self.stations if s["kind"] == StationKind.CENTER}
        self.campaign: Campaign | None = None
        # Rows to write: (Activity, deputy ids, status, returned?)
        self.planned: list[tuple[Activity, list[int], str, bool]] = []

    # Planning ---------------------------------------------------------------------------

    def moment(self, day: dt.date, code: str) -> dt.datetime:
        low, high = FIGURES[code][2]
        return dt.datetime.combine(
            day, dt.time(self.rng.randint(low, high), self.rng.choice((0, 15, 30, 45))), self.zone
        )

    def days(self, every: int, jitter: int = 3):
        """Days through the year about ``every`` days apart."""
        day = self.start + dt.timedelta(days=self.rng.randint(0, every - 1))
        while day <= self.today:
            yield day
            day += dt.timedelta(days=max(1, every + self.rng.randint(-jitter, jitter)))

    def monthly(self, day_of_month: int):
        month = dt.date(self.start.year, self.start.month, 1)
        while month <= self.today:
            day = month.replace(day=min(day_of_month, 28))
            if self.start <= day <= self.today:
                yield day
            month = (month + dt.timedelta(days=32)).replace(day=1)

    def present(self, station_id: int, low: int, high: int) -> list[int]:
        pool = self.deputies.get(station_id) or self.deputies.get(self.station_by_id[station_id]["township_id"]) or []
        if not pool:
            return []
        return self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))

    def plan(self, station_id: int, code: str, day: dt.date, deputies: list[int], group: DeputyGroup | None = None):
        if not deputies:
            return None
        station = self.station_by_id[station_id]
        started_at = self.moment(day, code)
        voters = self.rng.randint(*FIGURES[code][0])
        materials = self.rng.randint(*FIGURES[code][1])
        age = (self.today - day).days
        roll = self.rng.random()
        if age > 14:
            status = ActivityStatus.VERIFIED if roll < 0.93 else ActivityStatus.SUBMITTED if roll < 0.97 else ""
        else:
            status = ActivityStatus.VERIFIED if roll < 0.4 else ActivityStatus.SUBMITTED
        returned = status == ""
        status = status or ActivityStatus.RETURNED
        recorder = self.users.get(deputies[0]) or station["liaison_officer_id"] or self.county_staff[0]
        campaign = None
        if self.campaign and CAMPAIGN_START <= day <= CAMPAIGN_END and self.rng.random() < 0.3:
            campaign = self.campaign
        activity = Activity(
            station_id=station_id,
            activity_type=self.types[code],
            started_at=started_at,
            place=station["name"],
            group=group,
            campaign=campaign,
            voters_received=voters,
            materials_handed_out=materials,
            summary=SUMMARIES[code],
            status=status,
            return_reason="请补充活动照片和参加代表名单。" if returned else "",
            recorded_by_id=recorder,
            created_at=started_at + dt.timedelta(hours=self.rng.randint(1, 30)),
        )
        activity.created_at = min(activity.created_at, self.now)
        if status == ActivityStatus.VERIFIED:
            activity.verified_at = min(activity.created_at + dt.timedelta(days=self.rng.randint(1, 6)), self.now)
            activity.verified_by_id = self.reviewer(station)
        self.planned.append((activity, deputies, status, returned))
        return activity

    def reviewer(self, station: dict) -> int | None:
        if station["liaison_officer_id"]:
            return station["liaison_officer_id"]
        township = self.township_staff.get(station["township_id"])
        return township[0] if township else self.county_staff[0]

    def plan_year(self) -> None:
        r = self.rng
        for station in self.stations:
            sid, kind = station["id"], station["kind"]
            if kind == StationKind.CENTER and station["reception_frequency"] != ReceptionFrequency.NONE:
                pass  # reception days at center stations come from the duty rosters (demo.reception)
            elif station["reception_frequency"] == ReceptionFrequency.MONTHLY:
                for day in self.monthly(station["reception_day"] or 15):
                    self.plan(sid, "reception_day", day, self.present(sid, 2, 4))
            elif station["reception_frequency"] == ReceptionFrequency.WEEKLY:
                for day in self.days(14, 2):
                    self.plan(sid, "station_duty", day, self.present(sid, 1, 2))
            if kind == StationKind.CENTER:
                for day in self.days(91, 10):
                    self.plan(sid, "forum", day, self.present(sid, 3, 8))
                for day in self.days(182, 20):
                    self.plan(sid, "training", day, self.present(sid, 5, 12))
                self.plan(
                    sid,
                    "report_to_voters",
                    self.start + dt.timedelta(days=r.randint(200, 340)),
                    self.present(sid, 2, 5),
                )
                for day in self.days(61, 10):
                    self.plan(sid, "market_stall", day, self.present(sid, 2, 5))
            elif kind in (StationKind.VILLAGE, StationKind.AREA):
                for day in self.days(60, 15):
                    self.plan(sid, "home_visit", day, self.present(sid, 1, 2))
                for day in self.days(150, 30):
                    self.plan(sid, "night_visit", day, self.present(sid, 1, 2))
                if r.random() < 0.4:
                    self.plan(
                        sid, "volunteer", self.start + dt.timedelta(days=r.randint(0, 360)), self.present(sid, 1, 3)
                    )
            else:
                for day in self.days(120, 30):
                    self.plan(sid, r.choice(("station_duty", "firm_visit", "home_visit")), day, self.present(sid, 1, 2))
        for group in self.groups:
            members = [m.pk for m in group.members.all()]
            center = self.centers.get(group.township_id)
            if not members or center is None:
                continue
            for day in self.days(91, 20):
                code = r.choice(("inspection", "research", "forum", "firm_visit"))
                chosen = r.sample(members, min(len(members), r.randint(3, 8)))
                self.plan(center["id"], code, day, chosen, group=group)

    # Linking the lifecycle's opinions -----------------------------------------------------

    def plan_opinion_activities(self) -> list[tuple[int, tuple]]:
        """One activity per station, day and channel of the lifecycle's opinions taken in person."""
        opinions = Opinion.objects.filter(channel__in=list(CHANNEL_TYPES), received_on__gte=self.start).values_list(
            "id", "station_id", "received_on", "channel"
        )
        addressed = defaultdict(list)
        for opinion_id, deputy_id in Opinion.deputies.through.objects.filter(
            opinion__channel__in=list(CHANNEL_TYPES), opinion__received_on__gte=self.start
        ).values_list("opinion_id", "deputy_id"):
            addressed[opinion_id].append(deputy_id)
        # The rosters' check-ins record the reception days of center stations (demo.reception).
        self.rostered = {
            (s["id"], Channel.RECEPTION_DAY)
            for s in self.stations
            if s["kind"] == StationKind.CENTER and s["reception_frequency"] != ReceptionFrequency.NONE
        }
        links = []
        keyed: dict[tuple, Activity] = {}
        for opinion_id, station_id, received_on, channel in opinions:
            if station_id not in self.station_by_id or (station_id, channel) in self.rostered:
                continue
            key = (station_id, received_on, channel)
            if key not in keyed:
                deputies = addressed.get(opinion_id) or self.present(station_id, 1, 2)
                activity = self.plan(station_id, CHANNEL_TYPES[channel], received_on, sorted(set(deputies)))
                if activity is None:
                    continue
                keyed[key] = activity
            links.append((opinion_id, key))
        self.keyed = keyed
        return links

    # Writing ------------------------------------------------------------------------------

    def write(self, links) -> None:
        activities = Activity.objects.bulk_create([a for a, *_ in self.planned], batch_size=1000)
        attendance, events = [], []
        for activity, (_a, deputies, status, returned) in zip(activities, self.planned, strict=True):
            attendance.extend(Attendance(activity_id=activity.pk, deputy_id=d) for d in dict.fromkeys(deputies))
            events.append(
                ActivityEvent(
                    activity_id=activity.pk,
                    action="create",
                    to_status=ActivityStatus.SUBMITTED,
                    actor_id=activity.recorded_by_id,
                    at=activity.created_at,
                )
            )
            if status == ActivityStatus.VERIFIED:
                events.append(
                    ActivityEvent(
                        activity_id=activity.pk,
                        action="verify",
                        from_status=ActivityStatus.SUBMITTED,
                        to_status=ActivityStatus.VERIFIED,
                        actor_id=activity.verified_by_id,
                        at=activity.verified_at,
                    )
                )
            elif returned:
                events.append(
                    ActivityEvent(
                        activity_id=activity.pk,
                        action="return",
                        from_status=ActivityStatus.SUBMITTED,
                        to_status=ActivityStatus.RETURNED,
                        actor_id=self.reviewer(self.station_by_id[activity.station_id]),
                        note=activity.return_reason,
                        at=min(activity.created_at + dt.timedelta(days=2), self.now),
                    )
                )
        Attendance.objects.bulk_create(attendance, batch_size=2000)
        ActivityEvent.objects.bulk_create(events, batch_size=2000)
        ActivityOpinion.objects.bulk_create(
            [ActivityOpinion(activity_id=self.keyed[key].pk, opinion_id=opinion_id) for opinion_id, key in links],
            batch_size=2000,
        )

    def campaign_setup(self) -> Campaign:
        campaign = Campaign.objects.create(
            name=CAMPAIGN_NAME,
            starts_on=CAMPAIGN_START,
            ends_on=CAMPAIGN_END,
            description=CAMPAIGN_DESCRIPTION,
            is_active=True,
        )
        self.campaign = campaign
        return campaign

    def campaign_targets(self) -> None:
        """Targets a little above what a typical township and group reach, so some are met."""
        campaign = self.campaign
        targets = []
        for township_id in sorted(self.centers):
            targets.append(
                CampaignTarget(
                    campaign=campaign,
                    township_id=township_id,
                    measure=Measure.ACTIVITIES_LED,
                    target=self.rng.choice((20, 30, 40)),
                )
            )
            targets.append(
                CampaignTarget(
                    campaign=campaign,
                    township_id=township_id,
                    measure=Measure.VOTERS_RECEIVED,
                    target=self.rng.choice((400, 600, 900)),
                )
            )
            targets.append(
                CampaignTarget(
                    campaign=campaign,
                    township_id=township_id,
                    measure=Measure.OPINIONS_COLLECTED,
                    target=self.rng.choice((2, 3, 4)),
                )
            )
        for group in self.groups:
            for measure in (Measure.ACTIVITIES_LED, Measure.SUGGESTIONS_FORMED, Measure.PROBLEMS_SOLVED):
                targets.append(CampaignTarget(campaign=campaign, group=group, measure=measure, target=1))
        CampaignTarget.objects.bulk_create(targets)
        # Staff tag a few suggestions raised in the campaign's months that no activity produced.
        raised = (
            Suggestion.objects.filter(submitted_at__date__range=(CAMPAIGN_START, CAMPAIGN_END))
            .exclude(status__in=[SuggestionStatus.DRAFT, SuggestionStatus.REJECTED])
            .exclude(source_opinions__activity_link__isnull=False)
            .order_by("pk")
            .values_list("pk", flat=True)[:12]
        )
        CampaignSuggestion.objects.bulk_create(
            [
                CampaignSuggestion(campaign=campaign, suggestion_id=pk, tagged_by_id=self.county_staff[0])
                for pk in raised
            ]
        )


def seed_activities(*, today: dt.date, seed: int) -> ActivitiesResult:
    """Write the year of activities and the summer campaign (one transaction)."""
    started = time.monotonic()
    with transaction.atomic():
        seeder = Seeder(today, seed)
        campaign = seeder.campaign_setup()
        links = seeder.plan_opinion_activities()
        seeder.plan_year()
        seeder.write(links)
        seeder.campaign_targets()
    return ActivitiesResult(
        activities=Counter(Activity.objects.values_list("status", flat=True)),
        by_type=Counter(Activity.objects.values_list("activity_type__code", flat=True)),
        linked_opinions=len(links),
        campaign=campaign,
        seconds=time.monotonic() - started,
    )
