"""The station network as a spreadsheet: import, export and the blank template.

One row per station, upserted by code. Parents are named by code and may come later in the
file than their children or already be in the database. The whole file is checked against
the resulting tree before anything is written (unknown parents, cycles, the kind rules of
:meth:`stations.models.Station.clean`, the user's area); a file with any bad row writes
nothing. New stations are inserted in bulk with placeholder tree fields, then the tree is
rebuilt and the townships are derived again, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.scope import scope_for
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
    length_problem,
    read_cell,
    read_phone,
    read_table,
    write_table,
)
from liaison.textnorm import clean_text, compact_text, format_phone, normalize_phone

from .models import Station, StationKind

# The spreadsheet format: headers and kind names are data-format constants, not translated.
CODE, NAME, KIND, PARENT, ADDRESS, PHONE = "编码", "名称", "类型", "上级编码", "地址", "联系电话"
COLUMNS = (CODE, NAME, KIND, PARENT, ADDRESS, PHONE)
REQUIRED_COLUMNS = (CODE, NAME, KIND, PARENT)
OPTIONAL_COLUMNS = {ADDRESS: "address", PHONE: "phone"}
FIELD_COLUMNS = {"code": CODE, "name": NAME, "kind": KIND, "address": ADDRESS, "phone": PHONE}
KIND_NAMES = {
    StationKind.COUNTY_HUB: "县级总站",
    StationKind.CENTER: "中心联络站",
    StationKind.AREA: "片区联络站",
    StationKind.VILLAGE: "村级联络站",
    StationKind.POINT: "联络点",
    StationKind.STUDIO: "代表工作室",
    StationKind.CROSS_BORDER: "省际联络站",
    StationKind.INDUSTRY: "行业联络站",
}
KIND_ALIASES = {
    "代表之家": StationKind.CENTER,
    "社区联络站": StationKind.VILLAGE,
    "行政村级联络站": StationKind.VILLAGE,
    "村联络站": StationKind.VILLAGE,
}
KINDS_BY_NAME = {name: kind for kind, name in KIND_NAMES.items()} | KIND_ALIASES
# Placeholder tree fields for bulk inserts; the rebuild right after sets the real ones.
TREE_PLACEHOLDERS = {"lft": 0, "rght": 0, "tree_id": 0, "level": 0}
BATCH_SIZE = 1000


def parse_kind(value) -> str:
    text = compact_text(value)
    if text in KINDS_BY_NAME:
        return KINDS_BY_NAME[text]
    raise CellError(
        _("Station kind “%(value)s” is unknown; use one of %(kinds)s.")
        % {"value": text, "kinds": "、".join(KIND_NAMES.values())}
    )


def kind_rule_problem(kind: str, parent_kind: str | None) -> str | None:
    """The rule of :meth:`Station.clean` that ``kind`` under ``parent_kind`` breaks, if any."""
    if kind == StationKind.COUNTY_HUB and parent_kind is not None:
        return _("A county hub is the root of the network and has no parent.")
    if kind != StationKind.COUNTY_HUB and parent_kind is None:
        return _("Every station except the county hub needs a parent station.")
    if parent_kind == StationKind.POINT:
        return _("A liaison point cannot have stations below it.")
    if kind == StationKind.CENTER and parent_kind != StationKind.COUNTY_HUB:
        return _("A township center station must sit directly under the county hub.")
    return None


@dataclass
class StationRow:
    line: int
    code: str = ""
    values: dict = field(default_factory=dict)
    parent_code: str = ""
    readable: bool = True

    @property
    def kind(self) -> str | None:
        return self.values.get("kind")


@dataclass
class Network:
    """The stations in the database, by id and by code (the network has hundreds to a few
    thousand stations: loading them in one query is cheaper than asking per row)."""

    by_id: dict[int, dict]
    by_code: dict[str, dict]

    @classmethod
    def load(cls) -> Network:
        stations = list(Station.objects.values("id", "code", "name", "kind", "parent_id", "address", "phone"))
        return cls({s["id"]: s for s in stations}, {s["code"]: s for s in stations})

    def parent_code(self, station: dict) -> str:
        return self.by_id[station["parent_id"]]["code"] if station["parent_id"] else ""


class StationImport:
    """One import of a station file. ``user`` limits it to the user's area; ``None`` is county-wide."""

    def __init__(self, table: Table, *, user=None, dry_run: bool = False):
        self.table = table
        self.user = user
        self.dry_run = dry_run
        self.errors: list[RowError] = []
        # Address and phone may be left out of the file; the stations then keep theirs.
        self.optional = {header: name for header, name in OPTIONAL_COLUMNS.items() if table.has_column(header)}

    def run(self) -> ImportResult:
        rows = [self.parse(row) for row in self.table.rows]
        self.check_duplicates(rows)
        network = Network.load()
        scope = self.scope_ids()
        self.check_scope(rows, network, scope)
        self.check_tree(rows, network, scope)
        if self.errors:
            return ImportResult(dry_run=self.dry_run, errors=self.errors)
        plan = StationPlan.for_rows(rows, network)
        if not self.dry_run:
            plan.write()
        return ImportResult(dry_run=self.dry_run, rows=plan.outcomes)

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))

    def parse(self, source: Row) -> StationRow:
        row = StationRow(line=source.line, code=compact_text(source.get(CODE)))
        problems = []
        if not row.code:
            problems.append(_("The station code is missing."))
        name = compact_text(source.get(NAME))
        if not name:
            problems.append(_("The station name is missing."))
        row.values["name"] = name
        row.values["kind"] = read_cell(parse_kind, source.get(KIND), problems)
        row.parent_code = compact_text(source.get(PARENT))
        if ADDRESS in self.optional:
            row.values["address"] = clean_text(source.get(ADDRESS))
        if PHONE in self.optional:
            row.values["phone"] = read_cell(read_phone, source.get(PHONE), problems)
        problems += self.length_problems(row)
        for problem in problems:
            self.error(row.line, problem)
        row.readable = not problems
        return row

    @staticmethod
    def length_problems(row: StationRow) -> list[str]:
        values = {"code": row.code, **{k: v for k, v in row.values.items() if isinstance(v, str)}}
        problems = [
            length_problem(FIELD_COLUMNS[name], value, Station._meta.get_field(name).max_length)
            for name, value in values.items()
        ]
        return [problem for problem in problems if problem]

    def check_duplicates(self, rows: list[StationRow]) -> None:
        first: dict[str, int] = {}
        for row in rows:
            if not row.code:
                continue
            if row.code in first:
                self.error(
                    row.line,
                    _("Code %(code)s is also on line %(other)s; each station may appear only once.")
                    % {"code": row.code, "other": first[row.code]},
                )
                row.readable = False
            else:
                first[row.code] = row.line

    def scope_ids(self) -> set[int] | None:
        """Ids of the stations the user manages; ``None`` for county-wide imports."""
        scope = None if self.user is None else scope_for(self.user)
        if scope is None or scope.is_county:
            return None
        return set(Station.objects.managed_by(scope).values_list("id", flat=True))

    def check_scope(self, rows: list[StationRow], network: Network, scope: set[int] | None) -> None:
        """Township staff change only their own stations and add stations only below them."""
        if scope is None:
            return
        for row in rows:
            existing = network.by_code.get(row.code)
            if not row.readable:
                continue
            if existing and existing["id"] not in scope:
                self.error(
                    row.line,
                    _("Code %(code)s belongs to a station outside your area; choose another code.")
                    % {"code": row.code},
                )
                row.readable = False
            elif not existing and not row.parent_code:
                self.error(row.line, _("You may only add stations below the stations of your area."))
                row.readable = False

    def check_tree(self, rows: list[StationRow], network: Network, scope: set[int] | None) -> None:
        """Parents known, no cycles, and the kind rules hold for every station the file touches."""
        in_file = {row.code: row for row in rows if row.code}
        for row in rows:
            if row.readable and row.parent_code and not self.parent_allowed(row, in_file, network, scope):
                self.error(row.line, _("Parent station code %(code)s not found.") % {"code": row.parent_code})
                row.readable = False
        tree = FinalTree(network, in_file)
        for row in rows:
            parent_row = in_file.get(row.parent_code)
            if not row.readable or (parent_row and not parent_row.readable):
                continue  # the reason is reported on this row or on the parent's
            cycle = tree.cycle_from(row.code)
            if cycle:
                self.error(
                    row.line,
                    _("The parents form a loop: %(cycle)s. A station cannot be below itself.")
                    % {"cycle": " → ".join(cycle)},
                )
                continue
            problem = kind_rule_problem(row.kind, tree.kind_of(row.parent_code))
            if problem:
                self.error(row.line, problem)
            self.check_children(row, tree)

    def parent_allowed(self, row: StationRow, in_file: dict, network: Network, scope: set[int] | None) -> bool:
        if row.parent_code in in_file:
            return True
        parent = network.by_code.get(row.parent_code)
        if parent is None:
            return False
        if scope is None or parent["id"] in scope:
            return True
        existing = network.by_code.get(row.code)
        return bool(existing) and existing["parent_id"] == parent["id"]

    def check_children(self, row: StationRow, tree: FinalTree) -> None:
        """Stations that stay below this one (not in the file) must still fit its new kind."""
        for child_code in tree.children_outside_file(row.code):
            problem = kind_rule_problem(tree.kind_of(child_code), row.kind)
            if problem:
                self.error(
                    row.line,
                    _("Station %(child)s below it would break a rule: %(problem)s")
                    % {"child": child_code, "problem": problem},
                )
                return


