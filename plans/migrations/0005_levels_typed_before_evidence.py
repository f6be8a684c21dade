"""Levels typed by staff before the evidence decided: the default ("not started", never a
judgement) gives way to the evidence; any other stays, as set by hand, with a reason that says so.
"""

from django.db import migrations

REASON = (
    "이 수준은 증거에 따른 판정 이전에 직원이 입력했습니다. "
    "(Typed by staff before the level was derived from the evidence.)"
)


def forwards(apps, schema_editor):
    Milestone = apps.get_model("plans", "Milestone")
    Milestone.objects.filter(completion="not_started").update(completion=None)
    Milestone.objects.filter(completion__isnull=False, completion_reason="").update(
        completion_reason=REASON
    )


def backwards(apps, schema_editor):
    Milestone = apps.get_model("plans", "Milestone")
    Milestone.objects.filter(completion__isnull=True).update(completion="not_started")


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_milestone_evidence_and_completion_set")]

    operations = [migrations.RunPython(forwards, backwards)]
