"""The demo county's opinions and suggestions, walked through the real workflow across the year.

Two steps, like :mod:`demo.county`:

- :func:`plan_lifecycle` decides everything without touching the database: the extra accounts
  (a supervising leader, one staff member per township, one handler per department), every
  opinion and suggestion with its texts, and every workflow step with the moment it happens.
  It reads the built county (:class:`~demo.county.DemoContext`) and draws from
  ``random.Random`` generators seeded with the seed, so a seed and a day give the same plan on
  every run and every database.
- :func:`run_lifecycle` creates the accounts and performs the steps in time order, each one a
  call of :mod:`suggestions.workflow` inside :func:`liaison.clock.frozen`: the events, numbers,
  due dates, replies and reminder times are those the workflow writes on that day. Nothing
  here assigns a status or writes an event row.

The plan starts from a *cast* (:func:`current_cast`): the suggestions each demo account needs to
see something on its pages (the deputy's own, the housing department's red, yellow and green
queue, 江城镇's township suggestions, the county's review queue and pending extensions), then
every other state, tier, extension, commitment and rating the lifecycle knows. Each suggestion
is placed in time from the state it must reach by today: a closed one early in the year, an
overdue one assigned more than its deadline ago, one awaiting its rating replied last week.
Texts come from ``fixtures/demo/lifecycle.json``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import random
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F

from demo.county import (
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    DemoContext,
    Township,
    Village,
    person_name,
    reference,
    weighted,
)
from deputies.models import AssignmentRole as StationRole
from deputies.models import Level
from liaison import clock
from liaison.models import Notification, Role, StaffProfile
from liaison.notifications import inbox_only
from liaison.workdays import WorkCalendar
from stations.models import ReceptionFrequency, Station, StationKind
from suggestions import workflow
from suggestions.deadlines import Deadlines, midpoint
from suggestions.models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    Category,
    Channel,
    Clock,
    Commitment,
    ContactMethod,
    Department,
    ExtensionStatus,
    HandlingMode,
    Jurisdiction,
    Opinion,
    OpinionStatus,
    ProgressKind,
    ResultClass,
    Suggestion,
    SuggestionEvent,
    SuggestionStatus,
    Tier,
)

S = SuggestionStatus
HOUSING = "住房和城乡建设局"
HOUSING_TOPICS = ("garbage", "parking", "old_estate", "dilapidated", "sewage")
RESULT_WEIGHTS = (("A", 55), ("B", 22), ("C", 13), ("D", 10))
CHINESE_ORDINALS = "一二三四五"
MORNING, AFTERNOON = (8 * 60 + 40, 11 * 60 + 50), (14 * 60 + 30, 17 * 60 + 40)


def texts() -> dict:
    return reference("lifecycle")


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


@dataclass
class Step:
    """One workflow call: when, which action on which opinion or suggestion, by whom, with what."""

    at: dt.datetime
    seq: int
    action: str
    key: str
    actor: str | None
    args: dict = field(default_factory=dict)


@dataclass
class AccountPlan:
    """An account the lifecycle needs besides the demo accounts."""

    key: str
    username: str
    last_name: str
    first_name: str
    role: str = ""
    township: str = ""  # center station code, for township staff
    title: str = ""
    phone: str = ""
    is_leader: bool = False
    department: str = ""  # name of the department a handler works for


@dataclass
class OpinionPlan:
    key: str
    content: str
    channel: str
    station: str
    received: dt.datetime
    status: str


@dataclass
class SuggestionPlan:
    key: str
    title: str
    status: str
    tier: str
    jurisdiction: str
    lead: str  # deputy code
    township: str  # center station code
    submitted: dt.datetime | None = None


@dataclass
class LifecyclePlan:
    today: dt.date
    start: dt.date  # the first day of the year walked (earlier suggestions are before it)
    accounts: list[AccountPlan]
    usernames: dict[str, str]  # account key → username (demo accounts and planned ones)
    opinions: list[OpinionPlan]
    suggestions: list[SuggestionPlan]
    steps: list[Step]

    def ordered_steps(self) -> list[Step]:
        return sorted(self.steps, key=lambda step: (step.at, step.seq))

    def expected(self) -> list[tuple[str, str]]:
        """(title, status) of every suggestion, sorted."""
        return sorted((s.title, s.status) for s in self.suggestions)

    def fingerprint(self) -> str:
        lines = [
            f"{step.at.isoformat()}\t{step.action}\t{step.key}\t{step.actor}\t{sorted(step.args.items())}"
            for step in self.ordered_steps()
        ]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass
class Slot:
    """What one suggestion must have become by today, and what its history must contain."""

    status: str
    year: int = 0  # 0: the current year
    topic: str = ""
    township: int | None = None  # index of the township in the county
    jurisdiction: str = ""
    demo_lead: bool = False
    demo_cosigner: bool = False
    tier: str = ""
    colour: str = ""  # red, yellow, yellow_mid, green, green_progress (open lead assignments)
    co: str = ""  # co-handler: "done" (input given) or "pending"
    co_dept: str = ""  # the co-handler, instead of the topic's
    extension: str = ""  # pending, approved, refused
    result: str = ""  # result class of the last reply
    unsatisfied: int = 0  # unsatisfied ratings in its history
    unrated: bool = False  # closed without a rating, after the window
    lapsed: bool = False  # replied, and the rating window has passed
    published: bool = False
    returned: bool = False  # the first lead department returned it
    group: bool = False  # a closed primary with one suggestion joined to it
    primary: int | None = None  # joined: index of the primary slot
    title_variant: int | None = None
    village_name: str = ""


def current_cast() -> list[Slot]:
    """The suggestions of the current year: first those the demo accounts need, then the rest."""
    cast: list[Slot] = []

    def add(count: int, status: str, **options) -> None:
        cast.extend(Slot(status, **options) for _ in range(count))

    # The demo deputy (江城镇): own suggestions in several states, one awaiting their rating.
    demo = {"demo_lead": True, "township": 0}
    add(1, S.DRAFT, **demo)
    add(1, S.SUBMITTED, jurisdiction=Jurisdiction.COUNTY, **demo)
    add(1, S.IN_PROGRESS, colour="green", jurisdiction=Jurisdiction.TOWNSHIP, **demo)
    add(1, S.REPLIED, jurisdiction=Jurisdiction.COUNTY, **demo)
    add(1, S.REHANDLING, colour="green", unsatisfied=1, jurisdiction=Jurisdiction.TOWNSHIP, **demo)
    add(1, S.CLOSED, published=True, jurisdiction=Jurisdiction.COUNTY, **demo)
    add(1, S.CLOSED, result="B", jurisdiction=Jurisdiction.TOWNSHIP, **demo)
    add(1, S.REJECTED, jurisdiction=Jurisdiction.COUNTY, **demo)
    # The housing department: a queue of red, yellow and green, things to accept and reply to.
    housing = {"jurisdiction": Jurisdiction.COUNTY, "topic": "housing"}
    add(1, S.IN_PROGRESS, colour="red", **housing)
    add(1, S.IN_PROGRESS, colour="red", extension="refused", **housing)
    add(1, S.IN_PROGRESS, colour="red", tier=Tier.SUPERVISED, **housing)
    add(1, S.IN_PROGRESS, colour="yellow", extension="pending", tier=Tier.FAST, **housing)
    add(1, S.IN_PROGRESS, colour="yellow_mid", tier=Tier.FAST, **housing)
    add(1, S.IN_PROGRESS, colour="green", tier=Tier.FAST, **housing)
    add(1, S.IN_PROGRESS, colour="green_progress", co="done", tier=Tier.FAST, **housing)
    add(1, S.IN_PROGRESS, colour="green_progress", extension="approved", tier=Tier.FAST, **housing)
    add(2, S.ASSIGNED, colour="green", **housing)
    add(1, S.REHANDLING, colour="green", unsatisfied=1, **housing)
    add(1, S.REPLIED, **housing)
    add(1, S.RATED, result="B", **housing)
    add(1, S.CLOSED, result="B", co="done", published=True, **housing)
    add(3, S.CLOSED, **housing)
    add(1, S.CLOSED, extension="approved", **housing)
    add(
        1,
        S.IN_PROGRESS,
        colour="green",
        co="pending",
        co_dept=HOUSING,
        topic="village_road",
        jurisdiction=Jurisdiction.COUNTY,
    )
    add(
        1,
        S.IN_PROGRESS,
        colour="yellow_mid",
        co="pending",
        co_dept=HOUSING,
        topic="river",
        jurisdiction=Jurisdiction.COUNTY,
    )
    # 江城镇: township suggestions to review and to assign, and some in every later state.
    town = {"township": 0, "jurisdiction": Jurisdiction.TOWNSHIP}
    add(3, S.SUBMITTED, **town)
    add(2, S.ACCEPTED, **town)
    add(1, S.ASSIGNED, colour="green", **town)
    add(1, S.IN_PROGRESS, colour="red", **town)
    add(1, S.IN_PROGRESS, colour="green", demo_cosigner=True, **town)
    add(1, S.REPLIED, demo_cosigner=True, **town)
    add(1, S.RATED, **town)
    add(2, S.CLOSED, published=True, **town)
    add(1, S.CLOSED, demo_cosigner=True, **town)
    # Every other state, tier and turn of events, across the county.
    add(5, S.DRAFT)
    add(8, S.SUBMITTED, jurisdiction=Jurisdiction.COUNTY)
    add(2, S.SUBMITTED, jurisdiction=Jurisdiction.TOWNSHIP)
    add(7, S.REJECTED)
    add(5, S.ACCEPTED, jurisdiction=Jurisdiction.COUNTY)
    add(1, S.ASSIGNED, colour="red", tier=Tier.IMMEDIATE)
    add(5, S.ASSIGNED, colour="green")
    for colour, count in (("red", 5), ("yellow", 3), ("yellow_mid", 3), ("green", 5), ("green_progress", 4)):
        add(count, S.IN_PROGRESS, colour=colour)
    add(2, S.IN_PROGRESS, colour="red", tier=Tier.SUPERVISED)
    add(1, S.IN_PROGRESS, colour="green_progress", tier=Tier.SUPERVISED)
    add(2, S.IN_PROGRESS, colour="yellow", extension="pending", tier=Tier.FAST)
    add(1, S.IN_PROGRESS, colour="red", extension="refused", tier=Tier.FAST)
    add(2, S.IN_PROGRESS, colour="green", co="pending", tier=Tier.FAST)
    add(2, S.IN_PROGRESS, colour="green_progress", co="done", tier=Tier.FAST)
    add(7, S.REPLIED)
    add(2, S.REPLIED, lapsed=True)
    add(1, S.REPLIED, result="B")
    add(1, S.REHANDLING, colour="red", unsatisfied=1)
    add(1, S.REHANDLING, colour="green", unsatisfied=2, tier=Tier.SUPERVISED)  # escalated
    add(1, S.REHANDLING, colour="yellow_mid", unsatisfied=1)
    add(3, S.RATED, result="B")
    add(7, S.RATED)
    add(30, S.CLOSED)
    add(4, S.CLOSED, result="B", published=True)
    add(4, S.CLOSED, co="done")
    add(3, S.CLOSED, unsatisfied=1, published=True)
    add(2, S.CLOSED, unrated=True)
    add(1, S.CLOSED, returned=True, jurisdiction=Jurisdiction.COUNTY)
    add(1, S.CLOSED, extension="approved", tier=Tier.FAST)
    add(1, S.CLOSED, extension="refused", tier=Tier.FAST)
    add(1, S.CLOSED, group=True, tier=Tier.FAST, published=True)
    add(2, S.CLOSED, tier=Tier.SUPERVISED, published=True)
    add(2, S.CLOSED, tier=Tier.IMMEDIATE)
    primaries = [
        i
        for i, slot in enumerate(cast)
        if slot.status in (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS)
        and not slot.demo_lead
        and not slot.co_dept
        and slot.topic != "housing"
    ]
    for index in primaries[::7][:5]:
        cast.append(Slot(S.JOINED, primary=index))
    return cast


def earlier_cast(current: list[tuple[Slot, dict]]) -> list[Slot]:
    """Closed suggestions of the year before, each like one of this year's (年年提年年办)."""
    picked = [pair for pair in current if pair[0].status not in (S.DRAFT, S.JOINED) and pair[1]]
    picked = picked[:: max(1, len(picked) // 30)][:30]
    return [
        Slot(
            S.CLOSED,
            year=-1,
            topic=info["topic"],
            township=info["township"],
            jurisdiction=info["jurisdiction"],
            title_variant=info["title_variant"],
            village_name=info["village"],
            published=index % 3 == 0,
            result="A" if index % 4 else "B",
        )
        for index, (_slot, info) in enumerate(picked)
    ]


# ---------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------


class Timeline:
    """Moments for one opinion or suggestion, each after the one before."""

    def __init__(self, rng: random.Random, tz):
        self.rng, self.tz = rng, tz
        self.last: dt.datetime | None = None

    def at(self, day: dt.date) -> dt.datetime:
        """A moment in office hours on ``day``, or a little after the last one if that is later."""
        if self.last is not None and day <= self.last.date():
            late = self.last.hour >= 17  # a busy day ends with quick steps, not at midnight
            moment = self.last + dt.timedelta(minutes=self.rng.randint(2, 6) if late else self.rng.randint(4, 35))
        else:
            start, end = self.rng.choice((MORNING, AFTERNOON))
            minutes = self.rng.randint(start, end)
            moment = dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=self.tz)
        self.last = moment
        return moment


@dataclass
class Gaps:
    """The random durations of one suggestion's life, drawn once."""

    review: int
    assign: int
    accept: int
    handle: float
    rates: list[int]
    rehandle: list[float]
    close: int
    ret: int = 2
    reassign: int = 1
    ext_days: int = 25
    commit_days: list[int] = field(default_factory=list)


class Planner:
    """Builds the :class:`LifecyclePlan` of the first county of ``ctx`` as of ``today``."""

    def __init__(self, ctx: DemoContext, today: dt.date):
        self.ctx, self.today = ctx, today
        self.texts = texts()
        self.tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.calendar = WorkCalendar({})
        self.deadlines = Deadlines(calendar=self.calendar, rules={})
        self.county = ctx.counties[0]
        self.last = self.workday_before(today)
        year_start = self.calendar.next_workday(dt.date(today.year, 1, 5))
        self.start = (
            year_start
            if (today - year_start).days >= 240
            else self.calendar.next_workday(today - dt.timedelta(days=300))
        )
        self.earlier = (
            self.calendar.next_workday(dt.date(self.start.year - 1, 3, 2)),
            self.workday_before(dt.date(self.start.year - 1, 12, 20)),
        )
        self.warn_until = self.deadlines.warning_from(today)
        self.steps: list[Step] = []
        self.opinions: list[OpinionPlan] = []
        self.suggestions: list[SuggestionPlan] = []
        self.used_phones = set(ctx.used_phones)
        self.seq = 0
        self.planned: dict[int, dict] = {}  # cast index → what later slots need to know
        self.topics = {topic["key"]: topic for topic in self.texts["topics"]}
        self.villages = self.villages_by_station()
        self.liaison_station = self.county.townships[0].villages[0].station
        self.demo_person = self.find_demo_person()
        self.campaign_days = self.plan_campaign_days()

    def rng(self, part: str) -> random.Random:
        return random.Random(f"{self.ctx.seed}:lifecycle:{part}")

    # Calendar helpers -----------------------------------------------------------------------

    def wd(self, day: dt.date, count: int) -> dt.date:
        """``count`` working days after ``day`` (before, when negative; ``day`` itself for 0)."""
        return self.calendar.add_working_days(day, count) if count else day

    def workday_before(self, day: dt.date) -> dt.date:
        day -= dt.timedelta(days=1)
        while not self.calendar.is_workday(day):
            day -= dt.timedelta(days=1)
        return day

    def snap(self, day: dt.date) -> dt.date:
        return self.calendar.next_workday(day)

    def workdays(self, first: dt.date, last: dt.date) -> list[dt.date]:
        days, day = [], first
        while day <= last:
            if self.calendar.is_workday(day):
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def colour(self, due: dt.date, mid: dt.date, progress: bool) -> str:
        """The three-colour supervision of an open assignment as of today (see suggestions.selectors)."""
        if due < self.today:
            return "red"
        if due <= self.warn_until or (mid <= self.today and not progress):
            return "yellow"
        return "green"

    # People and places ----------------------------------------------------------------------

    def villages_by_station(self) -> dict[str, list[Village]]:
        found: dict[str, list[Village]] = {}
        for township in self.county.townships:
            found[township.center.code] = township.villages
            for station in township.specials:
                found[station.code] = township.villages
            for area in township.areas:
                found[area.station.code] = area.villages
                for village in area.villages:
                    found[village.station.code] = [village]
        return found

    def find_demo_person(self):
        present = [p for p in self.county.townships[0].persons if p.assignment_at(self.liaison_station)]
        masters = [p for p in present if p.assignment_at(self.liaison_station).role == StationRole.MASTER]
        return (masters or present)[0]

    def township_of(self, index: int) -> Township:
        return self.county.townships[index]

    def other_village(self, rng: random.Random, township: Township, village: Village) -> str:
        others = [v.name for v in township.villages if v.name != village.name]
        return rng.choice(others) if others else township.areas[0].name

    def mobile(self, rng: random.Random) -> str:
        prefixes = reference("names")["mobile_prefixes"].split()
        while True:
            phone = rng.choice(prefixes) + f"{rng.randrange(10**8):08d}"
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    # Accounts -------------------------------------------------------------------------------

    def plan_accounts(self) -> tuple[list[AccountPlan], dict[str, str]]:
        """A supervising leader, staff for every township, a handler for every department.

        The demo accounts stand in where they exist: ``county`` reviews county suggestions,
        ``township`` 江城镇's, ``department`` handles for the housing department.
        """
        rng = self.rng("accounts")
        accounts, usernames = [], {}
        present = self.ctx.accounts

        def person(key, username, **fields):
            surname, given = person_name(rng, rng.choice("MF"))
            accounts.append(AccountPlan(key, username, surname, given, phone=self.mobile(rng), **fields))
            usernames[key] = username

        person("leader", "leader", role=Role.COUNTY_STAFF, title="县人大常委会副主任", is_leader=True)
        usernames["county"] = "county" if "county" in present else "leader"
        for number, township in enumerate(self.county.townships, 1):
            key = f"township:{township.center.code}"
            title = "人大工委干事" if township.spec.is_street else "人大主席团干事"
            if number == 1 and "township" in present:
                usernames[key] = "township"
            else:
                person(
                    key, f"township-{number:02d}", role=Role.TOWNSHIP_STAFF, township=township.center.code, title=title
                )
        departments = self.county.departments + [township.department for township in self.county.townships]
        for number, department in enumerate(departments, 1):
            key = f"dept:{department.name}"
            if HOUSING in department.name and "department" in present:
                usernames[key] = "department"
            else:
                person(key, f"dept-{number:02d}", department=department.name)
        for key in ("liaison", "deputy"):
            if key in present:
                usernames[key] = key
        return accounts, usernames

    def staff_key(self, jurisdiction: str, township: Township) -> str:
        return "county" if jurisdiction == Jurisdiction.COUNTY else f"township:{township.center.code}"

    def department_name(self, suffix: str) -> str:
        return next(d.name for d in self.county.departments if suffix in d.name)

    # Steps ----------------------------------------------------------------------------------

    def step(self, at: dt.datetime, action: str, key: str, actor: str | None, **args) -> Step:
        self.seq += 1
        step = Step(at, self.seq, action, key, actor, args)
        self.steps.append(step)
        return step

    # Campaign days: market stalls and one big reception day ---------------------------------

    def plan_campaign_days(self) -> list[tuple[dt.date, Station, Township, str]]:
        """A few days when deputies set up stalls at markets, and one busy reception day at 江城镇."""
        rng = self.rng("campaigns")
        days = []
        span = (self.last - self.start).days
        for fraction in (0.2, 0.45, 0.62, 0.8):
            township = rng.choice(self.county.townships[1:])
            day = self.start + dt.timedelta(days=int(span * fraction) + rng.randint(-5, 5))
            days.append((min(day, self.last), rng.choice(township.areas).station, township, Channel.MARKET_STALL))
        seat = self.county.townships[0]
        day = self.start + dt.timedelta(days=int(span * 0.55))
        day = (self.reception_days(seat.center, day, day + dt.timedelta(days=6)) or [self.snap(day)])[0]
        days.append((day, seat.center, seat, Channel.RECEPTION_DAY))
        return days

    # Suggestions ----------------------------------------------------------------------------

    def plan_suggestions(self) -> None:
        cast = current_cast()
        made = []
        for index, slot in enumerate(cast):
            info = self.plan_suggestion(slot, f"s{index}", self.rng(f"suggestion:{index}"), index)
            made.append((slot, info))
        for index, slot in enumerate(earlier_cast(made)):
            self.plan_suggestion(slot, f"e{index}", self.rng(f"earlier:{index}"), None)

    def choose_topic(self, rng: random.Random, slot: Slot) -> dict:
        if slot.topic == "housing":
            return self.topics[rng.choice(HOUSING_TOPICS)]
        if slot.topic:
            return self.topics[slot.topic]
        candidates = list(self.topics.values())
        if slot.jurisdiction == Jurisdiction.TOWNSHIP:
            candidates = [topic for topic in candidates if topic["township"]]
        return rng.choice(candidates)

    def choose_tier(self, rng: random.Random, slot: Slot, topic: dict) -> str:
        if slot.tier:
            return slot.tier
        weights = [(tier, weight) for tier, weight in topic["tiers"].items() if weight]
        tier = weighted(rng, weights)
        slow = slot.extension or slot.co or slot.unsatisfied or slot.colour in ("yellow_mid", "green_progress")
        if tier == Tier.IMMEDIATE and slow:
            return Tier.FAST
        return tier

    def choose_lead(self, rng: random.Random, slot: Slot, township: Township, jurisdiction: str):
        """The lead deputy, the station the suggestion is raised at, and the village it is about."""
        if slot.demo_lead:
            person = self.demo_person
            station = self.liaison_station
        else:
            level = Level.COUNTY if jurisdiction == Jurisdiction.COUNTY else Level.TOWNSHIP
            persons = [p for p in township.persons if level in p.levels and p is not self.demo_person]
            person = rng.choice(persons or township.persons)
            kinds = (StationKind.CENTER, StationKind.AREA, StationKind.VILLAGE)
            stations = [a.station for a in person.assignments if a.station.kind in kinds]
            stations = [s for s in stations if s.code.startswith(township.center.code)] or [township.center]
            station = rng.choice(stations)
        villages = self.villages.get(station.code) or township.villages
        if slot.village_name:
            villages = [v for v in township.villages if v.name == slot.village_name] or villages
        return person, station, rng.choice(villages)

    def co_signers(self, rng: random.Random, slot: Slot, township: Township, lead) -> list[str]:
        pool = [p for p in township.persons if p is not lead and p is not self.demo_person]
        chosen = rng.sample(pool, min(len(pool), rng.choice((0, 0, 1, 1, 2, 3))))
        codes = [p.deputy.code for p in chosen]
        if slot.demo_cosigner and lead is not self.demo_person:
            codes.append(self.demo_person.deputy.code)
        return codes

    def fill(self, template: str, values: dict) -> str:
        return template.format(**values)

    def suggestion_texts(self, rng: random.Random, topic: dict, values: dict, variant: int | None):
        titles = topic["titles"]
        variant = rng.randrange(len(titles)) if variant is None else variant % len(titles)
        title = self.fill(titles[variant], values)
        intro = self.fill(rng.choice(topic["intro"]), values)
        points = rng.sample(topic["points"], min(len(topic["points"]), rng.choice((2, 3, 3))))
        body = "；".join(f"{CHINESE_ORDINALS[i]}是{self.fill(point, values)}" for i, point in enumerate(points))
        return title, f"{intro}为此建议：{body}。", variant

    def plan_suggestion(self, slot: Slot, key: str, rng: random.Random, index: int | None) -> dict:
        """Plan one suggestion (and its source opinions); returns what the year before may copy."""
        if slot.status == S.JOINED:
            return self.plan_joined(slot, key, rng)
        earlier = slot.year == -1
        start, last = self.earlier if earlier else (self.start, self.last)
        topic = self.choose_topic(rng, slot)
        if slot.township is not None:
            township_index = slot.township
        else:
            sizes = [t.spec.size for t in self.county.townships]
            township_index = rng.choices(range(len(sizes)), weights=sizes)[0]
        township = self.township_of(township_index)
        jurisdiction = slot.jurisdiction or (
            Jurisdiction.TOWNSHIP if topic["township"] and rng.random() < 0.35 else Jurisdiction.COUNTY
        )
        if slot.demo_lead and not slot.jurisdiction:
            jurisdiction = Jurisdiction.TOWNSHIP
        tier = self.choose_tier(rng, slot, topic)
        lead, station, village = self.choose_lead(rng, slot, township, jurisdiction)
        values = {
            "village": village.name,
            "other": self.other_village(rng, township, village),
            "township": township.name,
            "county": self.county.name,
            "n": rng.randint(*topic["n"]),
            "year": (start.year if earlier else self.today.year),
        }
        title, content, variant = self.suggestion_texts(rng, topic, values, slot.title_variant)
        if jurisdiction == Jurisdiction.TOWNSHIP:
            department = township.department.name
        elif slot.topic == "housing" or topic["department"] == HOUSING:
            department = self.department_name(HOUSING)
        else:
            department = self.department_name(topic["department"])
        co = []
        if slot.co:
            co = [self.department_name(slot.co_dept or (topic["co"] or ["财政局"])[0])]
        life = Life(
            planner=self,
            slot=slot,
            key=key,
            rng=rng,
            topic=topic,
            township=township,
            jurisdiction=jurisdiction,
            tier=tier,
            lead=lead,
            station=station,
            village=village,
            values=values,
            department=department,
            co=co,
            window=(start, last),
        )
        life.plan()
        opinions = (
            [] if earlier or (slot.status == S.DRAFT and rng.random() < 0.5) else self.plan_source_opinions(life, rng)
        )
        life.emit(title, content, self.co_signers(rng, slot, township, lead), opinions)
        self.suggestions.append(
            SuggestionPlan(
                key,
                title,
                life.final_status,
                life.tier if life.reviewed else "",
                jurisdiction,
                lead.deputy.code,
                township.center.code,
                life.submitted_at,
            )
        )
        info = {
            "topic": topic["key"],
            "township": township_index,
            "jurisdiction": jurisdiction,
            "title_variant": variant,
            "village": village.name,
        }
        if index is not None:
            self.planned[index] = {**info, "life": life, "title": title, "content": content}
        return info if slot.status != S.DRAFT else {}

    def plan_joined(self, slot: Slot, key: str, rng: random.Random) -> dict:
        """A suggestion on the same matter as an open one, joined to it at review (并案)."""
        primary = self.planned[slot.primary]
        life_p = primary["life"]
        township = life_p.township
        level = Level.COUNTY if life_p.jurisdiction == Jurisdiction.COUNTY else Level.TOWNSHIP
        persons = [
            p for p in township.persons if level in p.levels and p is not life_p.lead and p is not self.demo_person
        ]
        lead = rng.choice(persons or township.persons)
        kinds = (StationKind.CENTER, StationKind.AREA, StationKind.VILLAGE)
        stations = [
            a.station
            for a in lead.assignments
            if a.station.kind in kinds and a.station.code.startswith(township.center.code)
        ] or [township.center]
        station = rng.choice(stations)
        first = self.wd(life_p.days["S"], 1)
        last_submit = self.wd(self.last, -2)
        submit = first if first >= last_submit else rng.choice(self.workdays(first, last_submit))
        join = min(self.wd(submit, rng.randint(1, 2)), self.last)
        timeline = Timeline(rng, self.tz)
        actor = self.staff_key(Jurisdiction.TOWNSHIP, township)
        reviewer = self.staff_key(life_p.jurisdiction, township)
        title = primary["title"].replace("关于", "关于尽快", 1) if rng.random() < 0.5 else primary["title"]
        at = timeline.at(submit)
        self.step(
            at,
            "suggestion_create",
            key,
            actor,
            title=title,
            content=primary["content"],
            category=life_p.topic["category"],
            lead=lead.deputy.code,
            station=station.code,
            co_signers=[],
            opinions=[],
            jurisdiction=life_p.jurisdiction,
            submit=True,
        )
        self.step(timeline.at(join), "suggestion_join", key, reviewer, primary=life_p.key)
        self.suggestions.append(
            SuggestionPlan(key, title, S.JOINED, "", life_p.jurisdiction, lead.deputy.code, township.center.code, at)
        )
        return {}

    # Opinions -------------------------------------------------------------------------------

    def opinion_actor(self, channel: str, station: Station, township: Township, deputies: list[str]) -> str | None:
        """Who enters an opinion: nobody for the online forms, else the liaison officer at their
        station, the demo deputy for their own visits, the township's staff otherwise."""
        if channel in (Channel.STATION_QR, Channel.DEPUTY_QR):
            return None
        usernames = self.usernames
        if station is self.liaison_station and "liaison" in usernames and channel != Channel.HOME_VISIT:
            return "liaison"
        if self.demo_person.deputy.code in deputies and "deputy" in usernames and channel == Channel.HOME_VISIT:
            return "deputy"
        return f"township:{township.center.code}"

    def handler_of_opinion(self, station: Station, township: Township, deputies: list[str]) -> str:
        """Who follows an opinion up (accepts, answers, declines it)."""
        if station is self.liaison_station and "liaison" in self.usernames:
            return "liaison"
        if self.demo_person.deputy.code in deputies and "deputy" in self.usernames:
            return "deputy"
        return f"township:{township.center.code}"

    def reception_days(self, station: Station, first: dt.date, last: dt.date) -> list[dt.date]:
        days = []
        if station.reception_frequency == ReceptionFrequency.MONTHLY:
            month = dt.date(first.year, first.month, 1)
            while month <= last:
                try:
                    day = month.replace(day=station.reception_day)
                except ValueError:
                    day = None
                if day and first <= day <= last:
                    days.append(day)
                month = (month + dt.timedelta(days=32)).replace(day=1)
        elif station.reception_frequency == ReceptionFrequency.WEEKLY:
            day = first
            while day <= last:
                if day.isoweekday() == station.reception_day:
                    days.append(day)
                day += dt.timedelta(days=1)
        return days

    def opinion_moment(self, rng: random.Random, channel: str, day: dt.date, station: Station) -> dt.datetime:
        if channel == Channel.RECEPTION_DAY and station.reception_start and station.reception_end:
            start = station.reception_start.hour * 60 + station.reception_start.minute
            end = station.reception_end.hour * 60 + station.reception_end.minute - 10
        elif channel in (Channel.STATION_QR, Channel.DEPUTY_QR):
            start, end = 7 * 60, 22 * 60 + 30
        elif channel == Channel.MARKET_STALL:
            start, end = 8 * 60, 11 * 60 + 30
        elif channel == Channel.HOME_VISIT:
            start, end = rng.choice(((9 * 60, 11 * 60 + 30), (15 * 60, 17 * 60 + 30), (19 * 60 + 30, 21 * 60)))
        else:
            start, end = rng.choice((MORNING, AFTERNOON))
        minutes = rng.randint(start, max(start, end))
        return dt.datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=self.tz)

    def voter(self, rng: random.Random, channel: str) -> tuple[str, str]:
        share = {Channel.PHONE: 1.0, Channel.STATION_QR: 0.8, Channel.DEPUTY_QR: 0.8}.get(channel, 0.55)
        if rng.random() >= share:
            return ("", "") if rng.random() < 0.7 else ("".join(person_name(rng, rng.choice("MF"))), "")
        return "".join(person_name(rng, rng.choice("MF"))), self.mobile(rng)

    def add_opinion(
        self,
        rng: random.Random,
        key: str,
        *,
        content: str,
        category: str | None,
        channel: str,
        station: Station,
        township: Township,
        village: str,
        deputies: list[str],
        at: dt.datetime,
        fate: str,
        fate_note: str = "",
        fate_day: dt.date | None = None,
    ) -> Timeline:
        """Record an opinion and what becomes of it (``merged`` ones are merged by their suggestion)."""
        name, phone = self.voter(rng, channel)
        timeline = Timeline(rng, self.tz)
        timeline.last = at
        self.step(
            at,
            "opinion_create",
            key,
            self.opinion_actor(channel, station, township, deputies),
            content=content,
            channel=channel,
            station=station.code,
            category=category,
            place=village,
            deputies=deputies,
            voter_name=name,
            voter_phone=phone,
        )
        handler = self.handler_of_opinion(station, township, deputies)
        if fate in (OpinionStatus.ACCEPTED, OpinionStatus.ANSWERED, OpinionStatus.DECLINED):
            moment = timeline.at(fate_day or at.date())
            action = {
                OpinionStatus.ACCEPTED: "opinion_accept",
                OpinionStatus.ANSWERED: "opinion_answer",
                OpinionStatus.DECLINED: "opinion_decline",
            }[fate]
            note = {OpinionStatus.ANSWERED: {"answer": fate_note}, OpinionStatus.DECLINED: {"reason": fate_note}}
            self.step(moment, action, key, handler, **note.get(fate, {}))
        self.opinions.append(OpinionPlan(key, content, channel, station.code, at, fate))
        return timeline

    def plan_source_opinions(self, life: Life, rng: random.Random) -> list[str]:
        """The voters' opinions a suggestion was written from: a few, in the weeks before it."""
        written = life.days["W"]
        first, last = max(life.window[0], written - dt.timedelta(days=45)), written - dt.timedelta(days=1)
        if last < first or rng.random() < 0.15:
            return []
        count = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        demo = life.slot.demo_lead
        keys = []
        for number in range(count):
            key = f"{life.key}-o{number}"
            village = life.village if number == 0 or demo or rng.random() < 0.6 else rng.choice(life.township.villages)
            station = village.station
            campaign = [c for c in self.campaign_days if c[2] is life.township and first <= c[0] <= last]
            if campaign and not demo and rng.random() < 0.6:
                day, station, _township, channel = rng.choice(campaign)
            else:
                channels = [
                    (Channel.RECEPTION_DAY, 4),
                    (Channel.HOME_VISIT, 3),
                    (Channel.PHONE, 1),
                    (Channel.DEPUTY_QR, 1),
                ]
                if not demo:
                    channels += [(Channel.STATION_QR, 2), (Channel.LETTER, 0.3)]
                channel = weighted(rng, channels)
                days = self.reception_days(station, first, last) if channel == Channel.RECEPTION_DAY else []
                if channel == Channel.RECEPTION_DAY and not days:
                    channel = Channel.HOME_VISIT
                day = rng.choice(days) if days else first + dt.timedelta(days=rng.randint(0, (last - first).days))
            deputies = [] if channel == Channel.STATION_QR else [life.lead.deputy.code]
            values = {**life.values, "village": village.name}
            content = self.fill(rng.choice(life.topic["opinions"]), values)
            at = self.opinion_moment(rng, channel, day, station)
            accept = rng.random() < 0.35
            accept_day = min(self.wd(day, rng.randint(0, 2)), last) if accept else None
            fate = OpinionStatus.ACCEPTED if accept else OpinionStatus.RECEIVED
            self.add_opinion(
                rng,
                key,
                content=content,
                category=life.topic["category"],
                channel=channel,
                station=station,
                township=life.township,
                village=village.name,
                deputies=deputies,
                at=at,
                fate=fate,
                fate_day=accept_day,
            )
            self.opinions[-1].status = OpinionStatus.MERGED
            keys.append(key)
        return keys

    def plan_free_opinions(self) -> None:
        """Opinions that never became suggestions: answered on the spot, declined, or still open."""
        rng = self.rng("opinions")
        plan = [
            (OpinionStatus.ANSWERED, 140),
            (OpinionStatus.DECLINED, 45),
            (OpinionStatus.ACCEPTED, 45),
            (OpinionStatus.RECEIVED, 40),
        ]
        number = 0
        for campaign in self.campaign_days:
            for _ in range(rng.randint(8, 14) if campaign[3] == Channel.MARKET_STALL else 20):
                fate = weighted(
                    rng, [(OpinionStatus.ANSWERED, 6), (OpinionStatus.DECLINED, 1), (OpinionStatus.ACCEPTED, 1)]
                )
                self.free_opinion(rng, f"f{number}", fate, campaign=campaign)
                number += 1
        for fate, count in plan:
            for _ in range(count):
                self.free_opinion(rng, f"f{number}", fate)
                number += 1
        for fate in (OpinionStatus.RECEIVED, OpinionStatus.RECEIVED, OpinionStatus.ACCEPTED, OpinionStatus.ANSWERED):
            self.free_opinion(rng, f"f{number}", fate, demo=True)
            number += 1
        for fate in (
            OpinionStatus.RECEIVED,
            OpinionStatus.RECEIVED,
            OpinionStatus.ACCEPTED,
            OpinionStatus.ACCEPTED,
            OpinionStatus.ANSWERED,
            OpinionStatus.ANSWERED,
            OpinionStatus.DECLINED,
        ):
            self.free_opinion(rng, f"f{number}", fate, at_liaison=True)
            number += 1

    def free_opinion(
        self, rng: random.Random, key: str, fate: str, *, campaign=None, demo=False, at_liaison=False
    ) -> None:
        if fate == OpinionStatus.RECEIVED:
            first = max(self.start, self.today - dt.timedelta(days=28))
        elif fate == OpinionStatus.ACCEPTED:
            first = max(self.start, self.today - dt.timedelta(days=120))
        else:
            first = self.start
        if campaign:
            day, station, township, channel = campaign
            village = rng.choice(self.villages.get(station.code) or township.villages)
            deputies = [p.deputy.code for p in rng.sample(township.persons, min(3, len(township.persons)))]
        else:
            if demo or at_liaison:
                township, station = self.county.townships[0], self.liaison_station
            else:
                sizes = [t.spec.size for t in self.county.townships]
                township = rng.choices(self.county.townships, weights=sizes)[0]
                station = rng.choice([v.station for v in township.villages] + [a.station for a in township.areas])
            village = rng.choice(self.villages.get(station.code) or township.villages)
            present = [p for p in township.persons if p.assignment_at(station)] or township.persons
            if demo:
                channel = weighted(rng, [(Channel.DEPUTY_QR, 2), (Channel.HOME_VISIT, 2), (Channel.RECEPTION_DAY, 1)])
                deputies = [self.demo_person.deputy.code]
            else:
                channel = weighted(
                    rng,
                    [
                        (Channel.RECEPTION_DAY, 35),
                        (Channel.HOME_VISIT, 15),
                        (Channel.PHONE, 10),
                        (Channel.STATION_QR, 12),
                        (Channel.DEPUTY_QR, 10),
                        (Channel.LETTER, 3),
                    ],
                )
                deputies = [] if channel == Channel.STATION_QR else [rng.choice(present).deputy.code]
            days = self.reception_days(station, first, self.last) if channel == Channel.RECEPTION_DAY else []
            if channel == Channel.RECEPTION_DAY and not days:
                channel = Channel.HOME_VISIT
            day = rng.choice(days) if days else first + dt.timedelta(days=rng.randint(0, (self.last - first).days))
        content, category, note = self.opinion_text(rng, fate, township, village)
        if channel == Channel.STATION_QR and rng.random() < 0.5:
            category = None
        at = self.opinion_moment(rng, channel, day, station)
        in_person = channel in (Channel.RECEPTION_DAY, Channel.MARKET_STALL, Channel.HOME_VISIT)
        if fate == OpinionStatus.ANSWERED:
            note = self.texts["answer_prefix"]["in_person" if in_person else "remote"] + note
        fate_day = day if fate == OpinionStatus.ANSWERED and in_person else self.wd(day, rng.randint(1, 4))
        self.add_opinion(
            rng,
            key,
            content=content,
            category=category,
            channel=channel,
            station=station,
            township=township,
            village=village.name,
            deputies=deputies,
            at=at,
            fate=fate,
            fate_note=note,
            fate_day=min(max(fate_day, day), self.last),
        )

    def opinion_text(self, rng: random.Random, fate: str, township: Township, village: Village):
        """Content, category and the answer or reason: questions are answered, personal matters
        declined, problems left open for a suggestion."""
        values = {
            "village": village.name,
            "other": self.other_village(rng, township, village),
            "township": township.name,
            "county": self.county.name,
            "year": self.today.year,
        }
        if fate == OpinionStatus.ANSWERED:
            item = rng.choice(self.texts["questions"])
            return self.fill(rng.choice(item["texts"]), values), item["category"], item["answer"]
        if fate == OpinionStatus.DECLINED:
            item = rng.choice(self.texts["declines"])
            return self.fill(rng.choice(item["texts"]), values), item["category"], item["reason"]
        topic = rng.choice(self.texts["topics"])
        return self.fill(rng.choice(topic["opinions"]), values), topic["category"], ""

    # The whole plan -------------------------------------------------------------------------

    def build(self) -> LifecyclePlan:
        self.accounts, self.usernames = self.plan_accounts()
        self.plan_suggestions()
        self.plan_free_opinions()
        return LifecyclePlan(
            self.today, self.start, self.accounts, self.usernames, self.opinions, self.suggestions, self.steps
        )


