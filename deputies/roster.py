"""The deputy roster as a spreadsheet: import, export and the blank template.

The import validates the whole file in memory, looks up stations, groups and the existing
deputies (with their mandates, stations and groups) in a few batched queries, and writes
with bulk inserts and updates inside one transaction. A file with any bad row writes
nothing and reports every bad row. Row-by-row importers (django-import-export) issue
several queries per row, which is 10–40 s for a city's roster; this one stays near a
constant number of queries (see ``docs/imports.md``).

Upsert rules (also in ``docs/imports.md``):
- a row whose phone matches a deputy updates that deputy (a different name is an error);
- a row whose phone matches nobody, or that has no phone, matches by name and birth month
  (several matches are an error; a deputy found this way whose phone differs gets the new
  phone only when the row gives a birth month);
- otherwise a new deputy is created.
The file is authoritative for the deputy's own fields in the columns it has (a blank cell
clears the field; a column missing from the file leaves the field alone). Mandates in the
row are created or updated; stations and groups in the row are added when missing. Mandates,
stations and groups that the row does not list are left alone.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.bulk import insert_rows
from liaison.spreadsheets.tabular import (
    CREATED,
    UNCHANGED,
    UPDATED,
    CellError,
    ImportResult,
    Row,
    RowError,
    RowOutcome,
    Table,
    TabularError,
    chunked,
    length_problem,
    read_cell,
    read_phone,
    read_table,
    write_table,
)
from liaison.textnorm import (
    chinese_number,
    clean_text,
    compact_text,
    format_phone,
    mask_phone,
    parse_chinese_number,
    split_list,
)
from stations.models import Station

from .models import LEVEL_ORDER, Deputy, DeputyGroup, Gender, Level, Mandate, StationAssignment, new_public_code

# The spreadsheet format. Headers and value names are data-format constants: they are the
# same whatever the UI language, so they are not translated.
NAME, GENDER, ETHNICITY, BIRTH_MONTH, POLITICAL_STATUS, PHONE, UNIT_TITLE = (
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "政治面貌",
    "联系电话",
    "工作单位及职务",
)
LEVELS, TERMS, CONSTITUENCIES, STATIONS, GROUPS, EXPERTISE = (
    "代表层级",
    "届次",
    "选区",
    "进驻联络站",
    "代表小组",
    "专业领域",
)
COLUMNS = (
    NAME,
    GENDER,
    ETHNICITY,
    BIRTH_MONTH,
    POLITICAL_STATUS,
    PHONE,
    UNIT_TITLE,
    LEVELS,
    TERMS,
    CONSTITUENCIES,
    STATIONS,
    GROUPS,
    EXPERTISE,
)
REQUIRED_COLUMNS = (NAME, LEVELS, TERMS, STATIONS)
# Columns holding the deputy's own fields, with the model field each one fills.
OWN_COLUMNS = {
    GENDER: "gender",
    ETHNICITY: "ethnicity",
    BIRTH_MONTH: "birth_month",
    POLITICAL_STATUS: "political_status",
    PHONE: "phone",
    UNIT_TITLE: "unit_title",
    EXPERTISE: "expertise",
}
FIELD_COLUMNS = {"name": NAME} | {field_name: header for header, field_name in OWN_COLUMNS.items()}
LIMITS = {name: Deputy._meta.get_field(name).max_length for name in FIELD_COLUMNS} | {
    "constituency": Mandate._meta.get_field("constituency").max_length
}

LEVEL_NAMES = {
    Level.NATIONAL: "全国",
    Level.PROVINCE: "省",
    Level.CITY: "市",
    Level.COUNTY: "县",
    Level.TOWNSHIP: "乡镇",
}
# A level cell is read by dropping a suffix (人大代表, 级, …) and looking up what is left.
LEVEL_SUFFIXES = ("人民代表大会代表", "人民代表大会", "人大代表", "人大", "代表", "级")
LEVEL_CORES = {
    "全国": Level.NATIONAL,
    "国家": Level.NATIONAL,
    "省": Level.PROVINCE,
    "自治区": Level.PROVINCE,
    "市": Level.CITY,
    "州": Level.CITY,
    "自治州": Level.CITY,
    "地": Level.CITY,
    "县": Level.COUNTY,
    "区": Level.COUNTY,
    "县区": Level.COUNTY,
    "乡镇": Level.TOWNSHIP,
    "乡": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
}
GENDER_NAMES = {Gender.MALE: "男", Gender.FEMALE: "女"}
GENDER_ALIASES = {
    "男": Gender.MALE,
    "男性": Gender.MALE,
    "M": Gender.MALE,
    "女": Gender.FEMALE,
    "女性": Gender.FEMALE,
    "F": Gender.FEMALE,
}
# The 56 ethnic groups; "汉" is written out as "汉族".
_ETHNIC_GROUP_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 "
    "纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 "
    "德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
ETHNIC_GROUPS = frozenset(_ETHNIC_GROUP_NAMES.split())
MEMBERSHIP = DeputyGroup.members.through
LIST_SEPARATORS = "、,;|"
LEVEL_SEPARATORS = "、,;/| "

BATCH_SIZE = 1000
_BIRTH_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_BIRTH_TEXT = re.compile(
    r"(\d{4})[.\-/年](\d{1,2})月?(?:[.\-/](\d{1,2})日?|(\d{1,2})日)?(?:\d{1,2}:\d{2}(?::\d{2})?)?[.\-/]?"
)
_TERM = re.compile(r"第?(.+?)届?(?:人大|人民代表大会)?")


# Reading cells
# ------------------------------------------------------------------------------
# A roster repeats the same few levels, terms, genders and birth months thousands of times:
# the cell readers are pure, so each distinct value is read once per process.
_memoized = functools.lru_cache(maxsize=8192, typed=True)


@_memoized
def parse_level(value) -> str:
    """``县``, ``县级``, ``县人大代表``, ``区`` … → :class:`Level` value."""
    text = compact_text(value)
    core = text
    for suffix in LEVEL_SUFFIXES:
        if core.endswith(suffix) and len(core) > len(suffix):
            core = core[: -len(suffix)]
    if core in LEVEL_CORES:
        return LEVEL_CORES[core]
    raise CellError(
        _("Level “%(value)s” is unknown; use 全国, 省, 市, 县 or 乡镇.") % {"value": text},
    )


@_memoized
def parse_term(value) -> str:
    """``18``, ``第18届``, ``十八届`` → ``第十八届``."""
    text = compact_text(value)
    match = _TERM.fullmatch(text)
    try:
        number = parse_chinese_number(match.group(1) if match else text)
    except ValueError:
        raise CellError(_("Term “%(value)s” is not a congress term such as 第十八届.") % {"value": text}) from None
    return f"第{chinese_number(number)}届"


@_memoized
def parse_birth_month(value) -> date | None:
    """The first day of the birth month, from the many ways people write it.

    ``1975.03``, ``1975-03``, ``1975/3``, ``1975年3月``, ``197503``, a full date, an Excel
    date cell, or an Excel number: ``1975.1`` in a number cell is October, because Excel
    drops the trailing zero of ``1975.10``.
    """
    if isinstance(value, datetime | date):
        return _first_of_month(value.year, value.month, value)
    text = f"{value:.2f}" if isinstance(value, float) else compact_text(value)
    if not text:
        return None
    match = _BIRTH_DIGITS.fullmatch(text) or _BIRTH_TEXT.fullmatch(text)
    if not match:
        raise CellError(_("Birth month “%(value)s” is not a date such as 1975.03 or 1975年3月.") % {"value": text})
    year, month = int(match.group(1)), int(match.group(2))
    day = next((int(group) for group in match.groups()[2:] if group), None)
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise CellError(_("Birth month “%(value)s” is not a valid date.") % {"value": text}) from None
    return _first_of_month(year, month, text)


def _first_of_month(year: int, month: int, shown) -> date:
    if not (1900 <= year <= date.today().year and 1 <= month <= 12):
        raise CellError(_("Birth month “%(value)s” is not a valid date.") % {"value": shown})
    return date(year, month, 1)


@_memoized
def parse_gender(value) -> str:
    text = compact_text(value)
    if not text:
        return ""
    gender = GENDER_ALIASES.get(text.upper() if text.isascii() else text)
    if gender is None:
        raise CellError(_("Gender “%(value)s” must be 男 or 女.") % {"value": text})
    return gender


@_memoized
def parse_ethnicity(value) -> str:
    text = compact_text(value)
    return text + "族" if text in ETHNIC_GROUPS else text


CELL_READERS = {
    "gender": parse_gender,
    "ethnicity": parse_ethnicity,
    "birth_month": parse_birth_month,
    "phone": read_phone,
}


@_memoized
def reference_list(value) -> tuple[str, ...]:
    """Station or group names and codes in one cell, blanks removed (``东门村站、A11``)."""
    return tuple(compact_text(item) for item in split_list(value, LIST_SEPARATORS))


@_memoized
def split_constituencies(value, count: int) -> tuple[str, ...]:
    """One constituency for every mandate, or one each when the cell lists exactly ``count``.

    Separators inside brackets do not split (``第一选区（东门、西门）`` is one constituency).
    """
    text = clean_text(value)
    items = [item.strip() for item in _split_outside_brackets(text) if item.strip()]
    if count > 1 and len(items) == count:
        return tuple(items)
    return (text,) * count


def _split_outside_brackets(text: str) -> list[str]:
    items, current, depth = [], [], 0
    for char in text:
        if char in "(（[【":
            depth += 1
        elif char in ")）]】":
            depth = max(0, depth - 1)
        if char in LIST_SEPARATORS and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


# Parsing rows
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class MandateSpec:
    level: str
    term: str
    constituency: str


@dataclass
class RosterRow:
    """One row of the file, read and checked, then matched against the database."""

    line: int
    name: str = ""
    fields: dict = field(default_factory=dict)
    mandates: list[MandateSpec] = field(default_factory=list)
    station_refs: tuple[str, ...] = ()
    group_refs: tuple[str, ...] = ()
    readable: bool = True
    station_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    existing: dict | None = None

    @property
    def phone(self) -> str:
        return self.fields.get("phone", "")

    @property
    def birth_month(self) -> date | None:
        return self.fields.get("birth_month")


class RosterImport:
    """One import of a roster file; :meth:`run` gives the :class:`ImportResult`.

    ``user`` limits stations, groups and deputies to what the user may see; ``None`` (the
    management command) is county-wide.
    """

    def __init__(self, table: Table, *, user=None, dry_run: bool = False):
        self.table = table
        self.user = user
        self.dry_run = dry_run
        self.errors: list[RowError] = []
        self.own_columns = {header: name for header, name in OWN_COLUMNS.items() if table.has_column(header)}
        self.has_constituencies = table.has_column(CONSTITUENCIES)
        self.has_groups = table.has_column(GROUPS)

    def run(self) -> ImportResult:
        rows = [self.parse(row) for row in self.table.rows]
        self.check_duplicates(rows)
        self.resolve_stations(rows)
        self.resolve_groups(rows)
        self.match_deputies([row for row in rows if row.readable])
        if self.errors:
            return ImportResult(dry_run=self.dry_run, errors=self.errors)
        plan = RosterPlan.for_rows(rows, has_constituencies=self.has_constituencies)
        if not self.dry_run:
            plan.write()
        return ImportResult(dry_run=self.dry_run, rows=plan.outcomes)

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))

    # Reading --------------------------------------------------------------------
    def parse(self, source: Row) -> RosterRow:
        row = RosterRow(line=source.line)
        problems: list[str] = []
        row.name = compact_text(source.get(NAME))
        if not row.name:
            problems.append(_("The name is missing."))
        for header, field_name in self.own_columns.items():
            row.fields[field_name] = read_cell(CELL_READERS.get(field_name, clean_text), source.get(header), problems)
        row.mandates = self.read_mandates(source, problems)
        row.station_refs = reference_list(source.get(STATIONS))
        if not row.station_refs:
            problems.append(_("No station is given; every deputy must be stationed in at least one station."))
        row.group_refs = reference_list(source.get(GROUPS))
        problems += self.length_problems(row)
        for problem in problems:
            self.error(row.line, problem)
        row.readable = not problems
        return row

    def read_mandates(self, source: Row, problems: list[str]) -> list[MandateSpec]:
        level_items = split_list(source.get(LEVELS), LEVEL_SEPARATORS)
        term_items = split_list(source.get(TERMS), LIST_SEPARATORS)
        if not level_items:
            problems.append(_("The level is missing."))
        if not term_items:
            problems.append(_("The term is missing."))
        levels = [read_cell(parse_level, item, problems) for item in level_items]
        terms = [read_cell(parse_term, item, problems) for item in term_items]
        if not levels or not terms or None in levels or None in terms:
            return []
        if len(terms) == 1:
            terms *= len(levels)
        elif len(terms) != len(levels):
            problems.append(
                _("%(levels)s levels but %(terms)s terms: give one term for all levels or one per level.")
                % {"levels": len(levels), "terms": len(terms)}
            )
            return []
        constituencies = split_constituencies(source.get(CONSTITUENCIES), len(levels))
        mandates = [MandateSpec(*spec) for spec in zip(levels, terms, constituencies, strict=True)]
        if len({(spec.level, spec.term) for spec in mandates}) < len(mandates):
            problems.append(_("The same level and term are listed twice."))
        return mandates

    @staticmethod
    def length_problems(row: RosterRow) -> list[str]:
        cells = [(NAME, row.name, LIMITS["name"])]
        cells += [(FIELD_COLUMNS[name], value, LIMITS[name]) for name, value in row.fields.items()]
        cells += [(CONSTITUENCIES, spec.constituency, LIMITS["constituency"]) for spec in row.mandates]
        problems = [
            length_problem(column, value, limit)
            for column, value, limit in cells
            if limit and isinstance(value, str) and len(value) > limit
        ]
        return list(dict.fromkeys(problems))

    # Checking the file as a whole -------------------------------------------------
    def check_duplicates(self, rows: list[RosterRow]) -> None:
        """The same phone twice, or the same name and birth month where a row has no phone."""
        first_with_phone: dict[str, int] = {}
        by_person: dict[tuple, list[RosterRow]] = defaultdict(list)
        for row in rows:
            if not row.readable:
                continue  # its phone or birth month is unknown, and the reason is reported
            if row.phone:
                if row.phone in first_with_phone:
                    self.error(
                        row.line,
                        _("Phone %(phone)s is also on line %(other)s; each deputy may appear only once.")
                        % {"phone": row.phone, "other": first_with_phone[row.phone]},
                    )
                    row.readable = False
                    continue
                first_with_phone[row.phone] = row.line
            by_person[self.person_key(row)].append(row)
        for group in by_person.values():
            if len(group) > 1 and any(not row.phone for row in group):
                for row in group[1:]:
                    self.error(
                        row.line,
                        _(
                            "Same name and birth month as line %(other)s, and one of them has no phone: "
                            "remove the duplicate or give both phones."
                        )
                        % {"other": group[0].line},
                    )
                    row.readable = False

    def person_key(self, row: RosterRow) -> tuple:
        """Name and birth month; the name alone when the file has no birth month column."""
        return (row.name, row.birth_month) if BIRTH_MONTH in self.own_columns else (row.name,)

    # Looking things up --------------------------------------------------------------
    def resolve_stations(self, rows: list[RosterRow]) -> None:
        refs = {ref for row in rows for ref in row.station_refs}
        stations = Station.objects.all() if self.user is None else Station.objects.visible_to(self.user)
        by_code, by_name = {}, defaultdict(list)
        for chunk in chunked(refs):
            by_code.update(stations.filter(code__in=chunk).values_list("code", "id"))
            for station_id, code, name in stations.filter(name__in=chunk).values_list("id", "code", "name"):
                by_name[name].append((station_id, code))
        for row in rows:
            for ref in row.station_refs:
                station_id = self.pick_station(row.line, ref, by_code, by_name)
                if station_id and station_id not in row.station_ids:
                    row.station_ids.append(station_id)

    def pick_station(self, line: int, ref: str, by_code: dict, by_name: dict) -> int | None:
        if ref in by_code:
            return by_code[ref]
        matches = by_name.get(ref, [])
        if len(matches) == 1:
            return matches[0][0]
        if matches:
            codes = "、".join(sorted({code for _id, code in matches}))
            self.error(
                line,
                _("Several stations are named “%(name)s” (codes %(codes)s); give the station code instead.")
                % {"name": ref, "codes": codes},
            )
        else:
            self.error(line, _("Station “%(name)s” not found.") % {"name": ref})
        return None

    def resolve_groups(self, rows: list[RosterRow]) -> None:
        refs = {ref for row in rows for ref in row.group_refs}
        groups = DeputyGroup.objects.all() if self.user is None else DeputyGroup.objects.visible_to(self.user)
        by_name = {}
        for chunk in chunked(refs):
            by_name.update(groups.filter(name__in=chunk).values_list("name", "id"))
        for row in rows:
            for ref in row.group_refs:
                if ref in by_name:
                    row.group_ids.append(by_name[ref])
                else:
                    self.error(row.line, _("Deputy group “%(name)s” not found.") % {"name": ref})

    def match_deputies(self, rows: list[RosterRow]) -> None:
        """Find the existing deputy of each row (see the module docstring for the rules)."""
        by_phone = self.deputies_by_phone({row.phone for row in rows if row.phone})
        by_name_rows = []
        for row in rows:
            existing = by_phone.get(row.phone) if row.phone else None
            if existing is None:
                by_name_rows.append(row)
            elif compact_text(existing["name"]) != row.name:
                self.error(
                    row.line,
                    _(
                        "Phone %(phone)s belongs to deputy %(name)s; a deputy is never renamed by an import. "
                        "Check the phone, or rename the deputy first."
                    )
                    % {"phone": row.phone, "name": existing["name"]},
                )
            else:
                row.existing = existing
        self.match_by_name(by_name_rows)
        self.check_matches(rows)

    def match_by_name(self, rows: list[RosterRow]) -> None:
        deputies = Deputy.objects.all() if self.user is None else Deputy.objects.visible_to(self.user)
        candidates: dict[tuple, list[dict]] = defaultdict(list)
        for chunk in chunked({row.name for row in rows}):
            for values in deputies.filter(name__in=chunk).values("id", "name", *OWN_COLUMNS.values()):
                candidates[self.person_key(_values_row(values))].append(values)
        for row in rows:
            if row.phone and row.birth_month is None:
                continue  # a new phone and no birth month: too little to call it the same person
            matches = candidates.get(self.person_key(row), [])
            if len(matches) > 1:
                self.error(
                    row.line,
                    _(
                        "%(count)s deputies named %(name)s with this birth month exist; "
                        "give the phone to say which one is meant."
                    )
                    % {"count": len(matches), "name": row.name},
                )
            elif matches:
                row.existing = matches[0]

    @staticmethod
    def deputies_by_phone(phones: set[str]) -> dict[str, dict]:
        """Every deputy with one of ``phones``, in any area: phones are unique network-wide."""
        found = {}
        for chunk in chunked(phones):
            for deputy in Deputy.objects.filter(phone__in=chunk).values("id", "name", *OWN_COLUMNS.values()):
                found[deputy["phone"]] = deputy
        return found

    def check_matches(self, rows: list[RosterRow]) -> None:
        """No deputy twice in one file; township staff only update the deputies they manage."""
        first_line: dict[int, int] = {}
        for row in rows:
            if row.existing is None:
                continue
            deputy_id = row.existing["id"]
            if deputy_id in first_line:
                self.error(
                    row.line,
                    _("This row and line %(other)s are the same deputy (%(name)s).")
                    % {"other": first_line[deputy_id], "name": row.existing["name"]},
                )
            else:
                first_line[deputy_id] = row.line
        if self.user is None or not first_line:
            return
        visible = set()
        for chunk in chunked(first_line):
            visible.update(Deputy.objects.visible_to(self.user).filter(pk__in=chunk).values_list("pk", flat=True))
        for row in rows:
            if row.existing and row.existing["id"] not in visible:
                self.error(
                    row.line,
                    _("Deputy %(name)s is managed outside your area; ask the county office to update them.")
                    % {"name": row.existing["name"]},
                )


def _values_row(values: dict) -> RosterRow:
    return RosterRow(line=0, name=compact_text(values["name"]), fields={"birth_month": values["birth_month"]})


# Planning and writing
# ------------------------------------------------------------------------------
@dataclass
class RosterPlan:
    """What the import writes, worked out in memory from the rows and the database state.

    Planning records plain ids and rows; model instances are built only when writing, so a
    dry run costs no more than the checks.
    """

    outcomes: list[RowOutcome] = field(default_factory=list)
    new_rows: list[RosterRow] = field(default_factory=list)
    changed_rows: list[RosterRow] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    new_mandates: list[tuple[int, MandateSpec]] = field(default_factory=list)
    changed_mandates: list[tuple[int, str]] = field(default_factory=list)
    new_assignments: list[tuple[int, int]] = field(default_factory=list)
    new_memberships: list[tuple[int, int]] = field(default_factory=list)

    @classmethod
    def for_rows(cls, rows: list[RosterRow], *, has_constituencies: bool) -> RosterPlan:
        plan = cls()
        state = ExistingLinks.load([row.existing["id"] for row in rows if row.existing])
        for row in rows:
            if row.existing is None:
                plan.new_rows.append(row)
                plan.outcomes.append(RowOutcome(row.line, row.name, CREATED))
            else:
                plan.add_existing(row, state, has_constituencies=has_constituencies)
        return plan

    def add_existing(self, row: RosterRow, state: ExistingLinks, *, has_constituencies: bool) -> None:
        existing = row.existing
        deputy_id = existing["id"]
        changes = [header for header, name in self.file_columns(row) if existing[name] != row.fields[name]]
        changed = {OWN_COLUMNS[header] for header in changes}
        if existing["name"] != row.name:
            changed.add("name")
            changes.insert(0, NAME)
        if changed:
            self.changed_fields |= changed
            self.changed_rows.append(row)
        if self.plan_mandates(deputy_id, row, state, has_constituencies=has_constituencies):
            changes.append(LEVELS)
        missing_stations = [(deputy_id, sid) for sid in row.station_ids if (deputy_id, sid) not in state.assignments]
        if missing_stations:
            self.new_assignments += missing_stations
            changes.append(STATIONS)
        missing_groups = [(deputy_id, gid) for gid in row.group_ids if (deputy_id, gid) not in state.memberships]
        if missing_groups:
            self.new_memberships += missing_groups
            changes.append(GROUPS)
        action = UPDATED if changes else UNCHANGED
        self.outcomes.append(RowOutcome(row.line, row.name, action, tuple(changes)))

    @staticmethod
    def file_columns(row: RosterRow) -> list[tuple[str, str]]:
        """(header, field) of the deputy's own columns that the file has."""
        return [(header, name) for header, name in OWN_COLUMNS.items() if name in row.fields]

    def plan_mandates(self, deputy_id: int, row: RosterRow, state: ExistingLinks, *, has_constituencies: bool) -> bool:
        changed = False
        for spec in row.mandates:
            current = state.mandates.get((deputy_id, spec.level, spec.term))
            if current is None:
                self.new_mandates.append((deputy_id, spec))
                changed = True
                continue
            constituency = spec.constituency if has_constituencies else current["constituency"]
            if current["constituency"] != constituency or not current["is_active"]:
                self.changed_mandates.append((current["id"], constituency))
                changed = True
        return changed

    @transaction.atomic
    def write(self) -> None:
        created = self.create_deputies()
        mandates, assignments = list(self.new_mandates), list(self.new_assignments)
        memberships = list(self.new_memberships)
        for row, deputy_id in zip(self.new_rows, created, strict=True):
            mandates += [(deputy_id, spec) for spec in row.mandates]
            assignments += [(deputy_id, station_id) for station_id in row.station_ids]
            memberships += [(deputy_id, group_id) for group_id in row.group_ids]
        self.update_deputies()
        mandate_rows = [(deputy_id, spec.level, spec.term, spec.constituency) for deputy_id, spec in mandates]
        insert_rows(Mandate, ("deputy_id", "level", "term", "constituency"), mandate_rows)
        Mandate.objects.bulk_update(
            [Mandate(id=pk, constituency=constituency, is_active=True) for pk, constituency in self.changed_mandates],
            ["constituency", "is_active"],
            batch_size=BATCH_SIZE,
        )
        insert_rows(StationAssignment, ("deputy_id", "station_id"), assignments)
        insert_rows(MEMBERSHIP, ("deputy_id", "deputygroup_id"), memberships)

    def create_deputies(self) -> list[int]:
        """Insert the new deputies; their ids in the order of ``new_rows`` (read back by public code)."""
        if not self.new_rows:
            return []
        names = list(self.new_rows[0].fields)
        codes = [new_public_code() for _row in self.new_rows]
        rows = [
            (code, row.name, *(row.fields[name] for name in names))
            for code, row in zip(codes, self.new_rows, strict=True)
        ]
        insert_rows(Deputy, ("code", "name", *names), rows)
        ids = {}
        for chunk in chunked(codes):
            ids.update(Deputy.objects.filter(code__in=chunk).values_list("code", "pk"))
        return [ids[code] for code in codes]

    def update_deputies(self) -> None:
        """Every deputy in the update carries all the file's fields, not only its own changes,
        because ``bulk_update`` writes the union of the changed fields for all of them."""
        if not self.changed_rows:
            return
        now = timezone.now()
        deputies = [
            Deputy(id=row.existing["id"], name=row.name, updated_at=now, **row.fields) for row in self.changed_rows
        ]
        Deputy.objects.bulk_update(deputies, sorted(self.changed_fields | {"updated_at"}), batch_size=BATCH_SIZE)


