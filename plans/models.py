"""The action plan: commitments, milestones, their evidence, progress updates and inspections.

The tables keep the names they had when these models were part of proposals (`db_table`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Prefetch, Q
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
    """The completion scale of OGP's Independent Reporting Mechanism (IRM), lowest first."""

    NO_EVIDENCE = "no_evidence", _("No evidence available")
    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETED = "completed", _("Complete")


# The share of the work each level stands for, as the plan's progress bars show it.
COMPLETION_PERCENT = {
    Completion.NO_EVIDENCE: 0,
    Completion.NOT_STARTED: 0,
    Completion.LIMITED: 25,
    Completion.SUBSTANTIAL: 75,
    Completion.COMPLETED: 100,
}


# What the secretariat may set by hand: "no evidence" only ever comes from the evidence.
OVERRIDE_LEVELS = [
    Completion.NOT_STARTED,
    Completion.LIMITED,
    Completion.SUBSTANTIAL,
    Completion.COMPLETED,
]


class CommitmentQuerySet(models.QuerySet):
    def public(self):
        """Every commitment: the action plan is public from its first draft to its end."""
        return self.all()

    def with_progress(self):
        """With each milestone and its evidence, to judge completion without a query more."""
        return self.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.with_evidence())
        )


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

    # What the commitment's level says, from the levels of its milestones (each as it stands:
    # the secretariat's level where it set one, else the evidence's); shown on the pages.
    RULES = [
        (Completion.NO_EVIDENCE, _("No milestone has evidence, or it has no milestone.")),
        (Completion.COMPLETED, _("Every milestone is complete.")),
        (
            Completion.SUBSTANTIAL,
            _(
                "Its milestones average at least half of the work (complete 100, substantial 75, "
                "limited 25, not started or no evidence 0)."
            ),
        ),
        (Completion.LIMITED, _("Its milestones average less than half, but more than nothing.")),
        (Completion.NOT_STARTED, _("Its milestones have evidence, none of work under way.")),
    ]

    def milestone_levels(self) -> list[str]:
        return [m.completion_level() for m in self.milestones.all()]

    def completion_level(self) -> str:
        """The commitment's IRM level, by RULES (read with `with_progress()`)."""
        levels = self.milestone_levels()
        if all(level == Completion.NO_EVIDENCE for level in levels):
            return Completion.NO_EVIDENCE
        if all(level == Completion.COMPLETED for level in levels):
            return Completion.COMPLETED
        progress = self.progress
        if progress >= 50:
            return Completion.SUBSTANTIAL
        return Completion.LIMITED if progress > 0 else Completion.NOT_STARTED

    def get_completion_level_display(self) -> str:
        return Completion(self.completion_level()).label

    @property
    def progress(self) -> float:
        """The average share of the work of its milestones, in percent (0 without milestones)."""
        levels = self.milestone_levels()
        return sum(COMPLETION_PERCENT[level] for level in levels) / len(levels) if levels else 0


class MilestoneQuerySet(models.QuerySet):
    def public(self):
        """Every milestone, like the commitments they belong to."""
        return self.all()

    def with_evidence(self):
        """With the evidence and what each record points at, for `completion_level()`."""
        return self.select_related("completion_set_by").prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related(
                    "document", "minutes__meeting", "inspection__commitment"
                ),
            )
        )


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
    # The secretariat's level, set only with a reason (`milestone_completion_set`); empty, the
    # evidence decides (`derived_completion`).
    completion = models.CharField(  # noqa: DJ001 - NULL: no level set, the evidence decides
        _("completion set by the secretariat"),
        max_length=16,
        choices=[(level, level.label) for level in OVERRIDE_LEVELS],
        null=True,
        blank=True,
        default=None,
    )
    completion_reason = models.TextField(
        _("reason for the level set"), blank=True, default="", db_default=""
    )
    completion_set_at = models.DateTimeField(_("level set at"), null=True, blank=True)
    completion_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # never looked up by who set it
        verbose_name=_("level set by"),
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
                condition=Q(completion__in=OVERRIDE_LEVELS), name="milestone_completion_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.commitment.get_absolute_url() + f"#milestone-{self.pk}"

    # What each level means, from the evidence: the first that holds (shown on the pages).
    RULES = [
        (
            Completion.COMPLETED,
            _(
                "A field inspection was carried out, and a public document of the register or a "
                "dataset shows the result."
            ),
        ),
        (
            Completion.SUBSTANTIAL,
            _("One of the two: a field inspection carried out, or a public document or dataset."),
        ),
        (
            Completion.LIMITED,
            _("Work has begun: a decision in published minutes, or an uploaded record of it."),
        ),
        (
            Completion.NOT_STARTED,
            _("Evidence is linked, but none of it is public or carried out yet."),
        ),
        (Completion.NO_EVIDENCE, _("No evidence is linked.")),
    ]

    def derived_completion(self) -> str:
        """The level the evidence shows, by RULES (read with `with_evidence()`)."""
        records = list(self.evidence.all())
        if not records:
            return Completion.NO_EVIDENCE
        shown = {record.shows() for record in records}
        inspected, published = Evidence.Shows.INSPECTED in shown, Evidence.Shows.PUBLISHED in shown
        if inspected and published:
            return Completion.COMPLETED
        if inspected or published:
            return Completion.SUBSTANTIAL
        if Evidence.Shows.BEGUN in shown:
            return Completion.LIMITED
        return Completion.NOT_STARTED

    @property
    def is_overridden(self) -> bool:
        return self.completion is not None

    def completion_level(self) -> str:
        """The level as it stands: the secretariat's, where it set one, else the evidence's."""
        return self.completion if self.is_overridden else self.derived_completion()

    def get_completion_level_display(self) -> str:
        return Completion(self.completion_level()).label

    def get_derived_completion_display(self) -> str:
        return Completion(self.derived_completion()).label

    def override(self, *, level: str | None, reason: str, by) -> None:
        """Sets (or, with None, clears) the secretariat's level; the audit trail logs it."""
        self.completion = level
        self.completion_reason = reason
        self.completion_set_at = timezone.now()
        self.completion_set_by = by
        self.save(
            update_fields=[
                "completion",
                "completion_reason",
                "completion_set_at",
                "completion_set_by",
            ]
        )


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


