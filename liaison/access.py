"""Who may see and change what: the one place that answers it.

Every admin queryset, page and API view filters through these functions. A user's scope is
read once per request (a handful of small queries) and cached on the user object.

Roles (see :class:`liaison.models.Role`):
- county staff (and superusers) see everything;
- township staff see their township's subtree of stations and the deputies stationed there;
- a station liaison officer sees their station(s) and the stations below;
- a deputy sees their own record and the stations they are stationed in;
- a department handler sees their department's work (assignments, with the lifecycle);
- the public sees published pages only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .models import Role

# What each staff role may do in the admin, per model: v(iew) a(dd) c(hange) d(elete).
# Superusers may do everything. Roles absent from a model's entry have no access to it.
ADMIN_RIGHTS: dict[str, dict[Role, str]] = {
    "stations.station": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "vc"},
    "stations.standardchecklist": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "stations.stationassessment": {
        Role.COUNTY_STAFF: "vacd",
        Role.TOWNSHIP_STAFF: "vac",
        Role.STATION_LIAISON: "v",
    },
    "deputies.deputy": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
    "deputies.deputygroup": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
    "suggestions.department": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "liaison.staffprofile": {Role.COUNTY_STAFF: "vacd"},
    "liaison.calendaroverride": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "liaison.delivery": {Role.COUNTY_STAFF: "v"},
    "liaison.reminderrule": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "v"},
    "liaison.reminderlog": {Role.COUNTY_STAFF: "v"},
    "suggestions.opinion": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "vac"},
    "suggestions.suggestion": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "vac", Role.STATION_LIAISON: "v"},
    "suggestions.assignment": {Role.COUNTY_STAFF: "v", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.extensionrequest": {Role.COUNTY_STAFF: "vc", Role.TOWNSHIP_STAFF: "vc"},
    "suggestions.commitment": {Role.COUNTY_STAFF: "v", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.category": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.resultclass": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "v"},
    "suggestions.deadlinerule": {Role.COUNTY_STAFF: "vc", Role.TOWNSHIP_STAFF: "v"},
}
ADMIN_ROLES = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_LIAISON})


@dataclass(frozen=True)
class Scope:
    """What one user is, as far as access goes."""

    user_id: int | None = None
    is_superuser: bool = False
    is_county: bool = False
    township_ids: frozenset[int] = frozenset()
    liaison_station_ranges: tuple[tuple[int, int, int, int], ...] = ()  # (id, tree_id, lft, rght)
    deputy_id: int | None = None
    department_ids: frozenset[int] = frozenset()
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def liaison_station_ids(self) -> frozenset[int]:
        return frozenset(station_id for station_id, *_ in self.liaison_station_ranges)

    @property
    def can_use_admin(self) -> bool:
        return self.is_superuser or bool(self.roles & ADMIN_ROLES)

    def admin_rights(self, model_label: str) -> str:
        if self.is_superuser:
            return "vacd"
        rights = ADMIN_RIGHTS.get(model_label, {})
        return "".join(sorted({letter for role in self.roles for letter in rights.get(role, "")}))


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    """The user's :class:`Scope`, computed once and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_liaison_scope", None)
    if cached is not None:
        return cached
    scope = _load_scope(user)
    user._liaison_scope = scope
    return scope


def _load_scope(user) -> Scope:
    from deputies.models import Deputy
    from stations.models import Station

    from .models import StaffProfile

    roles: set[Role] = set()
    township_ids: set[int] = set()
    is_county = user.is_superuser
    profile = StaffProfile.objects.filter(user=user).values_list("role", "township_id").first()
    if profile:
        role, township_id = profile
        roles.add(Role(role))
        if role == Role.COUNTY_STAFF:
            is_county = True
        elif township_id:
            township_ids.add(township_id)
    ranges = tuple(
        Station.objects.filter(liaison_officer=user, is_active=True).values_list("id", "tree_id", "lft", "rght")
    )
    if ranges:
        roles.add(Role.STATION_LIAISON)
    deputy_id = Deputy.objects.filter(user=user).values_list("id", flat=True).first()
    if deputy_id:
        roles.add(Role.DEPUTY)
    department_ids = frozenset(user.departments.filter(is_active=True).values_list("id", flat=True))
    if department_ids:
        roles.add(Role.DEPARTMENT_HANDLER)
    return Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        is_county=is_county,
        township_ids=frozenset(township_ids),
        liaison_station_ranges=ranges,
        deputy_id=deputy_id,
        department_ids=department_ids,
        roles=frozenset(roles),
    )


def _subtree_q(ranges) -> Q:
    query = Q(pk__in=[])
    for _station_id, tree_id, lft, rght in ranges:
        query |= Q(tree_id=tree_id, lft__gte=lft, rght__lte=rght)
    return query


def station_filter(scope: Scope) -> Q | None:
    """A filter on Station for what ``scope`` may manage; ``None`` means everything."""
    if scope.is_county:
        return None
    return Q(township_id__in=scope.township_ids) | _subtree_q(scope.liaison_station_ranges)


