"""The demo county: a fictional county's liaison network, modelled on Yunan county's figures.

Two steps:

- :func:`build_demo` makes every row as an unsaved model instance, without touching the
  database. It runs in parts (:data:`PARTS`): the station network, departments, deputies,
  their stationing, their work units, the special stations' members, mandates, groups,
  standards assessments and demo accounts. Each part takes the :class:`DemoContext`, reads
  what earlier parts made from it, records the rows it makes with :meth:`DemoContext.add`
  and returns them.
- :func:`save_demo` bulk-inserts the rows in dependency order (:data:`SAVE_ORDER`), rebuilds
  the station tree and derives every station's township, in one transaction.

Each part draws from its own random generator, seeded from the seed and the part's name, so a
seed gives the same names, codes and phones on every run and on every database, and a part
added later leaves the data of the earlier parts unchanged. Nothing random depends on set
order or on database ids. Reference lists are in ``fixtures/demo/*.json``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from deputies.models import AssignmentRole, Deputy, DeputyGroup, Gender, GroupKind, Level, Mandate, StationAssignment
from liaison.models import Role, StaffProfile
from liaison.textnorm import chinese_number
from stations.models import (
    ReceptionFrequency,
    StandardChecklist,
    StandardItem,
    Station,
    StationAssessment,
    StationKind,
)
from suggestions.models import Department, DepartmentLevel

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
SCALES = ("county", "city")
DEFAULT_SEED = 2026
DEMO_PASSWORD = "demo1234"
DEMO_USERNAMES = ("admin", "county", "township", "liaison", "deputy", "department")

# Persons by the levels they hold, in the order they are generated.
COMBOS = ("province", "province+city", "city", "city+county", "county", "county+township", "township")
TERMS = {Level.PROVINCE: "第十四届", Level.CITY: "第七届", Level.COUNTY: "第十八届", Level.TOWNSHIP: "第十九届"}
DEPUTIES_PER_CONSTITUENCY = 3


@cache
def reference(name: str) -> dict:
    """One of the JSON files in ``fixtures/demo``."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# Specifications: how big each county is
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TownshipSpec:
    name: str
    size: float = 1.0
    seat: bool = False
    border: str = ""
    uncovered: int = 0

    @property
    def is_street(self) -> bool:
        return self.name.endswith("街道")

    @property
    def stem(self) -> str:
        return self.name.removesuffix("街道").removesuffix("镇")


@dataclass(frozen=True)
class CountySpec:
    name: str
    code: str
    city: str
    province: str
    phone_area: str
    phone_lead: str
    hub_address: str
    townships: tuple[TownshipSpec, ...]
    counts: dict[str, int]
    deputies: dict[str, int]
    industry: tuple[tuple[str, str], ...] = ()

    @property
    def short(self) -> str:
        return self.name[:-1]


def base_county_spec() -> CountySpec:
    """南江县, with Yunan county's figures (``fixtures/demo/county.json``)."""
    data = reference("county")
    return CountySpec(
        name=data["name"],
        code=data["code"],
        city=data["city"],
        province=data["province"],
        phone_area=data["phone_area"],
        phone_lead=data["phone_lead"],
        hub_address=data["hub_address"],
        townships=tuple(TownshipSpec(**township) for township in data["townships"]),
        counts=dict(data["counts"]),
        deputies={combo: data["deputies"][combo] for combo in COMBOS},
        industry=tuple((item["name"], item["township"]) for item in data["industry"]),
    )


def county_specs(scale: str, rng: random.Random) -> list[CountySpec]:
    """The counties to build: 南江县 alone, or with the other counties of its city."""
    if scale not in SCALES:
        raise ValueError(scale)
    base = base_county_spec()
    if scale == "county":
        return [base]
    taken = {township.stem for township in base.townships}
    return [base] + [scaled_county_spec(base, entry, rng, taken) for entry in reference("city")["counties"]]


def scaled_county_spec(base: CountySpec, entry: dict, rng: random.Random, taken_stems: set[str]) -> CountySpec:
    """Another county of the city, sized ``entry["size"]`` times 南江县, with generated townships."""
    size = entry["size"]
    townships = generated_townships(round(len(base.townships) * size), entry["streets"], rng, taken_stems)
    if entry.get("border"):
        index = rng.randrange(1, len(townships))
        townships[index] = TownshipSpec(townships[index].name, townships[index].size, border=entry["border"])
    for index in rng.sample(range(1, len(townships)), 2):
        old = townships[index]
        townships[index] = TownshipSpec(old.name, old.size, border=old.border, uncovered=rng.randint(1, 2))
    name = entry["name"]
    seat = townships[0]
    street = rng.choice(reference("places")["streets"])
    return CountySpec(
        name=name,
        code=entry["code"],
        city=base.city,
        province=base.province,
        phone_area=base.phone_area,
        phone_lead=entry["phone_lead"],
        hub_address=f"{name}{seat.name}{street}{rng.randint(1, 99)}号{name[-1]}人大常委会",
        townships=tuple(townships),
        counts={kind: round(count * size) if kind != "studio" else count for kind, count in base.counts.items()},
        deputies={combo: round(count * size * entry["deputies"]) for combo, count in base.deputies.items()},
        industry=((f"{name}工业园区行业人大代表联络站", seat.name),),
    )


