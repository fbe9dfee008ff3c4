"""The reminder rules of the issue, as editable rows."""

from django.db import migrations

RULES = [
    # clock, tier, offset (working days), repeat every (working days)
    ("acceptance", "", 2, 0),
    ("acceptance", "immediate", 1, 0),
    ("due_soon", "immediate", 1, 0),
    ("due_soon", "fast", 3, 0),
    ("due_soon", "supervised", 10, 0),
    ("due_today", "", 0, 0),
    ("overdue", "", 1, 5),
    ("escalation_1", "immediate", 1, 0),
    ("escalation_1", "fast", 5, 0),
    ("escalation_1", "supervised", 10, 0),
    ("escalation_2", "immediate", 2, 0),
    ("escalation_2", "fast", 10, 0),
    ("escalation_2", "supervised", 20, 0),
    ("monthly_report", "supervised", 0, 0),
    ("co_due_soon", "", 3, 0),
    ("co_overdue", "", 1, 5),
    ("feedback_due", "", 5, 0),
    ("feedback_lapsed", "", 1, 0),
    ("commitment_due_soon", "", 3, 0),
    ("commitment_overdue", "", 1, 5),
    ("reception_day", "", 1, 0),
]


def add_rules(apps, schema_editor):
    ReminderRule = apps.get_model("liaison", "ReminderRule")
    for clock, tier, offset, repeat in RULES:
        ReminderRule.objects.get_or_create(clock=clock, tier=tier, defaults={"offset": offset, "repeat_every": repeat})


class Migration(migrations.Migration):
    dependencies = [("liaison", "0002_lifecycle")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
