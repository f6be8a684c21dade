"""The action plan's models, moved from proposals with every row they hold.

Their tables keep their names (`db_table`), so the models are taken up in plans' state only
(proposals/0010 forgets them there). Their content types move from the label "proposals" to
"plans" keeping their ids, so what points at them stays attached: their permissions (and the
groups and people given them), the audit trail's entries and the admin's log. A new database has
no content types yet when this runs; Django creates them under "plans" after migrating.
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import ogp_portal.uploads
from django.conf import settings
from django.db import migrations, models

MOVED = [
    "actionplan",
    "commitment",
    "milestone",
    "progressupdate",
    "inspectionreport",
    "inspectionphoto",
]


def _content_types_relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=MOVED).update(app_label=new)


def content_types_to_plans(apps, schema_editor):
    _content_types_relabel(apps, "proposals", "plans")


def content_types_to_proposals(apps, schema_editor):
    _content_types_relabel(apps, "plans", "proposals")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("councils", "0006_membership_name_listed_by_choice"),
        ("proposals", "0010_action_plan_moved_to_plans"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ActionPlan",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                        (
                            "adopted_on",
                            models.DateField(blank=True, null=True, verbose_name="adopted on"),
                        ),
                        ("starts_on", models.DateField(verbose_name="starts")),
                        ("ends_on", models.DateField(verbose_name="ends")),
                        ("summary", models.TextField(blank=True, verbose_name="summary")),
                    ],
                    options={
                        "verbose_name": "action plan",
                        "verbose_name_plural": "action plans",
                        "db_table": "proposals_actionplan",
                        "ordering": ["-starts_on"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                                name="plan_period_ordered",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Commitment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "lead_agency",
                            models.CharField(max_length=200, verbose_name="lead agency"),
                        ),
                        ("other_actors", models.TextField(blank=True, verbose_name="other actors")),
                        ("problem", models.TextField(verbose_name="problem addressed")),
                        ("description", models.TextField(verbose_name="commitment")),
                        (
                            "transparency",
                            models.BooleanField(default=False, verbose_name="transparency"),
                        ),
                        (
                            "participation",
                            models.BooleanField(default=False, verbose_name="civic participation"),
                        ),
                        (
                            "accountability",
                            models.BooleanField(
                                default=False, verbose_name="public accountability"
                            ),
                        ),
                        ("starts_on", models.DateField(verbose_name="starts")),
                        ("ends_on", models.DateField(verbose_name="ends")),
                        (
                            "area",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="commitments",
                                to="proposals.area",
                                verbose_name="area",
                            ),
                        ),
                        (
                            "meetings",
                            models.ManyToManyField(
                                blank=True,
                                related_name="commitments",
                                to="councils.meeting",
                                verbose_name="meetings that discussed it",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="commitments",
                                to="plans.actionplan",
                                verbose_name="plan",
                            ),
                        ),
                        (
                            "proposal",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="commitment",
                                to="proposals.proposal",
                                verbose_name="source proposal",
                            ),
                        ),
                        (
                            "working_groups",
                            models.ManyToManyField(
                                blank=True,
                                related_name="commitments",
                                to="councils.workinggroup",
                                verbose_name="working groups",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "commitment",
                        "verbose_name_plural": "commitments",
                        "db_table": "proposals_commitment",
                        "ordering": ["plan", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="InspectionReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        ("place", models.CharField(max_length=200, verbose_name="place")),
                        (
                            "findings",
                            models.TextField(
                                validators=[django.core.validators.MaxLengthValidator(20000)],
                                verbose_name="findings",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="filed"
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="author",
                            ),
                        ),
                        (
                            "commitment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="inspections",
                                to="plans.commitment",
                                verbose_name="commitment",
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="inspections",
                                to="councils.workinggroup",
                                verbose_name="working group",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "field inspection",
                        "verbose_name_plural": "field inspections",
                        "db_table": "proposals_inspectionreport",
                        "ordering": ["-date", "-pk"],
                    },
                ),
                migrations.CreateModel(
                    name="InspectionPhoto",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "content_type",
                            models.CharField(
                                editable=False, max_length=60, verbose_name="content type"
                            ),
                        ),
                        (
                            "original_name",
                            models.CharField(
                                editable=False, max_length=200, verbose_name="file name"
                            ),
                        ),
                        (
                            "size",
                            models.PositiveIntegerField(
                                editable=False, verbose_name="size in bytes"
                            ),
                        ),
                        (
                            "image",
                            models.FileField(
                                upload_to=ogp_portal.uploads.stored_file_path, verbose_name="photo"
                            ),
                        ),
                        (
                            "caption",
                            models.CharField(blank=True, max_length=200, verbose_name="caption"),
                        ),
                        (
                            "report",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="photos",
                                to="plans.inspectionreport",
                                verbose_name="report",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "photo",
                        "verbose_name_plural": "photos",
                        "db_table": "proposals_inspectionphoto",
                    },
                ),
                migrations.CreateModel(
                    name="Milestone",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=300, verbose_name="title")),
                        (
                            "department",
                            models.CharField(blank=True, max_length=100, verbose_name="department"),
                        ),
                        ("due_on", models.DateField(blank=True, null=True, verbose_name="due")),
                        (
                            "completion",
                            models.CharField(
                                choices=[
                                    ("not_started", "Not started"),
                                    ("limited", "Limited"),
                                    ("substantial", "Substantial"),
                                    ("completed", "Completed"),
                                ],
                                default="not_started",
                                max_length=16,
                                verbose_name="completion",
                            ),
                        ),
                        (
                            "display_order",
                            models.PositiveSmallIntegerField(
                                default=0, verbose_name="display order"
                            ),
                        ),
                        (
                            "commitment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="milestones",
                                to="plans.commitment",
                                verbose_name="commitment",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "milestone",
                        "verbose_name_plural": "milestones",
                        "db_table": "proposals_milestone",
                        "ordering": ["display_order", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="ProgressUpdate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField(verbose_name="date")),
                        ("text", models.TextField(verbose_name="update")),
                        (
                            "author",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="author",
                            ),
                        ),
                        (
                            "commitment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="updates",
                                to="plans.commitment",
                                verbose_name="commitment",
                            ),
                        ),
                        (
                            "milestone",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="updates",
                                to="plans.milestone",
                                verbose_name="milestone",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "progress update",
                        "verbose_name_plural": "progress updates",
                        "db_table": "proposals_progressupdate",
                        "ordering": ["-date", "-pk"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="commitment",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("ends_on__gte", models.F("starts_on"))),
                        name="commitment_period_ordered",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="inspectionreport",
                    constraint=models.CheckConstraint(
                        condition=django.db.models.lookups.LessThanOrEqual(
                            django.db.models.functions.text.Length("findings"), 20000
                        ),
                        name="inspection_findings_length",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="milestone",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            (
                                "completion__in",
                                ["not_started", "limited", "substantial", "completed"],
                            )
                        ),
                        name="milestone_completion_valid",
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_to_plans, content_types_to_proposals),
    ]