def generated_townships(count: int, streets: int, rng: random.Random, taken_stems: set[str]) -> list[TownshipSpec]:
    """``count`` township names, the first ``streets`` of them 街道, the first one the seat."""
    places = reference("places")
    townships = []
    while len(townships) < count:
        stem = rng.choice(places["township_first"]) + rng.choice(places["township_second"])
        if stem in taken_stems or stem[0] == stem[1]:
            continue
        taken_stems.add(stem)
        suffix = "街道" if len(townships) < streets else "镇"
        townships.append(TownshipSpec(stem + suffix, round(rng.uniform(0.7, 1.4), 2), seat=not townships))
    return townships


# ---------------------------------------------------------------------------------------------
# The context and the plan objects the parts share
# ---------------------------------------------------------------------------------------------


@dataclass
class Village:
    """An administrative village (村) or community (社区) and its village station."""

    name: str
    station: Station

    @property
    def is_community(self) -> bool:
        return self.name.endswith("社区")


@dataclass
class Area:
    name: str
    station: Station
    villages: list[Village]


@dataclass
class Township:
    spec: TownshipSpec
    center: Station
    areas: list[Area] = field(default_factory=list)
    uncovered_villages: list[str] = field(default_factory=list)
    specials: list[Station] = field(default_factory=list)
    department: Department | None = None
    persons: list[Person] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def villages(self) -> list[Village]:
        return [village for area in self.areas for village in area.villages]


@dataclass
class County:
    spec: CountySpec
    hub: Station
    townships: list[Township] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass
class Person:
    """A deputy being built, with what the later parts need to know about them."""

    deputy: Deputy
    surname: str
    levels: tuple[str, ...]
    township: Township | None
    county: County
    assignments: list[StationAssignment] = field(default_factory=list)
    village: Village | None = None
    master_of: str = ""

    @property
    def tier(self) -> str:
        """Which list of work units fits: ``senior`` (province, city), ``county`` or ``township``."""
        if Level.PROVINCE in self.levels or Level.CITY in self.levels:
            return "senior"
        return "county" if Level.COUNTY in self.levels else "township"

    def assignment_at(self, station: Station) -> StationAssignment | None:
        return next((row for row in self.assignments if row.station is station), None)


@dataclass
class DemoContext:
    """The seed, what the parts made so far, and the rows waiting to be saved."""

    seed: int = DEFAULT_SEED
    scale: str = "county"
    today: datetime.date = field(default_factory=datetime.date.today)
    taken_usernames: frozenset[str] = frozenset()
    counties: list[County] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    accounts: dict[str, object] = field(default_factory=dict)
    rows: dict[type, list] = field(default_factory=dict)
    used_phones: set[str] = field(default_factory=set)

    def rng(self, part: str) -> random.Random:
        """The random generator of one part (a string seed hashes the same in every process).

        The scale is not part of it: 南江县 comes first in both scales and so comes out the same.
        """
        return random.Random(f"{self.seed}:{part}")

    def add(self, *objects) -> list:
        """Record rows to save; returns them."""
        for obj in objects:
            self.rows.setdefault(type(obj), []).append(obj)
        return list(objects)

    def all(self, model) -> list:
        return list(self.rows.get(model, []))

    @property
    def townships(self) -> list[Township]:
        return [township for county in self.counties for township in county.townships]

    def unique_phone(self, rng: random.Random, make) -> str:
        while True:
            phone = make(rng)
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def mobile(self, rng: random.Random) -> str:
        prefixes = reference("names")["mobile_prefixes"].split()
        return self.unique_phone(rng, lambda r: r.choice(prefixes) + f"{r.randrange(10**8):08d}")

    def landline(self, rng: random.Random, county: County) -> str:
        spec = county.spec
        return self.unique_phone(rng, lambda r: f"{spec.phone_area}{spec.phone_lead}{r.randrange(10**6):06d}")


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def spread(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainders), each ≥ ``minimum``."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"cannot give {minimum} each of {total} to {len(weights)}")
    quotas = [rest * weight / sum(weights) for weight in weights]
    counts = [int(quota) for quota in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + count for count in counts]