@dataclass
class ExistingLinks:
    """The mandates, stations and groups the matched deputies already have."""

    mandates: dict[tuple, dict]
    assignments: set[tuple[int, int]]
    memberships: set[tuple[int, int]]

    @classmethod
    def load(cls, deputy_ids: list[int]) -> ExistingLinks:
        links = cls({}, set(), set())
        for chunk in chunked(deputy_ids):
            for mandate in Mandate.objects.filter(deputy_id__in=chunk).values(
                "id", "deputy_id", "level", "term", "constituency", "is_active"
            ):
                links.mandates[(mandate["deputy_id"], mandate["level"], mandate["term"])] = mandate
            links.assignments.update(
                StationAssignment.objects.filter(deputy_id__in=chunk).values_list("deputy_id", "station_id")
            )
            links.memberships.update(
                MEMBERSHIP.objects.filter(deputy_id__in=chunk).values_list("deputy_id", "deputygroup_id")
            )
        return links


# Entry points
# ------------------------------------------------------------------------------
def import_roster(source, *, user=None, dry_run: bool = False, name: str | None = None) -> ImportResult:
    """Import a roster file (path or upload). All or nothing; see the module docstring."""
    try:
        table = read_table(source, name=name, required=REQUIRED_COLUMNS)
    except TabularError as error:
        return ImportResult.failed(str(error), dry_run=dry_run)
    return RosterImport(table, user=user, dry_run=dry_run).run()