class FinalTree:
    """The tree as it will be after the import: the file's rows over the database's stations."""

    def __init__(self, network: Network, in_file: dict[str, StationRow]):
        self.network = network
        self.in_file = in_file
        self.parents = {code: network.parent_code(station) for code, station in network.by_code.items()}
        self.parents.update({code: row.parent_code for code, row in in_file.items()})
        self.db_children: dict[str, list[str]] = {}
        for code, station in network.by_code.items():
            if station["parent_id"] and code not in in_file:
                self.db_children.setdefault(network.parent_code(station), []).append(code)

    def kind_of(self, code: str) -> str | None:
        if not code:
            return None
        if code in self.in_file:
            return self.in_file[code].kind
        return self.network.by_code[code]["kind"]

    def cycle_from(self, code: str) -> list[str]:
        """The loop of codes when walking up from ``code`` returns to it, else ``[]``."""
        path = [code]
        current = self.parents.get(code, "")
        while current and current in self.parents and current not in path:
            path.append(current)
            current = self.parents[current]
        return [*path, code] if current == code else []

    def children_outside_file(self, code: str) -> list[str]:
        return self.db_children.get(code, [])


def _same_phone(stored: str, new: str) -> bool:
    try:
        return normalize_phone(stored) == new
    except ValueError:
        return stored == new