def weighted(rng: random.Random, pairs) -> str:
    """Pick the first element of one of ``pairs`` ([value, weight]) by weight."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def chunks(items: list, sizes: list[int]) -> list[list]:
    result, start = [], 0
    for size in sizes:
        result.append(items[start : start + size])
        start += size
    return result


def person_name(rng: random.Random, gender: str) -> tuple[str, str]:
    """A Chinese (surname, given name): common surnames by frequency, one or two given characters."""
    names = reference("names")
    surname = weighted(rng, names["surnames"])
    chars = names["given"][gender]
    if rng.random() < names["single_given_share"]:
        return surname, rng.choice(chars)
    return surname, "".join(rng.sample(chars, 2))


def place_name(rng: random.Random, taken: set[str]) -> str:
    """A two-character place stem (石岗, 龙湾) not in ``taken``."""
    places = reference("places")
    while True:
        stem = rng.choice(places["place_first"]) + rng.choice(places["place_second"])
        if stem not in taken and stem[0] != stem[1]:
            taken.add(stem)
            return stem


def firm_name(rng: random.Random, county: County) -> str:
    places = reference("places")
    return f"{county.spec.short}{rng.choice(places['firm_words'])}{rng.choice(places['firm_trades'])}有限公司"


def coop_name(rng: random.Random, village: str) -> str:
    crop = rng.choice(reference("places")["crops"])
    return f"{village}{crop}{'养殖' if crop == '生猪' else '种植'}专业合作社"


def reception(rng: random.Random, kind: str) -> dict:
    """A reception schedule: centers and studios weekly, points by appointment, the rest monthly."""
    if kind == StationKind.POINT:
        return {"reception_frequency": ReceptionFrequency.NONE}
    if kind in (StationKind.CENTER, StationKind.STUDIO):
        start, end = rng.choice([((9, 0), (11, 30)), ((14, 30), (17, 30))])
        return {
            "reception_frequency": ReceptionFrequency.WEEKLY,
            "reception_day": rng.choice([1, 3, 5]),
            "reception_start": datetime.time(*start),
            "reception_end": datetime.time(*end),
        }
    schedule = {
        "reception_frequency": ReceptionFrequency.MONTHLY,
        "reception_day": 15 if rng.random() < 0.85 else rng.choice([5, 10, 20, 25]),
        "reception_start": datetime.time(9, 0),
        "reception_end": datetime.time(12, 0),
    }
    if kind == StationKind.VILLAGE and rng.random() < 0.08:
        schedule.update(reception_start=datetime.time(19, 30), reception_end=datetime.time(21, 0))
        schedule["reception_note"] = "夜间接待，方便务工群众"
    return schedule


def new_station(rng: random.Random, *, code: str, name: str, kind: str, parent: Station | None, **fields) -> Station:
    """An unsaved station with mptt placeholders (``level`` is the depth, used to insert parents first)."""
    level = parent.level + 1 if parent is not None else 0
    return Station(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        lft=0,
        rght=0,
        tree_id=0,
        level=level,
        **reception(rng, kind),
        **fields,
    )


# ---------------------------------------------------------------------------------------------
# Part: the station network
# ---------------------------------------------------------------------------------------------


def build_network(ctx: DemoContext) -> list[Station]:
    """Hub, township centers, area and village stations, points and special stations per county."""
    rng = ctx.rng("network")
    made = []
    for spec in county_specs(ctx.scale, ctx.rng("specs")):
        hub = new_station(
            rng,
            code=spec.code,
            name=f"{spec.name}人大代表联络总站",
            kind=StationKind.COUNTY_HUB,
            parent=None,
            address=spec.hub_address,
            reception_note="县人大常委会领导轮流接待",
        )
        county = County(spec=spec, hub=hub)
        hub.phone = ctx.landline(rng, county)
        ctx.counties.append(county)
        made += ctx.add(hub)
        made += build_townships(ctx, rng, county)
        made += build_points(ctx, rng, county)
        made += build_special_stations(ctx, rng, county)
    return made


def build_townships(ctx: DemoContext, rng: random.Random, county: County) -> list[Station]:
    """Each township's center, its area stations and village stations, and its village count."""
    spec = county.spec
    sizes = [township.size for township in spec.townships]
    areas = spread(spec.counts["area"], sizes, minimum=2)
    villages = [max(count, need) for count, need in zip(spread(spec.counts["village"], sizes), areas, strict=True)]
    taken_places = {township.stem for township in spec.townships}
    made = []
    for index, township_spec in enumerate(spec.townships):
        center = new_station(
            rng,
            code=f"{spec.code}{index + 1:02d}",
            name=township_spec.name + ("人大代表之家" if township_spec.is_street else "人大代表中心联络站"),
            kind=StationKind.CENTER,
            parent=county.hub,
            address=f"{spec.name}{township_spec.name}{rng.choice(reference('places')['streets'])}"
            f"{rng.randint(1, 120)}号{'街道办事处' if township_spec.is_street else '镇人民政府'}大院",
        )
        center.phone = ctx.landline(rng, county)
        township = Township(spec=township_spec, center=center)
        county.townships.append(township)
        made += ctx.add(center)
        names = village_names(rng, township_spec, villages[index] + township_spec.uncovered, taken_places)
        township.uncovered_villages = names[villages[index] :]
        made += build_areas(ctx, rng, county, township, names[: villages[index]], areas[index])
        center.village_count = len(names)
    return made


def village_names(rng: random.Random, spec: TownshipSpec, count: int, taken: set[str]) -> list[str]:
    """Village and community names: all 社区 in a 街道, a 社区 at the seat of a 镇, the rest 村."""
    names = []
    for index in range(count):
        if spec.is_street:
            names.append(place_name(rng, taken) + "社区")
        elif index == 0:
            names.append(spec.stem + "社区")
        else:
            names.append(place_name(rng, taken) + "村")
    return names


def build_areas(
    ctx: DemoContext, rng: random.Random, county: County, township: Township, names: list[str], count: int
) -> list[Station]:
    """``count`` area stations sharing the township's village stations; each named after its first village."""
    spec = county.spec
    sizes = spread(len(names), [rng.uniform(0.7, 1.3) for _ in range(count)], minimum=1)
    made = []
    for index, group in enumerate(chunks(names, sizes)):
        area_name = group[0][: -2 if group[0].endswith("社区") else -1] + "片区"
        station = new_station(
            rng,
            code=f"{township.center.code}-{index + 1:02d}",
            name=f"{township.name}{area_name}人大代表联络站",
            kind=StationKind.AREA,
            parent=township.center,
            address=f"{spec.name}{township.name}{group[0]}党群服务中心",
            phone=ctx.landline(rng, county),
        )
        area = Area(name=area_name, station=station, villages=[])
        township.areas.append(area)
        made += ctx.add(station)
        for number, village in enumerate(group, start=1):
            office = "居委会" if village.endswith("社区") else "村委会"
            village_station = new_station(
                rng,
                code=f"{station.code}-{number:02d}",
                name=f"{township.name}{village}人大代表联络站",
                kind=StationKind.VILLAGE,
                parent=station,
                address=f"{spec.name}{township.name}{village}{office}",
                phone=ctx.landline(rng, county),
            )
            area.villages.append(Village(name=village, station=village_station))
            made += ctx.add(village_station)
    return made