def export_roster(queryset, fmt: str = "csv", *, mask_phones: bool = False) -> bytes:
    """The deputies of ``queryset`` in the import format (CSV with BOM, or XLSX).

    Only mandates in force are written. A station is written by name when no other station
    in the network has that name (or that code), else by code.
    """
    labels = station_labels()
    deputies = queryset.order_by("name", "id").prefetch_related(
        Prefetch("mandates", queryset=Mandate.objects.filter(is_active=True).order_by("id")),
        Prefetch("assignments", queryset=StationAssignment.objects.order_by("id")),
        Prefetch("groups", queryset=DeputyGroup.objects.order_by("name")),
    )
    rows = (_export_row(deputy, labels, mask_phones) for deputy in deputies.iterator(chunk_size=2000))
    return write_table(COLUMNS, rows, fmt)


def station_labels() -> dict[int, str]:
    """How the export names each station: its name when that is unambiguous, else its code."""
    stations = list(Station.objects.values_list("id", "code", "name"))
    codes = {code for _id, code, _name in stations}
    # order_by(): the tree ordering would otherwise join the GROUP BY and split the names.
    names = Station.objects.order_by().values("name").annotate(n=Count("id")).filter(n__gt=1)
    shared = set(names.values_list("name", flat=True))
    return {pk: code if name in shared or name in codes else name for pk, code, name in stations}


