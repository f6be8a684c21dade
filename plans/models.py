"""The action plan: commitments, milestones, progress updates and field inspections.

The tables keep the names they had when these models were part of proposals (`db_table`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Avg, Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ogp_portal.models import bounded_text, length_limit
from ogp_portal.uploads import Upload, stored_file_path
from proposals.models import Area, Proposal

# Characters of an inspection report's findings.
FINDINGS_LIMIT = 20_000


class ActionPlanQuerySet(models.QuerySet):
    def current(self):
        """The plan that started last, or None."""
        return self.order_by("-starts_on", "-pk").first()


class ActionPlan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    summary = models.TextField(_("summary"), blank=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        db_table = "proposals_actionplan"
        ordering = ["-starts_on"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="plan_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:plan_detail", kwargs={"slug": self.slug})


class Completion(models.TextChoices):
    """OGP's completion levels, with the share of the work each stands for."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETED = "completed", _("Completed")


COMPLETION_PERCENT = {
    Completion.NOT_STARTED: 0,
    Completion.LIMITED: 25,
    Completion.SUBSTANTIAL: 75,
    Completion.COMPLETED: 100,
}


def completion_percent_expression(prefix: str = ""):
    return Case(
        *[
            When(**{f"{prefix}completion": level}, then=Value(p))
            for level, p in COMPLETION_PERCENT.items()
        ],
        output_field=IntegerField(),
    )


class CommitmentQuerySet(models.QuerySet):
    def public(self):
        """Every commitment: the action plan is public from its first draft to its end."""
        return self.all()

    def with_progress(self):
        return self.annotate(progress=Avg(completion_percent_expression("milestones__")))


class Commitment(models.Model):
    """An OGP commitment of the action plan, traced back to the proposal it came from."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("plan")
    )
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.PROTECT,
        related_name="commitment",
        null=True,
        blank=True,
        verbose_name=_("source proposal"),
    )
    title = models.CharField(_("title"), max_length=200)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("area"),
    )
    lead_agency = models.CharField(_("lead agency"), max_length=200)
    other_actors = models.TextField(_("other actors"), blank=True)
    working_groups = models.ManyToManyField(
        "councils.WorkingGroup",
        blank=True,
        related_name="commitments",
        verbose_name=_("working groups"),
    )
    meetings = models.ManyToManyField(
        "councils.Meeting",
        blank=True,
        related_name="commitments",
        verbose_name=_("meetings that discussed it"),
    )
    problem = models.TextField(_("problem addressed"))
    description = models.TextField(_("commitment"))
    transparency = models.BooleanField(_("transparency"), default=False)
    participation = models.BooleanField(_("civic participation"), default=False)
    accountability = models.BooleanField(_("public accountability"), default=False)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        db_table = "proposals_commitment"
        ordering = ["plan", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="commitment_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:commitment_detail", kwargs={"pk": self.pk})


class MilestoneQuerySet(models.QuerySet):
    def public(self):
        """Every milestone, like the commitments they belong to."""
        return self.all()


class Milestone(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("commitment"),
    )
    title = models.CharField(_("title"), max_length=300)
    department = models.CharField(_("department"), max_length=100, blank=True)
    due_on = models.DateField(pgettext_lazy("milestone", "due"), null=True, blank=True)
    completion = models.CharField(
        _("completion"), max_length=16, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        db_table = "proposals_milestone"
        ordering = ["display_order", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(completion__in=Completion.values), name="milestone_completion_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("commitment"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("milestone"),
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("update"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )

    class Meta:
        db_table = "proposals_progressupdate"
        ordering = ["-date", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.commitment} · {self.date}"


class InspectionReport(models.Model):
    """A working group's field inspection of a commitment of its area."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("commitment"),
    )
    group = models.ForeignKey(
        "councils.WorkingGroup",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("working group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    findings = bounded_text(_("findings"), FINDINGS_LIMIT)
    created_at = models.DateTimeField(_("filed"), default=timezone.now)

    class Meta:
        db_table = "proposals_inspectionreport"
        ordering = ["-date", "-pk"]
        verbose_name = _("field inspection")
        verbose_name_plural = _("field inspections")
        constraints = [length_limit("inspection", "findings", FINDINGS_LIMIT)]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.date} · {self.place}"


class InspectionPhoto(Upload):
    file_field = "image"

    report = models.ForeignKey(
        InspectionReport,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("report"),
    )
    image = models.FileField(_("photo"), upload_to=stored_file_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        db_table = "proposals_inspectionphoto"
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.original_name

    def get_absolute_url(self) -> str:
        return reverse("proposals:photo", args=[self.pk])

    def folder(self) -> str:
        return "inspections"