def build_points(ctx: DemoContext, rng: random.Random, county: County) -> list[Station]:
    """Liaison points at schools, clinics, firms, markets, under village stations (mostly) and area stations."""
    counts = spread(county.spec.counts["point"], [township.spec.size for township in county.townships], minimum=1)
    made = []
    for township, count in zip(county.townships, counts, strict=True):
        parents = [(area.station, area.villages[0], len(area.villages)) for area in township.areas]
        parents += [(village.station, village, 0) for village in township.villages]
        weights = [1] * len(township.areas) + [3] * len(township.villages)
        per_parent = [0] * len(parents)
        for _ in range(count):
            per_parent[rng.choices(range(len(parents)), weights=weights)[0]] += 1
        extra = list(reference("places")["seat_points"]) if township.spec.seat else []
        taken: set[str] = set()
        for (parent, village, siblings), number in zip(parents, per_parent, strict=True):
            for offset in range(1, number + 1):
                name = extra.pop(0).format(county=county.name) if extra else point_name(rng, county, township, village)
                if name in taken:
                    name = point_name(rng, county, township, village)
                taken.add(name)
                station = new_station(
                    rng,
                    code=f"{parent.code}-{siblings + offset:02d}",
                    name=f"{name}人大代表联络点",
                    kind=StationKind.POINT,
                    parent=parent,
                    address=f"{county.name}{township.name}{village.name}",
                    phone=ctx.landline(rng, county) if rng.random() < 0.7 else "",
                )
                made += ctx.add(station)
    return made


def point_name(rng: random.Random, county: County, township: Township, village: Village) -> str:
    kinds = reference("places")["point_kinds"]
    kind = rng.choices(kinds, weights=[kind["weight"] for kind in kinds])[0]
    template = rng.choice(kind["names"])
    return template.format(
        township=township.name,
        village=village.name,
        firm=firm_name(rng, county),
        coop=coop_name(rng, village.name),
    )


def build_special_stations(ctx: DemoContext, rng: random.Random, county: County) -> list[Station]:
    """Deputy studios (named after their master later), the cross-border and the industry stations."""
    spec = county.spec
    by_name = {township.name: township for township in county.townships}
    studio_townships = [county.townships[0], *rng.sample(county.townships[1:], spec.counts["studio"] - 1)]
    specials = [(township, StationKind.STUDIO, "GZ", f"{township.name}人大代表工作室") for township in studio_townships]
    specials += [
        (township, StationKind.CROSS_BORDER, "SJ", f"{township.spec.border}{township.spec.stem}省际人大代表联络站")
        for township in county.townships
        if township.spec.border
    ]
    specials += [(by_name[township], StationKind.INDUSTRY, "HY", name) for name, township in spec.industry]
    made = []
    for township, kind, prefix, name in specials:
        number = sum(1 for station in township.specials if station.kind == kind) + 1
        station = new_station(
            rng,
            code=f"{township.center.code}-{prefix}{number:02d}",
            name=name,
            kind=kind,
            parent=township.center,
            address=township.center.address,
            phone=ctx.landline(rng, county),
        )
        township.specials.append(station)
        made += ctx.add(station)
    return made


# ---------------------------------------------------------------------------------------------
# Part: departments
# ---------------------------------------------------------------------------------------------


def build_departments(ctx: DemoContext) -> list[Department]:
    """The county's departments and one government (人民政府 / 街道办事处) per township."""
    rng = ctx.rng("departments")
    made = []
    for county in ctx.counties:
        spec = county.spec
        for template in reference("departments")["county"]:
            name = template.format(county=spec.name, city=spec.city, short=spec.short)
            department = Department(name=name, level=DepartmentLevel.COUNTY, phone=ctx.landline(rng, county))
            county.departments.append(department)
            made += ctx.add(department)
        for township in county.townships:
            suffix = "办事处" if township.spec.is_street else "人民政府"
            township.department = Department(
                name=f"{township.name}{suffix}",
                level=DepartmentLevel.TOWNSHIP,
                township=township.center,
                phone=ctx.landline(rng, county),
            )
            made += ctx.add(township.department)
    return made


# ---------------------------------------------------------------------------------------------
# Part: deputies (the persons, before stationing)
# ---------------------------------------------------------------------------------------------


def build_deputies(ctx: DemoContext) -> list[Deputy]:
    """Every county's deputies, each with the levels they hold and a home township."""
    rng = ctx.rng("deputies")
    codes: set[str] = set()
    made = []
    for county in ctx.counties:
        persons = [
            new_person(ctx, rng, county, combo, codes) for combo in COMBOS for _ in range(county.spec.deputies[combo])
        ]
        place_persons(rng, county, persons)
        ctx.persons += persons
        made += ctx.add(*(person.deputy for person in persons))
    return made