@dataclass
class StationPlan:
    outcomes: list[RowOutcome] = field(default_factory=list)
    new_stations: list[Station] = field(default_factory=list)
    changed_stations: list[Station] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    parent_codes: dict[str, str] = field(default_factory=dict)
    reshaped: bool = False
    network: Network | None = None

    @classmethod
    def for_rows(cls, rows: list[StationRow], network: Network) -> StationPlan:
        plan = cls(network=network, reshaped=False)
        for row in rows:
            existing = network.by_code.get(row.code)
            if existing is None:
                plan.new_stations.append(Station(code=row.code, **row.values, **TREE_PLACEHOLDERS))
                plan.parent_codes[row.code] = row.parent_code
                plan.reshaped = True
                plan.outcomes.append(RowOutcome(row.line, f"{row.code} {row.values['name']}", CREATED))
            else:
                plan.add_existing(row, existing)
        return plan

    def add_existing(self, row: StationRow, existing: dict) -> None:
        changes = [
            header
            for header, name in ((NAME, "name"), (KIND, "kind"), (ADDRESS, "address"), (PHONE, "phone"))
            if name in row.values and not self.same(name, existing[name], row.values[name])
        ]
        if self.network.parent_code(existing) != row.parent_code:
            changes.append(PARENT)
        if changes:
            station = Station(id=existing["id"], code=row.code, updated_at=timezone.now(), **row.values)
            self.changed_stations.append(station)
            self.changed_fields |= {*row.values, "updated_at", "parent"}
            self.parent_codes[row.code] = row.parent_code
            self.reshaped = self.reshaped or PARENT in changes or KIND in changes
        label = f"{row.code} {row.values['name']}"
        self.outcomes.append(RowOutcome(row.line, label, UPDATED if changes else UNCHANGED, tuple(changes)))

    @staticmethod
    def same(name: str, stored, new) -> bool:
        return _same_phone(stored, new) if name == "phone" else stored == new

    @transaction.atomic
    def write(self) -> None:
        Station.objects.bulk_create(self.new_stations, batch_size=BATCH_SIZE)
        ids = {code: station["id"] for code, station in self.network.by_code.items()}
        missing = [station.code for station in self.new_stations if station.pk is None]
        if missing:
            ids.update(Station.objects.filter(code__in=missing).values_list("code", "id"))
        ids.update({station.code: station.pk for station in self.new_stations if station.pk})
        for station in [*self.new_stations, *self.changed_stations]:
            parent_code = self.parent_codes[station.code]
            station.parent_id = ids[parent_code] if parent_code else None
        Station.objects.bulk_update(self.new_stations, ["parent"], batch_size=BATCH_SIZE)
        if self.changed_stations:
            Station.objects.bulk_update(self.changed_stations, sorted(self.changed_fields), batch_size=BATCH_SIZE)
        if self.reshaped:
            Station._tree_manager.rebuild()
            Station.objects.refresh_townships()