def _export_row(deputy: Deputy, labels: dict[int, str], mask_phones: bool) -> list[str]:
    mandates = sorted(deputy.mandates.all(), key=lambda m: (LEVEL_ORDER.index(m.level), m.term))
    phone = mask_phone(deputy.phone) if mask_phones else format_phone(deputy.phone)
    return [
        deputy.name,
        GENDER_NAMES.get(deputy.gender, ""),
        deputy.ethnicity,
        f"{deputy.birth_month:%Y-%m}" if deputy.birth_month else "",
        deputy.political_status,
        phone,
        deputy.unit_title,
        "、".join(LEVEL_NAMES[Level(m.level)] for m in mandates),
        _single_or_list([m.term for m in mandates]),
        _single_or_list([m.constituency for m in mandates]),
        "、".join(labels[a.station_id] for a in deputy.assignments.all()),
        "、".join(group.name for group in deputy.groups.all()),
        deputy.expertise,
    ]


def _single_or_list(values: list[str]) -> str:
    return values[0] if len(set(values)) == 1 else "、".join(values)


def roster_template(fmt: str = "xlsx") -> bytes:
    """The blank import file; the XLSX one has a second sheet explaining every column."""
    notes = (_("Instructions"), [_("Column"), _("Required"), _("What to enter")], roster_instructions())
    return write_table(COLUMNS, [], fmt, notes=notes if fmt == "xlsx" else None)