def new_person(ctx: DemoContext, rng: random.Random, county: County, combo: str, codes: set[str]) -> Person:
    names = reference("names")
    gender = Gender.FEMALE if rng.random() < names["female_share"] else Gender.MALE
    surname, given = person_name(rng, gender)
    first, last = names["birth_years"]
    deputy = Deputy(
        code=public_code(rng, codes),
        name=surname + given,
        gender=gender,
        ethnicity=weighted(rng, names["ethnicities"]),
        birth_month=datetime.date(round(rng.triangular(first, last, 1975)), rng.randint(1, 12), 1),
        political_status=weighted(rng, names["political"]),
        phone=ctx.mobile(rng),
    )
    return Person(deputy=deputy, surname=surname, levels=tuple(combo.split("+")), township=None, county=county)


def public_code(rng: random.Random, taken: set[str]) -> str:
    """A deputy's public code like :func:`deputies.models.new_public_code`, but drawn from the seed."""
    while True:
        code = f"{rng.getrandbits(40):010x}"
        if code not in taken:
            taken.add(code)
            return code


def place_persons(rng: random.Random, county: County, persons: list[Person]) -> None:
    """Give each person a home township: township deputies by station count, the others by size."""
    townships = county.townships
    local = [person for person in persons if Level.TOWNSHIP in person.levels]
    county_only = [person for person in persons if person.tier == "county" and Level.TOWNSHIP not in person.levels]
    seniors = [person for person in persons if person.tier == "senior"]
    station_counts = [len(township.areas) + len(township.villages) for township in townships]
    for group, weights in ((local, station_counts), (county_only, [t.spec.size for t in townships])):
        rng.shuffle(group)
        for township, members in zip(townships, chunks(group, spread(len(group), weights)), strict=True):
            for person in members:
                person.township = township
    senior_weights = [township.spec.size * (3 if township.spec.seat else 1) for township in townships]
    for person in seniors:
        person.township = rng.choices(townships, weights=senior_weights)[0]
    for person in persons:
        person.township.persons.append(person)


# ---------------------------------------------------------------------------------------------
# Part: stationing (进驻) and station masters
# ---------------------------------------------------------------------------------------------


def station_deputies(ctx: DemoContext) -> list[StationAssignment]:
    """Station every deputy in their home township, and choose one master per station.

    Township deputies go to the village and area stations; county, city and province deputies to
    the center; county-only deputies also to the local station with the fewest deputies.
    """
    rng = ctx.rng("stationing")
    made = []
    for township in ctx.townships:
        stations = local_stations(township)
        occupancy = [0] * len(stations)
        locals_ = [person for person in township.persons if Level.TOWNSHIP in person.levels]
        counts = spread(len(locals_), [3 if len(villages) == 1 else 2 for _, villages in stations])
        for index, members in enumerate(chunks(locals_, counts)):
            made += [row for person in members for row in assign(ctx, rng, person, *stations[index])]
            occupancy[index] = len(members)
        for person in township.persons:
            if person.tier != "township":
                made += assign(ctx, rng, person, township.center, [])
            if person.tier == "county" and Level.TOWNSHIP not in person.levels:
                index = occupancy.index(min(occupancy))
                made += assign(ctx, rng, person, *stations[index])
                occupancy[index] += 1
        made += fill_empty_stations(ctx, rng, township)
        choose_masters(rng, township)
    return made


def local_stations(township: Township) -> list[tuple[Station, list[Village]]]:
    """The township's village and area stations, each with the villages it serves."""
    pairs = [(village.station, [village]) for village in township.villages]
    return pairs + [(area.station, area.villages) for area in township.areas]


def assign(
    ctx: DemoContext, rng: random.Random, person: Person, station: Station, villages: list[Village], role=None
) -> list[StationAssignment]:
    """Station ``person`` at ``station``; their home village is the first one they are stationed for."""
    row = StationAssignment(deputy=person.deputy, station=station, role=role or AssignmentRole.MEMBER)
    person.assignments.append(row)
    if person.village is None and villages:
        person.village = rng.choice(villages)
    return ctx.add(row)


def fill_empty_stations(ctx: DemoContext, rng: random.Random, township: Township) -> list[StationAssignment]:
    """A station nobody was stationed at (only in very small townships) gets one of the township's deputies."""
    made = []
    for station, villages in [(township.center, []), *local_stations(township)]:
        present = any(person.assignment_at(station) for person in township.persons)
        if township.persons and not present:
            made += assign(ctx, rng, rng.choice(township.persons), station, villages)
    return made


MASTER_PREFERENCE = {
    "center": ("county+township", "county", "city+county"),
    "area": ("township", "county+township"),
    "village": ("township", "county+township"),
}


def choose_masters(rng: random.Random, township: Township) -> None:
    """One master per center, area and village station, preferring deputies who are master nowhere yet."""
    stations = [("center", township.center)]
    for area in township.areas:
        stations += [("area", area.station)] + [("village", village.station) for village in area.villages]
    for kind, station in stations:
        present = [person for person in township.persons if person.assignment_at(station)]
        if not present:
            continue
        master = pick_master(rng, present, MASTER_PREFERENCE[kind])
        master.master_of = master.master_of or kind
        master.assignment_at(station).role = AssignmentRole.MASTER


def pick_master(rng: random.Random, present: list[Person], preference: tuple[str, ...]) -> Person:
    free = [person for person in present if not person.master_of]
    for combo in preference:
        candidates = [person for person in free if "+".join(person.levels) == combo]
        if candidates:
            return rng.choice(candidates)
    return rng.choice(free or present)


