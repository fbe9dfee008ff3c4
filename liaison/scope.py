"""Who the user is, as far as access goes: the roles and places one account holds.

A user's :class:`Scope` (county staff?, townships, liaison stations, deputy, departments) is
read once per request through the user's reverse relations and cached on the user object.
The rows a user may see are decided beside each model, by its QuerySet's ``visible_to(user)``
built on this scope; what a user may do is decided by each app's ``permissions`` module.

Roles (see :class:`liaison.models.Role`):
- county staff (and superusers) see everything;
- township staff see their township's subtree of stations and the deputies stationed there;
- a station liaison officer sees their station(s) and the stations below;
- a deputy sees their own record and the stations they are stationed in;
- a department handler sees their department's work;
- the public sees published pages only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist

from .models import Role, StaffProfile

ADMIN_ROLES = frozenset({Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.STATION_LIAISON})

# What each staff role may do in the admin, per model: v(iew) a(dd) c(hange) d(elete). Each app
# declares the rows of its own models in its ``permissions`` module and registers them from
# ``AppConfig.ready()``. Superusers may do everything; a role absent from a row has no access.
ADMIN_RIGHTS: dict[str, dict[Role, str]] = {
    "liaison.staffprofile": {Role.COUNTY_STAFF: "vacd"},
    "liaison.calendaroverride": {Role.COUNTY_STAFF: "vacd", Role.TOWNSHIP_STAFF: "v"},
    "liaison.delivery": {Role.COUNTY_STAFF: "v"},
    "liaison.reminderrule": {Role.COUNTY_STAFF: "vac", Role.TOWNSHIP_STAFF: "v"},
    "liaison.reminderlog": {Role.COUNTY_STAFF: "v"},
}


def register_admin_rights(rights: dict[str, dict[Role, str]]) -> None:
    """Add an app's rows to :data:`ADMIN_RIGHTS` (called from the app's ``ready()``)."""
    ADMIN_RIGHTS.update(rights)


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

    @property
    def sees_personal_data(self) -> bool:
        """Congress staff (county or township) see deputies' and voters' full phone numbers."""
        return self.is_county or bool(self.township_ids)

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


def can_see_personal_data(user) -> bool:
    """Whether the user may see deputies' full phone numbers (congress staff only)."""
    return scope_for(user).sees_personal_data


def _deputy_id(user) -> int | None:
    """The id of the deputy record linked to the account (the ``deputy`` reverse relation)."""
    try:
        return user.deputy.pk
    except ObjectDoesNotExist:
        return None


def _load_scope(user) -> Scope:
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
    ranges = tuple(user.liaison_stations.filter(is_active=True).values_list("id", "tree_id", "lft", "rght"))
    if ranges:
        roles.add(Role.STATION_LIAISON)
    deputy_id = _deputy_id(user)
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