def roster_instructions() -> list[list[str]]:
    required = {header: _("required") if header in REQUIRED_COLUMNS else "" for header in COLUMNS}
    notes = {
        NAME: _("Full name. With the phone (or the birth month) it finds the deputy on a re-import."),
        GENDER: _("男 or 女; may be left blank."),
        ETHNICITY: _("For example 汉族 (汉 is also accepted)."),
        BIRTH_MONTH: _("Year and month, for example 1975.03, 1975-03, 1975年3月 or a date cell."),
        POLITICAL_STATUS: _("For example 中共党员 or 群众."),
        PHONE: _("Mobile, or landline with area code. The phone identifies the deputy on a re-import."),
        UNIT_TITLE: _("Work unit and title, as shown on the station's display board."),
        LEVELS: _("全国, 省, 市, 县 or 乡镇; several separated by 、 for a deputy at several levels (县、乡镇)."),
        TERMS: _(
            "For example 第十八届 (18 also works). One term for all levels, or one per level (第十八届、第十九届)."
        ),
        CONSTITUENCIES: _("The constituency or electing unit; one for all levels, or one per level."),
        STATIONS: _("Station name or code; several separated by 、. Use the code when two stations share a name."),
        GROUPS: _("Deputy group names, separated by 、; may be left blank."),
        EXPERTISE: _("For example 法律, 教育, 农业; may be left blank."),
    }
    return [[header, required[header], notes[header]] for header in COLUMNS]