# ---------------------------------------------------------------------------------------------
# Part: work units and titles, fields of expertise
# ---------------------------------------------------------------------------------------------


def describe_deputies(ctx: DemoContext) -> list[Deputy]:
    """Work unit and title (masters get the title that goes with their station), some with a field."""
    rng = ctx.rng("work-units")
    occupations = reference("occupations")
    for county in ctx.counties:
        used: set[str] = set()
        persons = [person for township in county.townships for person in township.persons]
        for person in persons:
            if person.master_of:
                person.deputy.unit_title = render(occupations["masters"][person.master_of], rng, person)
                used.add(person.deputy.unit_title)
        for person in persons:
            if not person.master_of:
                describe(rng, person, occupations, used)
    return [person.deputy for person in ctx.persons]


def describe(rng: random.Random, person: Person, occupations: dict, used: set[str]) -> None:
    options = occupations[person.tier]
    for _ in range(20):
        option = rng.choices(options, weights=[option["weight"] for option in options])[0]
        title = render(option["title"], rng, person)
        if not (option.get("once") and title in used):
            break
    else:
        option, title = {}, render("{village}{resident}", rng, person)
    used.add(title)
    person.deputy.unit_title = title
    if option.get("expertise") and rng.random() < 0.85:
        person.deputy.expertise = option["expertise"]
    elif rng.random() < 0.06:
        person.deputy.expertise = rng.choice(occupations["expertise"])


def render(template: str, rng: random.Random, person: Person) -> str:
    """Fill a work-unit template for ``person`` (their township, home village, county)."""
    county, township = person.county, person.township
    village = person.village or rng.choice(township.villages)
    street, community = township.spec.is_street, village.is_community
    return template.format(
        county=county.name,
        short=county.spec.short,
        county_head="区长" if county.name.endswith("区") else "县长",
        township=township.name,
        village=village.name,
        firm=firm_name(rng, county),
        coop=coop_name(rng, village.name),
        lawfirm=f"{county.spec.province[:2]}{rng.choice(reference('places')['law_words'])}律师事务所",
        department=rng.choice(county.departments).name,
        party_head="党工委书记" if street else "党委书记",
        gov_head="街道办事处主任" if street else "镇长",
        congress_head="人大工委主任" if street else "人大主席",
        village_head="党委书记、居委会主任" if community else "党支部书记、村委会主任",
        committee="居委会" if community else "村委会",
        resident="居民" if community else "村民",
    )


# ---------------------------------------------------------------------------------------------
# Part: members of studios, cross-border and industry stations
# ---------------------------------------------------------------------------------------------


def staff_special_stations(ctx: DemoContext) -> list[StationAssignment]:
    """Studios: a county deputy (the namesake and master), seniors and county deputies of the township;
    cross-border stations: deputies of the border township; industry stations: business deputies."""
    rng = ctx.rng("special-stations")
    made = []
    for county in ctx.counties:
        persons = [person for township in county.townships for person in township.persons]
        seniors = [person for person in persons if person.tier == "senior"]
        business = [person for person in persons if person.deputy.expertise == "企业管理"]
        for township in county.townships:
            for station in township.specials:
                if station.kind == StationKind.STUDIO:
                    made += staff_studio(ctx, rng, station, township, seniors)
                elif station.kind == StationKind.CROSS_BORDER:
                    locals_ = [person for person in township.persons if person.tier == "township"]
                    made += staff_station(ctx, rng, station, rng.sample(locals_, min(6, len(locals_))))
                else:
                    made += staff_station(ctx, rng, station, rng.sample(business, min(8, len(business))))
    return made


def staff_studio(
    ctx: DemoContext, rng: random.Random, studio: Station, township: Township, seniors: list[Person]
) -> list[StationAssignment]:
    county_deputies = [person for person in township.persons if person.tier == "county"] or township.persons
    if not county_deputies:
        return []
    master = rng.choice([person for person in county_deputies if not person.master_of] or county_deputies)
    studio.name = f"{master.deputy.name}代表工作室"
    others = [person for person in county_deputies if person is not master]
    members = [master, *rng.sample(seniors, min(2, len(seniors))), *rng.sample(others, min(3, len(others)))]
    return staff_station(ctx, rng, studio, members)


def staff_station(
    ctx: DemoContext, rng: random.Random, station: Station, members: list[Person]
) -> list[StationAssignment]:
    """Station ``members`` at ``station``, the first one as its master."""
    made = []
    for index, person in enumerate(members):
        role = AssignmentRole.MASTER if index == 0 else AssignmentRole.MEMBER
        made += assign(ctx, rng, person, station, [], role)
    return made


# ---------------------------------------------------------------------------------------------
# Part: mandates
# ---------------------------------------------------------------------------------------------


def build_mandates(ctx: DemoContext) -> list[Mandate]:
    """A mandate per level held, with the term and the constituency (选区) or electing unit."""
    made = []
    for county in ctx.counties:
        county_number = 0
        for township in county.townships:
            persons = sorted(township.persons, key=lambda person: person.assignments[0].station.code)
            for index, person in enumerate(p for p in persons if Level.TOWNSHIP in p.levels):
                made += ctx.add(mandate(person, Level.TOWNSHIP, constituency(index)))
            for person in persons:
                if Level.COUNTY in person.levels:
                    made += ctx.add(mandate(person, Level.COUNTY, constituency(county_number)))
                    county_number += 1
                if Level.CITY in person.levels:
                    made += ctx.add(mandate(person, Level.CITY, f"{county.name}选举单位"))
                if Level.PROVINCE in person.levels:
                    made += ctx.add(mandate(person, Level.PROVINCE, f"{county.spec.city}选举单位"))
    return made


