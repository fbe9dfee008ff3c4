"""Default categories, the national result classes and the deadline rules of the issue."""

from django.db import migrations

CATEGORIES = [
    "城乡建设", "交通出行", "教育", "医疗卫生", "社会保障", "农业农村", "生态环境",
    "水利", "产业发展", "社会治理", "文化体育", "其他",
]
RESULT_CLASSES = [
    ("A", "已解决或基本解决", "所提问题已经解决或基本解决", False, True),
    ("B", "正在解决或列入计划解决", "所提问题正在解决或已列入计划，须列明承诺事项", True, True),
    ("C", "因条件限制暂时难以解决", "受条件限制，目前难以解决，已作说明", False, False),
    ("D", "留作参考", "所提建议留作工作参考", False, False),
]
RULES = [
    ("tier_immediate", 5, "working_days", None, ""),
    ("tier_fast", 30, "calendar_days", None, ""),
    ("tier_supervised", 3, "months", 6, "months"),
    ("co_input", 1, "months", None, ""),
    ("return_window", 7, "working_days", None, ""),
    ("feedback_window", 20, "working_days", None, ""),
    ("rehandling", 1, "months", None, ""),
    ("warning_window", 3, "working_days", None, ""),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    ResultClass = apps.get_model("suggestions", "ResultClass")
    DeadlineRule = apps.get_model("suggestions", "DeadlineRule")
    for order, name in enumerate(CATEGORIES):
        Category.objects.get_or_create(name=name, defaults={"order": order})
    for order, (code, name, description, commits, resolved) in enumerate(RESULT_CLASSES):
        ResultClass.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "creates_commitments": commits,
                "counts_as_resolved": resolved,
                "order": order,
            },
        )
    for clock, amount, unit, cap, cap_unit in RULES:
        DeadlineRule.objects.get_or_create(
            clock=clock, defaults={"amount": amount, "unit": unit, "max_amount": cap, "max_unit": cap_unit}
        )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0002_lifecycle")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
