"""``manage.py seed_demo``: fill an empty database with the demo county (see docs/demo-data.md)."""

import datetime
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.activity_log import seed_activities
from demo.county import DEFAULT_SEED, DEMO_PASSWORD, DEMO_USERNAMES, SCALES, build_demo, save_demo
from demo.lifecycle import plan_lifecycle, run_lifecycle
from demo.reception import seed_reception
from deputies.models import LEVEL_ORDER, Deputy, DeputyGroup, Level, Mandate
from stations.models import StandardChecklist, Station, StationKind
from suggestions.models import Department, OpinionStatus, SuggestionStatus

# Models whose rows the demo would collide with or mix into: their presence means "not empty".
FILLED_MODELS = (Station, Deputy, DeputyGroup, Department, StandardChecklist)


class Command(BaseCommand):
    help = (
        "Fill an empty database with the demo county: station network, deputies, groups, departments, "
        "standards assessments, one demo account per role (password demo1234), and a year of opinions and "
        "suggestions walked through the workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=SCALES,
            default="county",
            help="county: one county like Yunan (1,290 deputies); city: eight counties (about 8,700 deputies).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed; the same seed, the same data.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing, successfully, when the database already holds data."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the demo's history ends (YYYY-MM-DD; default: today), for reproducible demos.",
        )
        parser.add_argument(
            "--without-lifecycle",
            action="store_true",
            help="Only the county: no opinions or suggestions (faster, for measurements).",
        )

    def handle(self, *args, scale, seed, if_empty, today, without_lifecycle, **options):
        present = "、".join(str(model._meta.verbose_name_plural) for model in FILLED_MODELS if model.objects.exists())
        if present and if_empty:
            self.stdout.write(_("Demo data not loaded: the database already holds %(what)s.") % {"what": present})
            return
        if present:
            raise CommandError(
                _(
                    "The database already holds %(what)s. seed_demo fills an empty database only: "
                    "start from a new database, or pass --if-empty to leave it as it is."
                )
                % {"what": present}
            )
        started = time.monotonic()
        today = today or timezone.localdate()
        taken = set(get_user_model().objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
        ctx = build_demo(seed, scale, today=today, taken_usernames=taken)
        with transaction.atomic():
            save_demo(ctx)
            county_seconds = time.monotonic() - started
            lifecycle = None if without_lifecycle else run_lifecycle(plan_lifecycle(ctx, today))
            activities = None if without_lifecycle else seed_activities(today=today, seed=seed)
            reception = None if without_lifecycle else seed_reception(today=today, seed=seed)
        self.report(ctx, taken, county_seconds)
        if lifecycle is not None:
            self.report_lifecycle(lifecycle)
        if activities is not None:
            self.stdout.write(
                _(
                    "Activities written in %(seconds).1f s: %(count)s (%(verified)s verified), %(linked)s opinions "
                    "linked to them; campaign “%(campaign)s” with %(targets)s targets."
                )
                % {
                    "seconds": activities.seconds,
                    "count": sum(activities.activities.values()),
                    "verified": activities.activities["verified"],
                    "linked": activities.linked_opinions,
                    "campaign": activities.campaign.name,
                    "targets": activities.campaign.targets.count(),
                }
            )
        if reception is not None:
            self.stdout.write(
                _(
                    "Duty rosters written in %(seconds).1f s: %(duties)s duties (%(checked)s checked in, %(missed)s "
                    "missed, %(leave)s on leave), %(activities)s reception days recorded by check-in, %(grids)s grids."
                )
                % {
                    "seconds": reception.seconds,
                    "duties": sum(reception.duties.values()),
                    "checked": reception.duties["checked_in"],
                    "missed": reception.duties["missed"],
                    "leave": reception.duties["on_leave"],
                    "activities": reception.reception_activities,
                    "grids": reception.grids,
                }
            )

    def report(self, ctx, taken, seconds):
        kinds = dict(Station.objects.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
        levels = dict(Mandate.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
        multi = Deputy.objects.annotate(n=Count("mandates")).filter(n__gt=1).count()
        by_level = "、".join(f"{Level(level).label} {levels[level]}" for level in LEVEL_ORDER if levels.get(level))
        self.stdout.write(
            _("Demo county created in %(seconds).1f s: %(stations)s stations, %(deputies)s deputies.")
            % {"seconds": seconds, "stations": sum(kinds.values()), "deputies": Deputy.objects.count()}
        )
        self.stdout.write(
            _("Stations by kind: %(counts)s.")
            % {"counts": "、".join(f"{kind.label} {kinds[kind]}" for kind in StationKind if kinds.get(kind))}
        )
        self.stdout.write(
            _("Mandates by level: %(counts)s; deputies holding two levels: %(multi)s.")
            % {"counts": by_level, "multi": multi}
        )
        self.stdout.write(
            _("Departments: %(departments)s; deputy groups: %(groups)s.")
            % {"departments": Department.objects.count(), "groups": DeputyGroup.objects.count()}
        )
        self.stdout.write(
            _("Demo accounts (password %(password)s): %(usernames)s. Details: manage.py demo_accounts")
            % {"password": DEMO_PASSWORD, "usernames": ", ".join(ctx.accounts)}
        )
        if taken:
            self.stdout.write(
                _("These usernames already existed and were left unchanged: %(usernames)s.")
                % {"usernames": ", ".join(sorted(taken))}
            )

    def report_lifecycle(self, result):
        """The opinions and suggestions made by the lifecycle, by state."""
        opinions = "、".join(
            f"{status.label} {result.opinions[status]}" for status in OpinionStatus if result.opinions[status]
        )
        suggestions = "、".join(
            f"{status.label} {result.suggestions[status]}" for status in SuggestionStatus if result.suggestions[status]
        )
        self.stdout.write(
            _(
                "Opinions and suggestions walked through the workflow in %(seconds).1f s: %(opinions)s opinions, "
                "%(suggestions)s suggestions this year and %(earlier)s of earlier years, %(events)s events."
            )
            % {
                "seconds": result.seconds,
                "opinions": sum(result.opinions.values()),
                "suggestions": sum(result.suggestions.values()),
                "earlier": result.earlier,
                "events": result.events,
            }
        )
        self.stdout.write(_("Opinions by status: %(counts)s.") % {"counts": opinions})
        self.stdout.write(_("Suggestions of this year by status: %(counts)s.") % {"counts": suggestions})
