"""Grids (网格) and their leaders (网格长) as a spreadsheet: import, export and the template.

One row per grid, upserted by its code, under a village (community) or area station named
by code. The optional leaders column lists the grid leaders by mobile number (a deputy may
lead several grids); when the column is in the file, each grid's leaders become exactly
those listed. It lives in ``deputies`` because the station network does not know deputies.

All or nothing, like the roster and station imports: the whole file is checked first and a
file with any bad row writes nothing; every bad row is reported with its line number.
Re-importing the same file changes nothing.
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
    RowError,
    RowOutcome,
    TabularError,
    length_problem,
    read_phone,
    read_table,
    write_table,
)
from liaison.textnorm import clean_text, compact_text, format_phone, split_list
from stations.models import GRID_STATION_KINDS, Grid, Station, grid_station_problem

from .models import Deputy

# The spreadsheet format: headers are data-format constants, not translated.
CODE, NAME, STATION, LEADERS, DESCRIPTION = "网格编码", "网格名称", "所属联络站编码", "网格长手机号", "说明"
COLUMNS = (CODE, NAME, STATION, LEADERS, DESCRIPTION)
REQUIRED_COLUMNS = (CODE, NAME, STATION)
FIELD_COLUMNS = {"code": CODE, "name": NAME, "description": DESCRIPTION}
# Leaders in one cell: any of these (full-width ones fold to their ASCII twins), or blanks.
LIST_SEPARATORS = "、,;|/ \t"
LEADERS_THROUGH = Deputy.grids_led.through


@dataclass
class GridRow:
    line: int
    code: str = ""
    name: str = ""
    station_code: str = ""
    description: str | None = None
    leader_phones: tuple[str, ...] | None = None
    station_id: int | None = None
    leader_ids: set[int] = field(default_factory=set)
    readable: bool = True


class GridImport:
    """One import of a grid file; ``user`` limits it to the stations the user manages."""

    def __init__(self, table, *, user=None, dry_run: bool = False):
        self.table = table
        self.user = user
        self.dry_run = dry_run
        self.errors: list[RowError] = []
        self.has_leaders = table.has_column(LEADERS)
        self.has_description = table.has_column(DESCRIPTION)

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))

    def run(self) -> ImportResult:
        rows = [self.parse(row) for row in self.table.rows]
        self.check_duplicates(rows)
        self.resolve(rows)
        if self.errors:
            return ImportResult(dry_run=self.dry_run, errors=self.errors)
        plan = GridPlan.for_rows(rows, has_leaders=self.has_leaders)
        if not self.dry_run:
            plan.write()
        return ImportResult(dry_run=self.dry_run, rows=plan.outcomes)

    def parse(self, source) -> GridRow:
        row = GridRow(
            line=source.line,
            code=compact_text(source.get(CODE)),
            name=clean_text(source.get(NAME)),
            station_code=compact_text(source.get(STATION)),
        )
        problems = []
        if not row.code:
            problems.append(_("The grid code is missing."))
        if not row.name:
            problems.append(_("The grid name is missing."))
        if not row.station_code:
            problems.append(_("The station code is missing."))
        if self.has_description:
            row.description = clean_text(source.get(DESCRIPTION))
        if self.has_leaders:
            phones = []
            for part in split_list(source.get(LEADERS), LIST_SEPARATORS):
                try:
                    phones.append(read_phone(part))
                except CellError as error:
                    problems.append(str(error))
            row.leader_phones = tuple(phones)
        for name, value in (("code", row.code), ("name", row.name), ("description", row.description or "")):
            problem = length_problem(FIELD_COLUMNS[name], value, Grid._meta.get_field(name).max_length)
            if problem:
                problems.append(problem)
        for problem in problems:
            self.error(row.line, problem)
        row.readable = not problems
        return row

    def check_duplicates(self, rows: list[GridRow]) -> None:
        codes: dict[str, int] = {}
        names: dict[tuple[str, str], int] = {}
        for row in rows:
            if row.code in codes:
                self.error(
                    row.line,
                    _("Grid code %(code)s is also on line %(other)s; each grid may appear only once.")
                    % {"code": row.code, "other": codes[row.code]},
                )
                row.readable = False
            elif row.code:
                codes[row.code] = row.line
            key = (row.station_code, row.name)
            if row.name and row.station_code and key in names and row.readable:
                self.error(
                    row.line,
                    _("Grid “%(name)s” of station %(station)s is also on line %(other)s.")
                    % {"name": row.name, "station": row.station_code, "other": names[key]},
                )
                row.readable = False
            elif row.name and row.station_code:
                names.setdefault(key, row.line)

    def resolve(self, rows: list[GridRow]) -> None:
        """Stations, scope, names already taken in the database, and the leaders."""
        readable = [row for row in rows if row.readable]
        stations = {
            s["code"]: s
            for s in Station.objects.filter(code__in={row.station_code for row in readable}).values(
                "id", "code", "kind"
            )
        }
        managed = self.managed_ids()
        existing = {g["code"]: g for g in Grid.objects.filter(code__in={r.code for r in readable}).values()}
        taken = {
            (station_id, name): code
            for station_id, name, code in Grid.objects.filter(
                station__code__in={row.station_code for row in readable}
            ).values_list("station_id", "name", "code")
        }
        phones = {phone for row in readable for phone in row.leader_phones or ()}
        deputies = {
            phone: (pk, is_active)
            for pk, phone, is_active in Deputy.objects.filter(phone__in=phones).values_list("pk", "phone", "is_active")
        }
        for row in readable:
            station = stations.get(row.station_code)
            if station is None:
                self.error(row.line, _("Station code %(code)s not found.") % {"code": row.station_code})
                continue
            if station["kind"] not in GRID_STATION_KINDS:
                self.error(row.line, grid_station_problem())
                continue
            grid = existing.get(row.code)
            if managed is not None and (station["id"] not in managed or (grid and grid["station_id"] not in managed)):
                self.error(row.line, _("Grid %(code)s is outside your area.") % {"code": row.code})
                continue
            holder = taken.get((station["id"], row.name))
            if holder and holder != row.code:
                self.error(
                    row.line,
                    _("Station %(station)s already has a grid named “%(name)s” (code %(other)s).")
                    % {"station": row.station_code, "name": row.name, "other": holder},
                )
                continue
            row.station_id = station["id"]
            for phone in row.leader_phones or ():
                found = deputies.get(phone)
                if found is None:
                    self.error(
                        row.line, _("No deputy has the mobile number %(phone)s.") % {"phone": format_phone(phone)}
                    )
                elif not found[1]:
                    self.error(
                        row.line,
                        _("The deputy with mobile number %(phone)s no longer serves.") % {"phone": format_phone(phone)},
                    )
                else:
                    row.leader_ids.add(found[0])

    def managed_ids(self) -> set[int] | None:
        scope = None if self.user is None else scope_for(self.user)
        if scope is None or scope.is_county:
            return None
        return set(Station.objects.managed_by(scope).values_list("id", flat=True))


@dataclass
class GridPlan:
    outcomes: list[RowOutcome] = field(default_factory=list)
    new: list[tuple[Grid, set[int] | None]] = field(default_factory=list)
    changed: list[Grid] = field(default_factory=list)
    leaders: dict[int, set[int]] = field(default_factory=dict)  # existing grid id → new leader set

    @classmethod
    def for_rows(cls, rows: list[GridRow], *, has_leaders: bool) -> GridPlan:
        plan = cls()
        existing = {g.code: g for g in Grid.objects.filter(code__in=[row.code for row in rows])}
        current = {}
        if has_leaders and existing:
            for grid_id, deputy_id in LEADERS_THROUGH.objects.filter(
                grid_id__in=[g.pk for g in existing.values()]
            ).values_list("grid_id", "deputy_id"):
                current.setdefault(grid_id, set()).add(deputy_id)
        for row in rows:
            label = f"{row.code} {row.name}"
            grid = existing.get(row.code)
            leaders = row.leader_ids if has_leaders else None
            if grid is None:
                grid = Grid(code=row.code, name=row.name, station_id=row.station_id, description=row.description or "")
                plan.new.append((grid, leaders))
                plan.outcomes.append(RowOutcome(row.line, label, CREATED))
                continue
            changes = []
            if grid.name != row.name:
                changes.append(NAME)
            if grid.station_id != row.station_id:
                changes.append(STATION)
            if row.description is not None and grid.description != row.description:
                changes.append(DESCRIPTION)
            if leaders is not None and current.get(grid.pk, set()) != leaders:
                changes.append(LEADERS)
                plan.leaders[grid.pk] = leaders
            if set(changes) - {LEADERS}:
                grid.name, grid.station_id = row.name, row.station_id
                if row.description is not None:
                    grid.description = row.description
                grid.updated_at = timezone.now()
                plan.changed.append(grid)
            plan.outcomes.append(RowOutcome(row.line, label, UPDATED if changes else UNCHANGED, tuple(changes)))
        return plan

    @transaction.atomic
    def write(self) -> None:
        created = Grid.objects.bulk_create([grid for grid, _leaders in self.new])
        if any(grid.pk is None for grid in created):
            ids = dict(Grid.objects.filter(code__in=[g.code for g in created]).values_list("code", "id"))
            for grid in created:
                grid.pk = ids[grid.code]
        if self.changed:
            Grid.objects.bulk_update(self.changed, ["name", "station", "description", "updated_at"])
        for grid, leaders in self.new:
            if leaders is not None:
                self.leaders[grid.pk] = leaders
        if self.leaders:
            LEADERS_THROUGH.objects.filter(grid_id__in=list(self.leaders)).delete()
            LEADERS_THROUGH.objects.bulk_create(
                [
                    LEADERS_THROUGH(grid_id=grid_id, deputy_id=deputy_id)
                    for grid_id, deputies in self.leaders.items()
                    for deputy_id in sorted(deputies)
                ]
            )


def import_grids(source, *, user=None, dry_run: bool = False, name: str | None = None) -> ImportResult:
    """Import a grid file (path or upload). All or nothing; see the module docstring."""
    try:
        table = read_table(source, name=name, required=REQUIRED_COLUMNS)
    except TabularError as error:
        return ImportResult.failed(str(error), dry_run=dry_run)
    return GridImport(table, user=user, dry_run=dry_run).run()


def export_grids(queryset, fmt: str = "csv", *, mask_phones: bool = False) -> bytes:
    """The grids of ``queryset`` in the import format (leaders' phones masked if asked)."""
    grids = queryset.select_related("station").prefetch_related("leaders").order_by("station__code", "code")
    rows = (
        [
            grid.code,
            grid.name,
            grid.station.code,
            "、".join(
                deputy.phone_masked if mask_phones else format_phone(deputy.phone)
                for deputy in grid.leaders.all()
                if deputy.phone
            ),
            grid.description,
        ]
        for grid in grids
    )
    return write_table(COLUMNS, rows, fmt)


def grids_template(fmt: str = "xlsx") -> bytes:
    notes = (_("Instructions"), [_("Column"), _("Required"), _("What to enter")], grid_instructions())
    return write_table(COLUMNS, [], fmt, notes=notes if fmt == "xlsx" else None)


def grid_instructions() -> list[list[str]]:
    notes = {
        CODE: _("Unique code of the grid, e.g. A11-01. A re-import updates the grid with this code."),
        NAME: _("Name of the grid, unique within its station, e.g. 第一网格."),
        STATION: _("Code of the village (community) or area station the grid lies under."),
        LEADERS: _(
            "Mobile numbers of the grid leaders (deputies), separated by 、; "
            "the grid's leaders become exactly these. Leave the column out to keep them."
        ),
        DESCRIPTION: _("The streets, hamlets or buildings the grid covers; may be left blank."),
    }
    return [[header, _("required") if header in REQUIRED_COLUMNS else "", notes[header]] for header in COLUMNS]
