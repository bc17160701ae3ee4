"""The starting points rules and evaluation settings; managers change them later."""

from django.db import migrations

RULES = [("rating", 10), ("sla_met", 3), ("visit_done", 2), ("first_time", 3),
         ("sla_breach", -5), ("complaint_upheld", -10)]


def load(apps, schema_editor):
    Rule = apps.get_model("evaluation", "PointsRule")
    for kind, points in RULES:
        Rule.objects.get_or_create(kind=kind, defaults={"points": points})
    Settings = apps.get_model("evaluation", "EvaluationSettings")
    if not Settings.objects.exists():
        Settings.objects.create()


def unload(apps, schema_editor):
    apps.get_model("evaluation", "PointsRule").objects.filter(
        kind__in=[k for k, _p in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