def constituency(index: int) -> str:
    return f"第{chinese_number(index // DEPUTIES_PER_CONSTITUENCY + 1)}选区"


def mandate(person: Person, level: str, where: str) -> Mandate:
    return Mandate(deputy=person.deputy, level=level, term=TERMS[level], constituency=where)


# ---------------------------------------------------------------------------------------------
# Part: deputy groups
# ---------------------------------------------------------------------------------------------


def build_groups(ctx: DemoContext) -> list[DeputyGroup]:
    """Regional groups (2–4 per township, by area) and the county's four field groups (混合编组)."""
    rng = ctx.rng("groups")
    made = []
    for county in ctx.counties:
        for township in county.townships:
            made += regional_groups(ctx, rng, township)
        made += field_groups(ctx, rng, county)
    return made


def regional_groups(ctx: DemoContext, rng: random.Random, township: Township) -> list[DeputyGroup]:
    """Everyone living in the township, split by the area their station is in; others spread evenly."""
    count = min(4, max(2, round(len(township.persons) / 30)), len(township.areas))
    group_of_area = [
        i for i, size in enumerate(spread(len(township.areas), [1] * count, minimum=1)) for _ in range(size)
    ]
    members: list[list[Person]] = [[] for _ in range(count)]
    unplaced = 0
    for person in township.persons:
        area = area_index(person, township)
        if area is None:
            area, unplaced = unplaced % len(township.areas), unplaced + 1
        members[group_of_area[area]].append(person)
    made = []
    for index, group_members in enumerate(members):
        areas = [area.name for area, group in zip(township.areas, group_of_area, strict=True) if group == index]
        group = DeputyGroup(
            name=f"{township.name}第{chinese_number(index + 1)}代表小组",
            kind=GroupKind.REGIONAL,
            township=township.center,
            description=f"{township.name}{'、'.join(areas)}的各级代表。",
        )
        made += ctx.add(group)
        add_members(ctx, rng, group, group_members)
    return made


def area_index(person: Person, township: Township) -> int | None:
    for index, area in enumerate(township.areas):
        stations = [area.station, *(village.station for village in area.villages)]
        if any(person.assignment_at(station) for station in stations):
            return index
    return None


def field_groups(ctx: DemoContext, rng: random.Random, county: County) -> list[DeputyGroup]:
    """Four groups by field, each mixing levels: deputies with a fitting field of expertise."""
    persons = [person for township in county.townships for person in township.persons]
    made = []
    for spec in reference("occupations")["field_groups"]:
        fitting = [person for person in persons if person.deputy.expertise in spec["expertise"]]
        higher = [person for person in fitting if person.tier != "township"]
        lower = [person for person in fitting if person.tier == "township"]
        members = rng.sample(higher, min(6, len(higher))) + rng.sample(lower, min(8, len(lower)))
        group = DeputyGroup(
            name=f"{county.name}{spec['name']}代表小组", kind=GroupKind.FIELD, description=spec["description"]
        )
        made += ctx.add(group)
        add_members(ctx, rng, group, members)
    return made


def add_members(ctx: DemoContext, rng: random.Random, group: DeputyGroup, members: list[Person]) -> None:
    """Make the members, and a leader among them: a senior or county deputy where there is one."""
    if not members:
        return
    for tier in ("senior", "county", "township"):
        candidates = [person for person in members if person.tier == tier]
        if candidates:
            group.leader = rng.choice(candidates).deputy
            break
    through = DeputyGroup.members.through
    ctx.add(*(through(deputygroup=group, deputy=person.deputy) for person in members))


# ---------------------------------------------------------------------------------------------
# Part: standards checklists and this year's assessments
# ---------------------------------------------------------------------------------------------


def build_standards(ctx: DemoContext) -> list[StationAssessment]:
    """The "十有" and "六个有" checklists, and this year's assessment of most stations."""
    rng = ctx.rng("standards")
    stations = ctx.all(Station)
    made = []
    for spec in reference("standards")["checklists"]:
        checklist = StandardChecklist(name=spec["name"], description=spec["description"])
        items = [StandardItem(checklist=checklist, title=title, order=n) for n, title in enumerate(spec["items"], 1)]
        ctx.add(checklist, *items)
        for station in stations:
            if station.kind in spec["kinds"] and (station.kind == StationKind.CENTER or rng.random() < 0.9):
                made += assess(ctx, rng, station, checklist, items)
    return made


def assess(ctx: DemoContext, rng: random.Random, station: Station, checklist, items) -> list[StationAssessment]:
    start = datetime.date(ctx.today.year, 1, 10)
    start = min(start, ctx.today)
    assessment = StationAssessment(
        station=station,
        checklist=checklist,
        year=ctx.today.year,
        assessed_on=start + datetime.timedelta(days=rng.randint(0, (ctx.today - start).days)),
    )
    share = 0.97 if station.kind == StationKind.CENTER else 0.9
    met = [item for item in items if rng.random() < share]
    through = StationAssessment.met_items.through
    ctx.add(assessment, *(through(stationassessment=assessment, standarditem=item) for item in met))
    return [assessment]


