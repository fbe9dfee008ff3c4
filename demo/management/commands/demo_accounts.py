"""``manage.py demo_accounts``: the demo logins, what each one sees, and where to log in."""

import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from demo.county import DEMO_PASSWORD, DEMO_USERNAMES
from liaison.models import Role, StaffProfile
from liaison.scope import scope_for
from stations.models import Station


class Command(BaseCommand):
    help = "Print the demo accounts made by seed_demo: role, username, password, what each sees, where to log in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="Address of the site (default http://127.0.0.1:8000)."
        )

    def handle(self, *args, base_url, **options):
        users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
        if not users:
            self.stdout.write(_("No demo accounts yet: run “manage.py seed_demo” first."))
            return
        demo_hashes: dict[str, bool] = {}
        rows = [
            [
                _("Role"),
                _("Username"),
                _("Password"),
                pgettext("person", "Name"),
                _("Log in at"),
                _("What the account can do"),
            ]
        ]
        for username in DEMO_USERNAMES:
            if username in users:
                rows.append(account_row(users[username], base_url.rstrip("/"), demo_hashes))
        self.stdout.write(_("Demo accounts:"))
        self.stdout.write(table(rows))


def account_row(user, base_url: str, demo_hashes: dict[str, bool]) -> list[str]:
    scope = scope_for(user)
    if user.password not in demo_hashes:
        # The seed gives every demo account the same hash, so this usually checks one hash only.
        demo_hashes[user.password] = check_password(DEMO_PASSWORD, user.password)
    password = DEMO_PASSWORD if demo_hashes[user.password] else _("(changed)")
    path = reverse("admin:index") if scope.can_use_admin else reverse("home")
    roles = [_("Administrator")] if user.is_superuser else [str(role.label) for role in Role if role in scope.roles]
    name = user.last_name + user.first_name
    return ["、".join(roles) or "-", user.username, password, name, base_url + path, "；".join(duties(user, scope))]


def duties(user, scope) -> list[str]:
    """What the account sees and does, in words, read from the database."""
    if user.is_superuser:
        return [_("Everything, including user accounts and settings")]
    found = []
    if scope.is_county:
        found.append(_("All stations, deputies, groups and departments"))
    profile = StaffProfile.objects.filter(user=user).select_related("township").first()
    if profile and profile.township:
        found.append(_("Stations and deputies under %(township)s") % {"township": profile.township.name})
    for station in Station.objects.filter(pk__in=scope.liaison_station_ids).order_by("code"):
        found.append(_("Liaison officer of %(station)s and the points below it") % {"station": station.name})
    if scope.deputy_id:
        stations = Station.objects.filter(assignments__deputy_id=scope.deputy_id).order_by("code")
        found.append(
            _("Own record; stationed at %(stations)s") % {"stations": "、".join(station.name for station in stations)}
        )
    for department in user.departments.filter(pk__in=scope.department_ids).order_by("name"):
        found.append(_("Handles the assignments of %(department)s") % {"department": department.name})
    return found


def width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(rows: list[list[str]]) -> str:
    """Plain-text table, columns padded to the widest cell (the last column is not padded)."""
    widths = [max(width(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells))
    return "\n".join(lines)