class Evidence(Upload):
    """A record that shows what became of a milestone: one of the portal's own records (a
    document of the register, a decision in minutes, a field inspection), a dataset's address,
    or a file uploaded for it."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document of the register")
        DECISION = "decision", _("Meeting decision")
        INSPECTION = "inspection", _("Field inspection")
        DATASET = "dataset", _("Dataset")
        UPLOAD = "upload", _("Uploaded file")

    class Shows(models.TextChoices):
        """What a record shows of the work, for `Milestone.derived_completion`."""

        NOTHING_YET = "nothing_yet", _("Nothing yet")
        BEGUN = "begun", _("Work has begun")
        PUBLISHED = "published", _("A result is published")
        INSPECTED = "inspected", _("Inspected in the field")

    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("milestone")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    document = models.ForeignKey(
        "councils.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    minutes = models.ForeignKey(
        "councils.Minutes",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("minutes with the decision"),
    )
    inspection = models.ForeignKey(
        InspectionReport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("field inspection"),
    )
    url = models.URLField(_("dataset address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=stored_file_path, blank=True)
    # An upload's detected type and given name; empty for the other kinds.
    content_type = models.CharField(
        _("content type"), max_length=60, editable=False, blank=True, default=""
    )
    original_name = models.CharField(
        _("file name"), max_length=200, editable=False, blank=True, default=""
    )
    size = models.PositiveIntegerField(_("size in bytes"), editable=False, default=0)
    note = models.CharField(_("what it shows"), max_length=300, blank=True)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["milestone", "added_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="document", document__isnull=False)
                    | Q(kind="decision", minutes__isnull=False)
                    | Q(kind="inspection", inspection__isnull=False)
                    | (Q(kind="dataset") & ~Q(url=""))
                    | (Q(kind="upload") & ~Q(file=""))
                ),
                name="evidence_points_at_its_kind",
                violation_error_message=_("Give the record this kind of evidence points at."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label()}"

    def folder(self) -> str:
        return "evidence"

    def label(self) -> str:
        if self.kind == self.Kind.DOCUMENT:
            return str(self.document)
        if self.kind == self.Kind.DECISION:
            return str(self.minutes.meeting)
        if self.kind == self.Kind.INSPECTION:
            return str(self.inspection)
        if self.kind == self.Kind.DATASET:
            return self.url
        return self.original_name

    def get_absolute_url(self) -> str:
        """Where the record is read: its page, the dataset, or the uploaded file."""
        if self.kind == self.Kind.DOCUMENT:
            return self.document.get_absolute_url()
        if self.kind == self.Kind.DECISION:
            return self.minutes.get_absolute_url()
        if self.kind == self.Kind.INSPECTION:
            return self.inspection.commitment.get_absolute_url() + "#inspections-title"
        if self.kind == self.Kind.DATASET:
            return self.url
        return reverse("proposals:evidence_file", args=[self.pk])

    def shows(self) -> str:
        """What the record shows today: a private document, unpublished minutes or an
        inspection dated in the future show nothing yet."""
        if self.kind == self.Kind.DOCUMENT:
            return self.Shows.PUBLISHED if self.document.is_public else self.Shows.NOTHING_YET
        if self.kind == self.Kind.DATASET:
            return self.Shows.PUBLISHED
        if self.kind == self.Kind.INSPECTION:
            carried_out = self.inspection.date <= timezone.localdate()
            return self.Shows.INSPECTED if carried_out else self.Shows.NOTHING_YET
        if self.kind == self.Kind.DECISION:
            return self.Shows.BEGUN if self.minutes.is_published else self.Shows.NOTHING_YET
        return self.Shows.BEGUN