def visible_stations(user, queryset: QuerySet | None = None) -> QuerySet:
    """Stations the user may see in the staff pages (not the public pages, which show all)."""
    from stations.models import Station

    queryset = Station.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    condition = station_filter(scope)
    if condition is None:
        return queryset
    if scope.deputy_id:
        condition |= Q(assignments__deputy_id=scope.deputy_id)
        return queryset.filter(condition).distinct()
    return queryset.filter(condition)


def visible_deputies(user, queryset: QuerySet | None = None) -> QuerySet:
    """Deputies the user may see with their personal data: those stationed in visible stations."""
    from deputies.models import Deputy, StationAssignment
    from stations.models import Station

    queryset = Deputy.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    condition = station_filter(scope)
    if condition is None:
        return queryset
    stationed = StationAssignment.objects.filter(station__in=Station.objects.filter(condition)).values("deputy_id")
    own = Q(pk=scope.deputy_id) if scope.deputy_id else Q(pk__in=[])
    return queryset.filter(Q(pk__in=stationed) | own)


def visible_groups(user, queryset: QuerySet | None = None) -> QuerySet:
    from deputies.models import DeputyGroup

    queryset = DeputyGroup.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_county:
        return queryset
    townships = set(scope.township_ids)
    if scope.liaison_station_ranges:
        from stations.models import Station

        townships |= set(Station.objects.filter(pk__in=scope.liaison_station_ids).values_list("township_id", flat=True))
    return queryset.filter(township_id__in=[t for t in townships if t])


def visible_departments(user, queryset: QuerySet | None = None) -> QuerySet:
    """County staff see all departments; township staff the county ones and their township's."""
    from suggestions.models import Department, DepartmentLevel

    queryset = Department.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_county:
        return queryset
    condition = Q(pk__in=scope.department_ids)
    if scope.township_ids:
        condition |= Q(level=DepartmentLevel.COUNTY) | Q(township_id__in=scope.township_ids)
    return queryset.filter(condition)


def can_see_personal_data(user) -> bool:
    """Whether the user may see deputies' full phone numbers (congress staff only)."""
    scope = scope_for(user)
    return scope.is_county or bool(scope.township_ids)


# Opinions, suggestions and assignments
# ------------------------------------------------------------------------------


def deputy_opinions(deputy_id: int) -> Q:
    """A deputy's opinions: those they received, and those sent to one of their stations
    without naming a deputy (the station's QR code)."""
    from deputies.models import StationAssignment
    from suggestions.models import Opinion

    addressed = Opinion.deputies.through.objects
    received = addressed.filter(deputy_id=deputy_id).values("opinion_id")
    stations = StationAssignment.objects.filter(deputy_id=deputy_id).values("station_id")
    return Q(pk__in=received) | (Q(station_id__in=stations) & ~Q(pk__in=addressed.values("opinion_id")))


def visible_opinions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Opinions with voters' data: county staff all; township staff their township's;
    liaison officers their stations'; deputies theirs (see :func:`deputy_opinions`)."""
    from suggestions.models import Opinion

    queryset = Opinion.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_county:
        return queryset
    condition = Q(station__township_id__in=scope.township_ids) | Q(station_id__in=scope.liaison_station_ids)
    if scope.deputy_id:
        condition |= deputy_opinions(scope.deputy_id)
    return queryset.filter(condition)


def visible_suggestions(user, queryset: QuerySet | None = None) -> QuerySet:
    """Suggestions the user may follow: staff by township, deputies their own (lead or
    co-signer), handlers those assigned to their department."""
    from suggestions.models import Assignment, Suggestion

    queryset = Suggestion.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_county:
        return queryset
    condition = Q(township_id__in=scope.township_ids) | Q(station_id__in=scope.liaison_station_ids)
    if scope.deputy_id:
        signed = Suggestion.co_signers.through.objects.filter(deputy_id=scope.deputy_id).values("suggestion_id")
        condition |= Q(lead_deputy_id=scope.deputy_id) | Q(pk__in=signed)
    if scope.department_ids:
        assigned = Assignment.objects.filter(department_id__in=scope.department_ids).values("suggestion_id")
        condition |= Q(pk__in=assigned)
    return queryset.filter(condition)


def visible_assignments(user, queryset: QuerySet | None = None) -> QuerySet:
    from suggestions.models import Assignment

    queryset = Assignment.objects.all() if queryset is None else queryset
    scope = scope_for(user)
    if scope.is_county:
        return queryset
    return queryset.filter(
        Q(department_id__in=scope.department_ids) | Q(suggestion__township_id__in=scope.township_ids)
    )


def can_review(user, suggestion) -> bool:
    """Review, assign, approve extensions and close: county staff for county-jurisdiction
    suggestions (and all), township staff for township-jurisdiction ones of their township."""
    from suggestions.models import Jurisdiction

    scope = scope_for(user)
    if scope.is_county:
        return True
    return suggestion.jurisdiction == Jurisdiction.TOWNSHIP and suggestion.township_id in scope.township_ids


def handles(user, assignment) -> bool:
    """Whether the user is a handler of the assignment's department."""
    return assignment.department_id in scope_for(user).department_ids


def is_deputy(user, deputy_id) -> bool:
    return deputy_id is not None and scope_for(user).deputy_id == deputy_id
