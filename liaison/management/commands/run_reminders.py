"""Run one reminder scan now, synchronously (operators and tests): every scanner the apps
registered with :mod:`liaison.reminders`, as the beat task does."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from liaison.reminders import run_scan


class Command(BaseCommand):
    help = "Run one reminder and escalation scan and print what it sent."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend the scan runs at this ISO date-time (Asia/Shanghai if naive).")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["now"]:
            parsed = parse_datetime(options["now"])
            if parsed is None:
                try:
                    parsed = dt.datetime.fromisoformat(options["now"])
                except ValueError as error:
                    raise CommandError(f"--now: not an ISO date-time: {options['now']}") from error
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        result = run_scan(now)
        self.stdout.write(f"reminders sent: {result.sent}, escalations: {result.escalations}")
