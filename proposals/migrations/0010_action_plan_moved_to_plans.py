"""The action plan, its commitments, milestones, progress updates and field inspections moved to
the app plans. Their tables stay where they are (plans' models name them with `db_table`): this
migration forgets them in proposals' state only, and plans/0001 takes them up."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0009_comment_body_html"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="commitment",
                    name="plan",
                ),
                migrations.RemoveField(
                    model_name="commitment",
                    name="area",
                ),
                migrations.RemoveField(
                    model_name="commitment",
                    name="meetings",
                ),
                migrations.RemoveField(
                    model_name="commitment",
                    name="proposal",
                ),
                migrations.RemoveField(
                    model_name="commitment",
                    name="working_groups",
                ),
                migrations.RemoveField(
                    model_name="progressupdate",
                    name="commitment",
                ),
                migrations.RemoveField(
                    model_name="milestone",
                    name="commitment",
                ),
                migrations.RemoveField(
                    model_name="inspectionreport",
                    name="commitment",
                ),
                migrations.RemoveField(
                    model_name="inspectionphoto",
                    name="report",
                ),
                migrations.RemoveField(
                    model_name="inspectionreport",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="inspectionreport",
                    name="group",
                ),
                migrations.RemoveField(
                    model_name="progressupdate",
                    name="milestone",
                ),
                migrations.RemoveField(
                    model_name="progressupdate",
                    name="author",
                ),
                migrations.DeleteModel(
                    name="ActionPlan",
                ),
                migrations.DeleteModel(
                    name="Commitment",
                ),
                migrations.DeleteModel(
                    name="InspectionPhoto",
                ),
                migrations.DeleteModel(
                    name="InspectionReport",
                ),
                migrations.DeleteModel(
                    name="Milestone",
                ),
                migrations.DeleteModel(
                    name="ProgressUpdate",
                ),
            ],
        ),
    ]