# ---------------------------------------------------------------------------------------------
# Part: demo accounts
# ---------------------------------------------------------------------------------------------


def build_accounts(ctx: DemoContext) -> list:
    """One login per role, all with :data:`DEMO_PASSWORD`, tied to the first township of the first county.

    Usernames in ``ctx.taken_usernames`` (already in the database) are left out.
    """
    rng = ctx.rng("accounts")
    county = ctx.counties[0]
    township = county.townships[0]
    village = township.villages[0]
    present = [person for person in township.persons if person.assignment_at(village.station)]
    deputy = next((p for p in present if p.assignment_at(village.station).role == AssignmentRole.MASTER), present[0])
    housing = next(department for department in county.departments if "住房和城乡建设局" in department.name)
    made = []
    if user := demo_user(ctx, rng, "admin", is_superuser=True, is_staff=True):
        made.append(user)
    if user := demo_user(ctx, rng, "county", is_staff=True):
        made += [user, *ctx.add(staff_profile(ctx, rng, user, Role.COUNTY_STAFF, None, "代表工作委员会科员"))]
    if user := demo_user(ctx, rng, "township", is_staff=True):
        title = "人大工委干事" if township.spec.is_street else "人大主席团干事"
        made += [user, *ctx.add(staff_profile(ctx, rng, user, Role.TOWNSHIP_STAFF, township.center, title))]
    if user := demo_user(ctx, rng, "liaison", is_staff=True):
        village.station.liaison_officer = user
        made.append(user)
    if user := demo_user(ctx, rng, "deputy", names=(deputy.surname, deputy.deputy.name[len(deputy.surname) :])):
        deputy.deputy.user = user
        made.append(user)
    if user := demo_user(ctx, rng, "department"):
        made += [user, *ctx.add(Department.contact_users.through(department=housing, user=user))]
    return made


def demo_user(ctx: DemoContext, rng: random.Random, username: str, names=None, **flags):
    """An unsaved user with a Chinese name, or None when the username is taken; the password is set on saving."""
    surname, given = names or person_name(rng, rng.choice([Gender.MALE, Gender.FEMALE]))
    if username in ctx.taken_usernames:
        return None
    user = get_user_model()(username=username, last_name=surname, first_name=given, **flags)
    ctx.accounts[username] = user
    ctx.add(user)
    return user


def staff_profile(ctx: DemoContext, rng, user, role: Role, township: Station | None, title: str) -> StaffProfile:
    return StaffProfile(user=user, role=role, township=township, title=title, phone=ctx.mobile(rng))


# ---------------------------------------------------------------------------------------------
# Building and saving
# ---------------------------------------------------------------------------------------------

PARTS = (
    build_network,
    build_departments,
    build_deputies,
    station_deputies,
    describe_deputies,
    staff_special_stations,
    build_mandates,
    build_groups,
    build_standards,
    build_accounts,
)


def build_demo(
    seed: int = DEFAULT_SEED, scale: str = "county", *, today: datetime.date | None = None, taken_usernames=()
) -> DemoContext:
    """Run every part; nothing is saved (see :func:`save_demo`)."""
    ctx = DemoContext(
        seed=seed, scale=scale, today=today or datetime.date.today(), taken_usernames=frozenset(taken_usernames)
    )
    for part in PARTS:
        part(ctx)
    return ctx


def save_order() -> list[type]:
    """The models in the order their rows are inserted (each row's foreign keys point backwards)."""
    return [
        get_user_model(),
        Station,
        StaffProfile,
        Department,
        Department.contact_users.through,
        Deputy,
        Mandate,
        StationAssignment,
        DeputyGroup,
        DeputyGroup.members.through,
        StandardChecklist,
        StandardItem,
        StationAssessment,
        StationAssessment.met_items.through,
    ]


def save_demo(ctx: DemoContext, batch_size: int = 2000) -> None:
    """Insert everything the parts made, then rebuild the station tree and derive townships.

    The demo accounts share one password hash: hashing is slow by design and they all have the
    same, published, password anyway.
    """
    order = save_order()
    unknown = [model.__name__ for model in ctx.rows if model not in order]
    if unknown:
        raise ValueError(f"no place in save_order() for {', '.join(unknown)}")
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for model in order:
            rows = ctx.rows.get(model, [])
            if model is get_user_model():
                for user in rows:
                    user.password = password
            if model is Station:
                for level in sorted({station.level for station in rows}):
                    Station.objects.bulk_create([s for s in rows if s.level == level], batch_size=batch_size)
            else:
                model.objects.bulk_create(rows, batch_size=batch_size)
        Station._tree_manager.rebuild()
        Station.objects.refresh_townships()


def digest(stations, deputies) -> str:
    """A fingerprint of (code, name) of stations and (name, phone, code) of deputies, in any order."""
    lines = sorted(f"S\t{code}\t{name}" for code, name in stations)
    lines += sorted(f"D\t{name}\t{phone}\t{code}" for name, phone, code in deputies)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def built_digest(ctx: DemoContext) -> str:
    return digest(((s.code, s.name) for s in ctx.all(Station)), ((d.name, d.phone, d.code) for d in ctx.all(Deputy)))


def saved_digest() -> str:
    return digest(Station.objects.values_list("code", "name"), Deputy.objects.values_list("name", "phone", "code"))