class Life:
    """One suggestion's life: the days of its steps (:meth:`plan`) and the steps (:meth:`emit`)."""

    def __init__(
        self,
        *,
        planner: Planner,
        slot: Slot,
        key: str,
        rng: random.Random,
        topic: dict,
        township: Township,
        jurisdiction: str,
        tier: str,
        lead,
        station: Station,
        village: Village,
        values: dict,
        department: str,
        co: list[str],
        window: tuple[dt.date, dt.date],
    ):
        self.p, self.slot, self.key, self.rng, self.topic = planner, slot, key, rng, topic
        self.township, self.jurisdiction, self.tier = township, jurisdiction, tier
        self.lead, self.station, self.village, self.values = lead, station, village, values
        self.department, self.co, self.window = department, co, window
        self.result = slot.result or weighted(rng, RESULT_WEIGHTS)
        if slot.unrated and self.result == "B":
            self.result = "C"
        self.days: dict = {}
        self.final_status = S.CLOSED if slot.group else slot.status
        self.submitted_at: dt.datetime | None = None
        self.reviewed = slot.status not in (S.DRAFT, S.SUBMITTED, S.REJECTED)
        self.gaps = self.draw_gaps()
        self.allowed: set[dt.date] | None = None

    # Durations --------------------------------------------------------------------------------

    def draw_gaps(self) -> Gaps:
        rng, tier = self.rng, self.tier
        accept = {Tier.IMMEDIATE: (0, 1), Tier.FAST: (1, 3), Tier.SUPERVISED: (1, 4)}[tier]
        late = self.slot.extension != "approved" and rng.random() < 0.08
        handle = rng.uniform(1.05, 1.3) if late or self.slot.extension == "refused" else rng.uniform(0.35, 0.92)
        rounds = self.slot.unsatisfied + 1
        commit_days = [rng.randint(12, 40) for _ in range(rng.choice((1, 1, 2)))]
        if self.slot.status in (S.REPLIED, S.RATED):
            commit_days = [rng.randint(20, 40) if rng.random() < 0.3 else rng.randint(70, 240) for _ in commit_days]
        return Gaps(
            review=rng.randint(1, 4),
            assign=rng.randint(0, 2),
            accept=rng.randint(*accept),
            handle=handle,
            rates=[rng.randint(2, 12) for _ in range(rounds)],
            rehandle=[rng.uniform(0.4, 0.9) for _ in range(rounds)],
            close=rng.randint(1, 8),
            ret=rng.randint(1, 3),
            reassign=rng.randint(1, 2),
            ext_days=rng.randint(18, 28),
            commit_days=commit_days,
        )

    def handled_by(self, start: dt.date, due: dt.date, accepted: dt.date, fraction: float) -> dt.date:
        """The reply day: ``fraction`` of the time from ``start`` to ``due``, after acceptance."""
        day = self.p.snap(start + dt.timedelta(days=round(fraction * (due - start).days)))
        return max(day, accepted if self.tier == Tier.IMMEDIATE else self.p.wd(accepted, 1))

    # Days -------------------------------------------------------------------------------------

    def spine(self, submit: dt.date) -> dict:
        """Every main day of the life from its submission day, as far as its state reaches."""
        p, g, slot = self.p, self.gaps, self.slot
        status = slot.status
        submit = p.snap(submit)
        d: dict = {"S": submit}
        if status in (S.DRAFT, S.SUBMITTED):
            return d
        d["R"] = p.wd(submit, g.review)
        if status in (S.REJECTED, S.ACCEPTED):
            return d
        assign = p.wd(d["R"], g.assign)
        if slot.returned:
            d["A0"], d["ret"] = assign, p.wd(assign, g.ret)
            assign = p.wd(d["ret"], g.reassign)
        d["A"] = assign
        d["due"] = due = p.deadlines.due_for_tier(self.tier, assign)
        d["eff"] = due + dt.timedelta(days=g.ext_days) if slot.extension == "approved" else due
        d["H"] = min(p.wd(assign, g.accept), max(assign, self.window[1]))
        if status in (S.ASSIGNED, S.IN_PROGRESS):
            return d
        d["P"], d["F"], d["rounds"] = [], [], []
        reply = self.handled_by(assign, d["eff"], d["H"], g.handle)
        if slot.extension:
            reply = max(reply, p.wd(due, 1))  # replied after the extension was decided
        for number in range(slot.unsatisfied):
            d["P"].append(reply)
            rated = p.wd(reply, g.rates[number])
            d["F"].append(rated)
            rehandle_due = p.deadlines.due(Clock.REHANDLING, rated)
            d["rounds"].append((rated, rehandle_due))
            if status == S.REHANDLING and number == slot.unsatisfied - 1:
                return d
            reply = self.handled_by(rated, rehandle_due, p.wd(rated, 1), g.rehandle[number])
        d["P"].append(reply)
        if status == S.REPLIED:
            return d
        if slot.unrated:
            d["X"] = p.wd(p.deadlines.due(Clock.FEEDBACK_WINDOW, reply), g.close)
            return d
        d["F"].append(p.wd(reply, g.rates[-1]))
        if slot.group:
            d["FJ"] = p.wd(reply, max(1, g.rates[-1] - 1))
        if status == S.RATED:
            return d
        ready = max(d["F"][-1], d.get("FJ", reply))
        if self.result == "B":
            d["commitments"] = [reply + dt.timedelta(days=days) for days in g.commit_days]
            d["fulfilled"] = [
                max(p.wd(reply, 2), p.workday_before(due + dt.timedelta(days=1))) for due in d["commitments"]
            ]
            ready = max(ready, *d["fulfilled"])
        d["X"] = p.wd(ready, g.close)
        return d

    def anchor(self, d: dict) -> dt.date:
        status = self.slot.status
        if status in (S.DRAFT, S.SUBMITTED):
            return d["S"]
        if status in (S.REJECTED, S.ACCEPTED):
            return d["R"]
        if status in (S.ASSIGNED, S.IN_PROGRESS):
            return d["A"]
        if status == S.REPLIED:
            return d["P"][-1]
        if status == S.REHANDLING:
            return d["rounds"][-1][0]
        if status == S.RATED:
            return d["F"][-1]
        return d["X"]

    def target_window(self) -> tuple[dt.date, dt.date]:
        """Where the anchor day (the last main step) must fall for the life to end in its state today."""
        p, slot = self.p, self.slot
        start, last = self.window
        status = slot.status
        if status == S.DRAFT:
            return last - dt.timedelta(days=25), last
        if status in (S.SUBMITTED, S.ACCEPTED):
            return p.wd(last, -5), last
        if status == S.REJECTED:
            day = self.rng.choice(p.workdays(start + dt.timedelta(days=10), last))
            return day, min(last, day + dt.timedelta(days=10))
        if status in (S.ASSIGNED, S.IN_PROGRESS):
            days = self.assign_days()
            for tier in (Tier.FAST, Tier.SUPERVISED, Tier.IMMEDIATE):
                if days:
                    break
                self.tier = tier  # around long holidays a deadline may not fall where the colour needs it
                days = self.assign_days()
            if not days:
                raise ValueError(f"{self.key}: no assignment day gives {self.slot.colour} as of {p.today}")
            return self.one_of(days)
        if status == S.REPLIED:
            if slot.lapsed:
                return p.today - dt.timedelta(days=45), p.today - dt.timedelta(days=33)
            return p.wd(last, -12), last
        if status == S.REHANDLING:
            return self.one_of(self.rehandling_days())
        if status == S.RATED:
            return p.wd(last, -14), last
        earliest = self.anchor(self.spine(start))
        if earliest > last:
            raise ValueError(f"{self.key}: a {self.tier} suggestion cannot be closed between {start} and {last}")
        return earliest, last

    def one_of(self, candidates: list[dt.date]) -> tuple[dt.date, dt.date]:
        """Aim at one of the days that fit (any other that fits will do)."""
        self.allowed = set(candidates)
        day = self.rng.choice(candidates)
        return day, day

    def assign_days(self) -> list[dt.date]:
        """The assignment days that give the slot's colour today (or any recent day)."""
        p, slot = self.p, self.slot
        colour = slot.colour or "green"
        if slot.status == S.ASSIGNED and colour == "green":
            return p.workdays(p.wd(p.last, -3), p.last)
        candidates = []
        for day in p.workdays(p.today - dt.timedelta(days=200), p.last):
            due = p.deadlines.due_for_tier(self.tier, day)
            accepted = min(p.wd(day, self.gaps.accept), p.last)
            if colour == "red":
                ok = p.today - dt.timedelta(days=40) <= due < p.today
                if slot.extension == "refused":
                    ok = ok and p.wd(due, -3) > accepted and p.wd(due, -1) <= p.last
            elif colour == "yellow":
                ok = p.today <= due <= p.warn_until and accepted < p.last
            elif colour == "yellow_mid":
                ok = midpoint(day, due) <= p.today and due > p.warn_until
            elif colour == "green_progress" and slot.extension == "approved":
                granted = due + dt.timedelta(days=self.gaps.ext_days)
                request = p.wd(due, -3)
                ok = (
                    accepted < request < p.last
                    and granted > p.warn_until
                    and p.colour(granted, midpoint(day, granted), True) == "green"
                )
            elif colour == "green_progress":
                ok = midpoint(day, due) <= p.today and due > p.warn_until and accepted < p.last
            else:
                ok = p.colour(due, midpoint(day, due), False) == "green"
            if ok:
                candidates.append(day)
        return candidates

    def rehandling_days(self) -> list[dt.date]:
        """The days of the unsatisfied rating that give the re-handling round its colour today."""
        p = self.p
        colour = self.slot.colour or "green"
        candidates = []
        for day in p.workdays(p.today - dt.timedelta(days=70), p.last):
            due = p.deadlines.due(Clock.REHANDLING, day)
            mid = midpoint(day, due)
            if colour == "red":
                ok = p.today - dt.timedelta(days=30) <= due < p.today
            elif colour == "yellow_mid":
                ok = mid <= p.today and due > p.warn_until
            else:
                ok = p.colour(due, mid, False) == "green"
            if ok:
                candidates.append(day)
        return candidates

    def plan(self) -> None:
        """Find the submission day that puts the anchor day in its window, within the year."""
        start, last = self.window
        lo, hi = self.target_window()
        submit = lo - dt.timedelta(days=20)
        if self.slot.status == S.CLOSED:
            submit = self.uniform_submission(lo)
            lo = start
        for _ in range(40):
            d = self.spine(submit)
            anchor = self.anchor(d)
            if lo <= anchor <= hi:
                break
            submit += dt.timedelta(days=(lo - anchor).days if anchor < lo else (hi - anchor).days)
        else:
            submit, d = self.scan_for_submission(lo, hi)
        if submit < start:
            raise ValueError(f"{self.key}: the life of a {self.slot.status} suggestion starts before {start}")
        if self.latest_day(d) > last:
            raise ValueError(f"{self.key}: the life of a {self.slot.status} suggestion ends after {last}")
        if self.slot.status == S.DRAFT:
            d["W"] = submit
        elif self.slot.demo_lead and self.rng.random() < 0.4:
            d["W"] = max(start, self.p.wd(submit, -self.rng.randint(1, 3)))
        else:
            d["W"] = submit
        self.days = d

    def uniform_submission(self, earliest_close: dt.date) -> dt.date:
        """A submission day anywhere from the start of the year to the last one that still
        closes by the end, so that closed suggestions spread evenly over the year."""
        start, last = self.window
        latest = start + (last - earliest_close)
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (latest - start).days)))

    def scan_for_submission(self, lo: dt.date, hi: dt.date) -> tuple[dt.date, dict]:
        """The latest submission day whose life puts the anchor in the window (slow, rarely needed)."""
        submit = max(hi, max(self.allowed) if self.allowed else hi)
        while submit >= self.window[0] - dt.timedelta(days=10):
            d = self.spine(submit)
            anchor = self.anchor(d)
            if lo <= anchor <= hi or (self.allowed and anchor in self.allowed):
                return submit, d
            submit -= dt.timedelta(days=1)
        raise ValueError(f"{self.key}: no life ends in {self.slot.status} within {lo}…{hi}")

    def latest_day(self, d: dict) -> dt.date:
        days = [
            value
            for name, value in d.items()
            if name not in ("due", "eff", "commitments") and isinstance(value, dt.date)
        ]
        days += d.get("P", []) + d.get("F", []) + d.get("fulfilled", [])
        return max(days)

    # Steps ------------------------------------------------------------------------------------

    def emit(self, title: str, content: str, co_signers: list[str], opinions: list[str]) -> None:
        p, slot, d, rng = self.p, self.slot, self.days, self.rng
        self.title, self.content = title, content
        self.timeline = Timeline(rng, p.tz)
        self.reviewer = p.staff_key(self.jurisdiction, self.township)
        demo = slot.demo_lead and "deputy" in p.usernames
        self.writer = "deputy" if demo else f"township:{self.township.center.code}"
        self.rater = "deputy" if demo else self.reviewer
        self.handler = f"dept:{self.department}"
        submit = d["S"]
        create = dict(
            title=title,
            content=content,
            category=self.topic["category"],
            lead=self.lead.deputy.code,
            station=self.station.code,
            co_signers=co_signers,
            opinions=opinions,
            jurisdiction=self.jurisdiction,
        )
        if d["W"] < submit or slot.status == S.DRAFT:
            self.add(d["W"], "suggestion_create", self.writer, submit=False, **create)
            if slot.status == S.DRAFT:
                return
            self.submitted_at = self.add(submit, "suggestion_submit", self.writer).at
        else:
            self.submitted_at = self.add(submit, "suggestion_create", self.writer, submit=True, **create).at
        if slot.status == S.SUBMITTED:
            return
        if slot.status == S.REJECTED:
            self.add(d["R"], "suggestion_reject", self.reviewer, reason=rng.choice(p.texts["reject_reasons"]))
            return
        self.add(
            d["R"],
            "suggestion_accept",
            self.reviewer,
            tier=self.tier,
            jurisdiction=self.jurisdiction,
            leader="leader" if self.tier == Tier.SUPERVISED else None,
            note=rng.choice(p.texts["accept_notes"]),
        )
        if slot.status == S.ACCEPTED:
            return
        if slot.returned:
            self.emit_return()
        mode = (
            HandlingMode.JOINT if self.co else weighted(rng, [(HandlingMode.TAKE_AND_DO, 5), (HandlingMode.ON_SITE, 2)])
        )
        self.add(d["A"], "suggestion_assign", self.reviewer, lead=self.department, co=self.co, mode=mode)
        self.emit_first_round()
        if slot.status in (S.ASSIGNED, S.IN_PROGRESS):
            return
        self.emit_replies_and_ratings()

    def add(self, day: dt.date, action: str, actor: str | None, **args) -> Step:
        return self.p.step(self.timeline.at(day), action, self.key, actor, **args)

    def emit_return(self) -> None:
        """The first department returns it as outside its remit; the staff assign it again."""
        p, d, rng = self.p, self.days, self.rng
        wrong = (
            next(dep.name for dep in p.county.departments if dep.name != self.department and "发展和改革局" in dep.name)
            if "发展和改革局" not in self.department
            else p.department_name("财政局")
        )
        self.add(d["A0"], "suggestion_assign", self.reviewer, lead=wrong, co=[], mode=HandlingMode.TAKE_AND_DO)
        reason = p.fill(rng.choice(p.texts["return_reasons"]), {"dept": self.department})
        self.add(d["ret"], "assignment_return", f"dept:{wrong}", department=wrong, reason=reason)

    def emit_first_round(self) -> None:
        """Acceptance, co-handlers, contacts, progress and extensions up to the reply (or today)."""
        p, slot, d, rng = self.p, self.slot, self.days, self.rng
        end = d["P"][0] if d.get("P") else p.last
        events: list[tuple[dt.date, int, str, str | None, dict]] = []
        order = iter(range(1000))
        accepted = d["H"] if slot.status != S.ASSIGNED else None
        if accepted:
            accepted = min(accepted, end)
            events.append((accepted, next(order), "assignment_accept", self.handler, {"department": self.department}))
        for name in self.co:
            co_accept = min(p.wd(d["A"], rng.randint(1, 4)), end)
            if slot.status == S.ASSIGNED or (slot.co == "pending" and rng.random() < 0.4):
                continue
            events.append((co_accept, next(order), "assignment_accept", f"dept:{name}", {"department": name}))
            if slot.co == "pending" and slot.status == S.IN_PROGRESS:
                continue
            latest = end if d.get("P") else p.last
            given = min(p.wd(co_accept, rng.randint(3, 12)), latest)
            text = p.fill(rng.choice(p.texts["co_inputs"]), {"dept": name})
            events.append(
                (given, next(order), "assignment_submit_input", f"dept:{name}", {"department": name, "text": text})
            )
        if accepted:
            events += self.contacts_and_progress(accepted, end, order)
            events += self.extension_events(accepted, order)
        for day, _order, action, actor, args in sorted(events, key=lambda e: (e[0], e[1])):
            self.add(day, action, actor, **args)

    def contacts_and_progress(self, accepted: dt.date, end: dt.date, order) -> list:
        p, slot, rng = self.p, self.slot, self.rng
        events = []
        span = max(0, len(p.workdays(accepted, end)) - 1)
        for number in range(1 if rng.random() < 0.7 else 2):
            day = p.wd(accepted, min(span, rng.randint(0, 3) + number * 5))
            method = ContactMethod.FACE_TO_FACE if rng.random() < 0.6 else ContactMethod.PHONE
            note = p.fill(rng.choice(p.texts["contacts"][method]), self.values)
            events.append(
                (
                    day,
                    next(order),
                    "assignment_log_contact",
                    self.handler,
                    {"department": self.department, "method": method, "note": note},
                )
            )
        if slot.status == S.IN_PROGRESS and slot.colour == "yellow_mid":
            return events
        if self.tier == Tier.SUPERVISED:
            month = accepted
            while True:
                month = p.snap((month.replace(day=1) + dt.timedelta(days=32)).replace(day=1))
                if month >= end:
                    break
                text = p.fill(rng.choice(p.texts["reports"]), {**self.values, "pct": rng.choice((30, 40, 50, 60, 70))})
                events.append(
                    (
                        month,
                        next(order),
                        "assignment_log_progress",
                        self.handler,
                        {"department": self.department, "text": text, "kind": ProgressKind.SUPERVISION_REPORT},
                    )
                )
        count = rng.choice((0, 1, 1, 2)) if self.tier != Tier.IMMEDIATE else rng.choice((0, 1))
        if slot.colour == "green_progress":
            count = max(count, 1)
        for _ in range(count):
            day = p.wd(accepted, rng.randint(1, max(1, span)) if span else 0)
            if slot.colour == "green_progress" and day > p.wd(end, -1) and span:
                day = p.wd(end, -1)
            text = p.fill(rng.choice(p.texts["progress"]), {**self.values, "pct": rng.choice((30, 50, 60, 80))})
            events.append(
                (
                    min(day, end),
                    next(order),
                    "assignment_log_progress",
                    self.handler,
                    {"department": self.department, "text": text, "kind": ProgressKind.PROGRESS},
                )
            )
        return events

    def extension_events(self, accepted: dt.date, order) -> list:
        p, slot, d, rng = self.p, self.slot, self.days, self.rng
        if not slot.extension:
            return []
        reason = rng.choice(p.texts["extension_reasons"])
        args = {"department": self.department}
        if slot.extension == "pending":
            day = max(accepted, p.wd(p.last, -rng.randint(0, 2)))
            return [
                (
                    day,
                    next(order),
                    "extension_request",
                    self.handler,
                    {**args, "days": rng.randint(15, 30), "reason": reason},
                )
            ]
        request = max(accepted, p.wd(d["due"], -rng.randint(3, 5)))
        decided = min(p.wd(request, rng.randint(1, 2)), p.last)
        approve = slot.extension == "approved"
        note = rng.choice(p.texts["extension_approvals" if approve else "extension_refusals"])
        return [
            (
                request,
                next(order),
                "extension_request",
                self.handler,
                {**args, "days": self.gaps.ext_days if approve else rng.randint(15, 30), "reason": reason},
            ),
            (decided, next(order), "extension_decide", self.reviewer, {**args, "approve": approve, "note": note}),
        ]

    def reply_text(self, result: str, commitments: list[dt.date], rehandled: bool) -> str:
        p, rng = self.p, self.rng
        reply_year = self.values["year"]
        values = {
            **self.values,
            "year": reply_year + 1
            if result == "B" and commitments and commitments[0].year > reply_year
            else reply_year,
        }
        phrases = {name: p.fill(self.topic[name], values) for name in ("action", "plan", "limit")}
        due = max(commitments) if commitments else None
        text = p.fill(
            rng.choice(p.texts["replies"][result]),
            {
                **values,
                **phrases,
                "deputy": self.lead.deputy.name,
                "dept": self.department,
                "due": f"{due.year}年{due.month}月" if due else "",
            },
        )
        return p.texts["rehandled"] + text if rehandled else text

    def emit_replies_and_ratings(self) -> None:
        """Replies, ratings (unsatisfied ones open a new round), commitments, publishing, closing."""
        p, slot, d, rng = self.p, self.slot, self.days, self.rng
        args = {"department": self.department}
        for number, reply in enumerate(d["P"]):
            final = number == len(d["P"]) - 1
            result = self.result if final and slot.status != S.REHANDLING else rng.choice(("C", "D"))
            commitments = []
            if result == "B":
                commitments = d.get("commitments") or [reply + dt.timedelta(days=n) for n in self.gaps.commit_days]
            promises = [self.topic["commitment"], *p.texts["further_commitments"]]
            pairs = [(p.fill(promise, self.values), due) for promise, due in zip(promises, commitments, strict=False)]
            self.add(
                reply,
                "assignment_reply",
                self.handler,
                result=result,
                **args,
                content=self.reply_text(result, commitments, number > 0),
                commitments=pairs,
            )
            if final:
                break
            rated, _due = d["rounds"][number]
            comment = rng.choice(p.texts["ratings"]["unsatisfied"])
            self.add(rated, "feedback_rate", self.rater, rating="unsatisfied", comment=comment)
            round_end = d["P"][number + 1] if number + 1 < len(d["P"]) else p.last
            self.emit_rehandling(rated, round_end)
        if slot.status == S.REHANDLING:
            rated, _due = d["rounds"][-1]
            self.add(
                rated,
                "feedback_rate",
                self.rater,
                rating="unsatisfied",
                comment=rng.choice(p.texts["ratings"]["unsatisfied"]),
            )
            self.emit_rehandling(rated, p.last)
            return
        if slot.status == S.REPLIED:
            return
        self.emit_closing()

    def emit_rehandling(self, rated: dt.date, end: dt.date) -> None:
        """Progress in a re-handling round (none for a round that must look stalled)."""
        p, slot, rng = self.p, self.slot, self.rng
        if slot.status == S.REHANDLING and slot.colour == "yellow_mid" and end == p.last:
            return
        for _ in range(rng.choice((1, 1, 2))):
            day = p.wd(rated, rng.randint(1, 6))
            if day >= end:
                continue
            text = p.fill(rng.choice(p.texts["progress"]), {**self.values, "pct": rng.choice((40, 60, 80))})
            self.add(
                day,
                "assignment_log_progress",
                self.handler,
                department=self.department,
                text=text,
                kind=ProgressKind.PROGRESS,
            )

    def emit_closing(self) -> None:
        p, slot, d, rng = self.p, self.slot, self.days, self.rng
        if not slot.unrated:
            rating = weighted(rng, [("satisfied", 75), ("basically", 25)])
            self.add(
                d["F"][-1], "feedback_rate", self.rater, rating=rating, comment=rng.choice(p.texts["ratings"][rating])
            )
        if slot.group:
            self.emit_joined_companion()
        if slot.status == S.RATED:
            if slot.published:
                self.add(d["F"][-1], "suggestion_publish_reply", self.reviewer)
            return
        for index, day in enumerate(d.get("fulfilled", [])):
            self.add(day, "commitment_fulfil", self.handler, index=index, note=rng.choice(p.texts["fulfilments"]))
        if slot.published or rng.random() < 0.3:
            self.add(d["X"], "suggestion_publish_reply", self.reviewer)
        note = p.texts["close_notes"]["unrated"] if slot.unrated else ""
        self.add(d["X"], "suggestion_close", self.reviewer, note=note)

    def emit_joined_companion(self) -> None:
        """A second deputy's suggestion on the same matter, joined to this one and rated with it."""
        p, d, rng = self.p, self.days, self.rng
        key = f"{self.key}-j"
        level = Level.COUNTY if self.jurisdiction == Jurisdiction.COUNTY else Level.TOWNSHIP
        persons = [
            x for x in self.township.persons if x is not self.lead and x is not p.demo_person and level in x.levels
        ]
        lead = rng.choice(persons or self.township.persons)
        timeline = Timeline(rng, p.tz)
        submit = p.wd(d["S"], 1)
        steps = [
            (
                submit,
                "suggestion_create",
                f"township:{self.township.center.code}",
                {
                    "title": self.title.replace("关于", "关于尽快", 1),
                    "content": self.content,
                    "category": self.topic["category"],
                    "lead": lead.deputy.code,
                    "station": self.station.code,
                    "co_signers": [],
                    "opinions": [],
                    "jurisdiction": self.jurisdiction,
                    "submit": True,
                },
            ),
            (p.wd(submit, 1), "suggestion_join", self.reviewer, {"primary": self.key}),
            (
                d["FJ"],
                "feedback_rate",
                self.reviewer,
                {"rating": "satisfied", "comment": rng.choice(p.texts["ratings"]["satisfied"])},
            ),
        ]
        first = None
        for day, action, actor, args in steps:
            step = p.step(timeline.at(day), action, key, actor, **args)
            first = first or step
        p.suggestions.append(
            SuggestionPlan(
                key,
                steps[0][3]["title"],
                S.CLOSED,
                "",
                self.jurisdiction,
                lead.deputy.code,
                self.township.center.code,
                first.at,
            )
        )