def import_stations(source, *, user=None, dry_run: bool = False, name: str | None = None) -> ImportResult:
    """Import a station file (path or upload). All or nothing; see the module docstring."""
    try:
        table = read_table(source, name=name, required=REQUIRED_COLUMNS)
    except TabularError as error:
        return ImportResult.failed(str(error), dry_run=dry_run)
    return StationImport(table, user=user, dry_run=dry_run).run()


def export_stations(queryset, fmt: str = "csv") -> bytes:
    """The stations of ``queryset`` in the import format, parents before children."""
    rows = (
        [code, name, KIND_NAMES[StationKind(kind)], parent_code or "", address, format_phone(phone)]
        for code, name, kind, parent_code, address, phone in queryset.order_by("tree_id", "lft").values_list(
            "code", "name", "kind", "parent__code", "address", "phone"
        )
    )
    return write_table(COLUMNS, rows, fmt)


def stations_template(fmt: str = "xlsx") -> bytes:
    """The blank import file; the XLSX one has a second sheet explaining every column."""
    notes = (_("Instructions"), [_("Column"), _("Required"), _("What to enter")], station_instructions())
    return write_table(COLUMNS, [], fmt, notes=notes if fmt == "xlsx" else None)


def station_instructions() -> list[list[str]]:
    kinds = "、".join(KIND_NAMES.values())
    aliases = "、".join(f"{alias}（{KIND_NAMES[kind]}）" for alias, kind in KIND_ALIASES.items())
    notes = {
        CODE: _("Unique code of the station, e.g. A11. A re-import updates the station with this code."),
        NAME: _("Name of the station as shown on its sign."),
        KIND: _("One of %(kinds)s. Also accepted: %(aliases)s.") % {"kinds": kinds, "aliases": aliases},
        PARENT: _(
            "Code of the station above it; blank only for the county hub. "
            "The parent may be further down in the file or already in the system."
        ),
        ADDRESS: _("Street address; may be left blank."),
        PHONE: _("Mobile, or landline with area code; may be left blank."),
    }
    required = {header: _("required") if header in REQUIRED_COLUMNS and header != PARENT else "" for header in COLUMNS}
    return [[header, required[header], notes[header]] for header in COLUMNS]