def plan_lifecycle(ctx: DemoContext, today: dt.date) -> LifecyclePlan:
    """Everything the lifecycle will do, without the database (see the module's docstring)."""
    with warnings_once("liaison.workdays"):
        return Planner(ctx, today).build()


class OnceFilter(logging.Filter):
    """Lets each distinct message through once."""

    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message in self.seen:
            return False
        self.seen.add(message)
        return True


@contextlib.contextmanager
def warnings_once(logger_name: str):
    """Within the block, a logger repeats no message (the calendar warns about next year's
    holidays once per calendar object, and the demo makes thousands of them)."""
    logger, once = logging.getLogger(logger_name), OnceFilter()
    logger.addFilter(once)
    try:
        yield
    finally:
        logger.removeFilter(once)


# ---------------------------------------------------------------------------------------------
# Running the plan
# ---------------------------------------------------------------------------------------------


@dataclass
class LifecycleResult:
    opinions: Counter
    suggestions: Counter
    earlier: int
    events: int
    seconds: float


class Runner:
    """Performs the plan's steps through the workflow, each on its own day."""

    def __init__(self, plan: LifecyclePlan):
        self.plan = plan
        self.users: dict[str, object] = {}
        self.opinions: dict[str, Opinion] = {}
        self.suggestions: dict[str, Suggestion] = {}
        self.stations: dict[str, Station] = {}
        self.deputies: dict = {}
        self.departments = {d.name: d for d in Department.objects.all()}
        self.categories = {c.name: c for c in Category.objects.all()}
        self.results = {r.code: r for r in ResultClass.objects.all()}
        self.first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # Accounts and references ------------------------------------------------------------------

    def create_accounts(self) -> None:
        """Create the planned accounts (a taken username gets a suffix) and resolve every key."""
        User = get_user_model()
        demo_hash = User.objects.filter(username__in=DEMO_USERNAMES).values_list("password", flat=True).first()
        password = demo_hash or make_password(DEMO_PASSWORD)
        taken = set(
            User.objects.filter(username__in=[a.username for a in self.plan.accounts]).values_list(
                "username", flat=True
            )
        )
        chosen = {}
        for account in self.plan.accounts:
            username, number = account.username, 1
            while username in taken:
                number += 1
                username = f"{account.username}-{number}"
            chosen[account.key] = username
        User.objects.bulk_create(
            [
                User(
                    username=chosen[a.key],
                    last_name=a.last_name,
                    first_name=a.first_name,
                    password=password,
                    is_staff=bool(a.role),
                )
                for a in self.plan.accounts
            ]
        )
        by_username = User.objects.in_bulk(list(chosen.values()), field_name="username")
        created = {key: by_username[username] for key, username in chosen.items()}
        centers = {s.code: s for s in Station.objects.filter(kind=StationKind.CENTER)}
        profiles, contacts = [], []
        for account in self.plan.accounts:
            user = created[account.key]
            if account.role:
                profiles.append(
                    StaffProfile(
                        user=user,
                        role=account.role,
                        township=centers.get(account.township),
                        title=account.title,
                        phone=account.phone,
                        is_leader=account.is_leader,
                    )
                )
            if account.department:
                contacts.append(
                    Department.contact_users.through(department=self.departments[account.department], user=user)
                )
        StaffProfile.objects.bulk_create(profiles)
        Department.contact_users.through.objects.bulk_create(contacts)
        existing = {u.username: u for u in User.objects.filter(username__in=self.plan.usernames.values())}
        for key, username in self.plan.usernames.items():
            self.users[key] = created.get(key) or existing[username]

    def load_references(self) -> None:
        from deputies.models import Deputy

        codes, deputies = set(), set()
        for step in self.plan.steps:
            if "station" in step.args:
                codes.add(step.args["station"])
            deputies.update(step.args.get("deputies", ()))
            deputies.update(step.args.get("co_signers", ()))
            if "lead" in step.args and step.action == "suggestion_create":
                deputies.add(step.args["lead"])
        self.stations = {s.code: s for s in Station.objects.filter(code__in=codes)}
        self.deputies = {d.code: d for d in Deputy.objects.filter(code__in=deputies)}

    def user(self, key: str | None):
        return self.users[key] if key else None

    # Lookups ----------------------------------------------------------------------------------

    def open_assignment(self, suggestion: Suggestion, department: str) -> Assignment:
        return Assignment.objects.get(
            suggestion=suggestion, department=self.departments[department], status__in=OPEN_ASSIGNMENT_STATUSES
        )

    # Steps ------------------------------------------------------------------------------------

    def run(self) -> None:
        for step in self.plan.ordered_steps():
            with clock.frozen(step.at):
                try:
                    getattr(self, step.action)(step, **step.args)
                except workflow.WorkflowError as error:
                    raise RuntimeError(f"{step.action} {step.key} at {step.at:%Y-%m-%d %H:%M}: {error}") from error
        self.mark_old_notifications_read()

    def mark_old_notifications_read(self) -> None:
        """Messages of more than two weeks ago count as read, as they would in a used system."""
        cutoff = dt.datetime.combine(self.plan.today - dt.timedelta(days=14), dt.time(), tzinfo=dt.UTC)
        Notification.objects.filter(pk__gt=self.first_notification, created_at__lt=cutoff).update(
            read_at=F("created_at") + dt.timedelta(hours=2)
        )

    def opinion_create(self, step, *, content, channel, station, category, place, deputies, voter_name, voter_phone):
        self.opinions[step.key] = workflow.opinion_create(
            content=content,
            channel=channel,
            station=self.stations[station],
            actor=self.user(step.actor),
            category=self.categories.get(category),
            place=place,
            deputies=[self.deputies[c] for c in deputies],
            voter_name=voter_name,
            voter_phone=voter_phone,
            received_on=clock.today(),
        )

    def opinion_accept(self, step):
        self.opinions[step.key] = workflow.opinion_accept(opinion=self.opinions[step.key], actor=self.user(step.actor))

    def opinion_answer(self, step, *, answer):
        self.opinions[step.key] = workflow.opinion_answer(
            opinion=self.opinions[step.key], actor=self.user(step.actor), answer=answer
        )

    def opinion_decline(self, step, *, reason):
        self.opinions[step.key] = workflow.opinion_decline(
            opinion=self.opinions[step.key], actor=self.user(step.actor), reason=reason
        )

    def suggestion_create(
        self, step, *, title, content, category, lead, station, co_signers, opinions, jurisdiction, submit
    ):
        self.suggestions[step.key] = workflow.suggestion_create(
            actor=self.user(step.actor),
            lead_deputy=self.deputies[lead],
            title=title,
            content=content,
            category=self.categories[category],
            station=self.stations[station],
            co_signers=[self.deputies[c] for c in co_signers],
            opinions=[self.opinions[k] for k in opinions],
            jurisdiction=jurisdiction,
            submit=submit,
        )

    def suggestion_submit(self, step):
        self.suggestions[step.key] = workflow.suggestion_submit(
            suggestion=self.suggestions[step.key], actor=self.user(step.actor)
        )

    def suggestion_accept(self, step, *, tier, jurisdiction, leader, note):
        workflow.suggestion_accept(
            suggestion=self.suggestions[step.key],
            actor=self.user(step.actor),
            tier=tier,
            jurisdiction=jurisdiction,
            supervising_leader=self.user(leader),
            note=note,
        )

    def suggestion_reject(self, step, *, reason):
        workflow.suggestion_reject(suggestion=self.suggestions[step.key], actor=self.user(step.actor), reason=reason)

    def suggestion_join(self, step, *, primary):
        workflow.suggestion_join(
            suggestion=self.suggestions[step.key], primary=self.suggestions[primary], actor=self.user(step.actor)
        )

    def suggestion_assign(self, step, *, lead, co, mode):
        workflow.suggestion_assign(
            suggestion=self.suggestions[step.key],
            actor=self.user(step.actor),
            lead=self.departments[lead],
            co_handlers=[self.departments[n] for n in co],
            mode=mode,
        )

    def assignment_accept(self, step, *, department):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        workflow.assignment_accept(assignment=assignment, actor=self.user(step.actor))

    def assignment_return(self, step, *, department, reason):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        workflow.assignment_return(assignment=assignment, actor=self.user(step.actor), reason=reason)

    def assignment_log_contact(self, step, *, department, method, note):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        workflow.assignment_log_contact(
            assignment=assignment, actor=self.user(step.actor), contacted_on=clock.today(), method=method, note=note
        )

    def assignment_log_progress(self, step, *, department, text, kind):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        workflow.assignment_log_progress(assignment=assignment, actor=self.user(step.actor), text=text, kind=kind)

    def assignment_submit_input(self, step, *, department, text):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        workflow.assignment_submit_input(assignment=assignment, actor=self.user(step.actor), text=text)

    def assignment_reply(self, step, *, department, result, content, commitments):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        workflow.assignment_reply(
            assignment=assignment,
            actor=self.user(step.actor),
            result_class=self.results[result],
            content=content,
            commitments=commitments,
        )

    def extension_request(self, step, *, department, days, reason):
        suggestion = self.suggestions[step.key]
        assignment = self.open_assignment(suggestion, department)
        cap = workflow.extension_cap(Suggestion.objects.get(pk=suggestion.pk), assignment)
        requested = min(assignment.due_on + dt.timedelta(days=days), cap)
        workflow.extension_request(
            assignment=assignment, actor=self.user(step.actor), requested_due_on=requested, reason=reason
        )

    def extension_decide(self, step, *, department, approve, note):
        assignment = self.open_assignment(self.suggestions[step.key], department)
        request = assignment.extension_requests.get(status=ExtensionStatus.PENDING)
        workflow.extension_decide(request=request, actor=self.user(step.actor), approve=approve, note=note)

    def commitment_fulfil(self, step, *, index, note):
        commitment = Commitment.objects.filter(suggestion=self.suggestions[step.key]).order_by("pk")[index]
        workflow.commitment_fulfil(commitment=commitment, actor=self.user(step.actor), note=note)

    def feedback_rate(self, step, *, rating, comment):
        workflow.feedback_rate(
            suggestion=self.suggestions[step.key], actor=self.user(step.actor), rating=rating, comment=comment
        )

    def suggestion_publish_reply(self, step):
        workflow.suggestion_publish_reply(suggestion=self.suggestions[step.key], actor=self.user(step.actor))

    def suggestion_close(self, step, *, note):
        workflow.suggestion_close(suggestion=self.suggestions[step.key], actor=self.user(step.actor), note=note)


def run_lifecycle(plan: LifecyclePlan) -> LifecycleResult:
    """Create the accounts and walk every step through the workflow, in one transaction.

    The demo's history sends no e-mail or SMS: only the in-app messages are kept, dated on the
    day of their step, and those older than two weeks marked read.
    """
    started = time.monotonic()
    with inbox_only(), warnings_once("liaison.workdays"), transaction.atomic():
        runner = Runner(plan)
        runner.create_accounts()
        runner.load_references()
        runner.run()
    start = dt.datetime.combine(plan.start, dt.time(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return LifecycleResult(
        opinions=Counter(Opinion.objects.values_list("status", flat=True)),
        suggestions=Counter(Suggestion.objects.exclude(submitted_at__lt=start).values_list("status", flat=True)),
        earlier=Suggestion.objects.filter(submitted_at__lt=start).count(),
        events=SuggestionEvent.objects.count(),
        seconds=time.monotonic() - started,
    )
