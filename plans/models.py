"""The action plan: commitments, milestones, their evidence, progress updates and inspections.

The tables keep the names they had when these models were part of proposals (`db_table`).
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ogp_portal.models import bounded_text, length_limit
from ogp_portal.uploads import Upload, stored_file_path
from opinions.models import OpinionMap
from proposals.models import Area, Proposal
from verification.models import Requirement

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

    def adoption_refusal(self, *, now=None) -> str | None:
        """Why the plan may not be adopted yet, in words; None when it may. A plan whose draft
        was put to consultation is adopted once the consultation has closed and every comment
        on it has its reasoned answer (the database holds the second rule too)."""
        draft = DraftConsultation.objects.filter(plan=self).first()
        if draft is None:
            return None
        if draft.is_open_at(now):
            return gettext("The draft is open for comment until %(date)s: adopt it after.") % {
                "date": timezone.localtime(draft.closes_at).strftime("%Y-%m-%d %H:%M")
            }
        waiting = DraftComment.objects.unanswered().filter(commitment__consultation=draft).count()
        if waiting:
            return ngettext(
                "%(count)d comment on the draft awaits its answer: answer every comment before "
                "the plan is adopted.",
                "%(count)d comments on the draft await their answer: answer every comment "
                "before the plan is adopted.",
                waiting,
            ) % {"count": waiting}
        return None

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None


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


# The draft plan's consultation ------------------------------------------------------------------

# Characters of one comment on the draft, and of the passage it quotes.
DRAFT_COMMENT_LIMIT = 5_000
QUOTE_LIMIT = 1_000
# Characters of a reasoned answer.
ANSWER_LIMIT = 5_000


class DraftConsultationQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)


class DraftConsultation(Requirement):
    """The draft of an action plan put before citizens for a set period.

    Its commitments are copied when it opens (`DraftCommitment`), so that the plan as adopted can
    be compared with the draft. Its requirement (`Requirement`) says who may comment.
    """

    plan = models.OneToOneField(
        ActionPlan, on_delete=models.PROTECT, related_name="draft", verbose_name=_("plan")
    )
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown above the draft: what is asked of people."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    opinion_map = models.ForeignKey(
        OpinionMap,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # No index: a map's draft is never looked up from the map on a page.
        db_index=False,
        related_name="draft_consultations",
        verbose_name=_("opinion map"),
        help_text=_("Where the participants vote on each other's short statements."),
    )

    objects = DraftConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("draft plan consultation")
        verbose_name_plural = _("draft plan consultations")
        constraints = [
            *Requirement.Meta.constraints,
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="draft_consultation_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return str(self.plan)

    def get_absolute_url(self) -> str:
        return reverse("proposals:draft", kwargs={"slug": self.plan.slug})

    def is_open_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at()

    @property
    def has_closed(self) -> bool:
        return self.closes_at <= timezone.now()

    def clean(self):
        if self.pk or not self.plan_id:
            return
        if self.plan.is_adopted:
            raise ValidationError(
                {"plan": _("This plan is adopted already: a draft is opened before adoption.")}
            )
        if not self.plan.commitments.exists():
            raise ValidationError(
                {"plan": _("This plan has no commitment yet: add them before the draft.")}
            )

    def close(self, *, at=None) -> None:
        """Ends the period now (the secretariat closes it early)."""
        self.closes_at = max(at or timezone.now(), self.opens_at + dt.timedelta(seconds=1))
        self.save(update_fields=["closes_at"])


class DraftCommitment(models.Model):
    """A commitment as the draft put it: its text, lead department and milestones when the
    consultation opened."""

    consultation = models.ForeignKey(
        DraftConsultation,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("consultation"),
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.PROTECT, related_name="drafts", verbose_name=_("commitment")
    )
    title = models.CharField(_("title"), max_length=200)
    lead_agency = models.CharField(_("lead agency"), max_length=200)
    problem = models.TextField(_("problem addressed"))
    description = models.TextField(_("commitment"))
    milestones = models.TextField(_("milestones"), blank=True, help_text=_("One a line."))

    class Meta:
        ordering = ["consultation", "commitment_id"]
        verbose_name = _("commitment of the draft")
        verbose_name_plural = _("commitments of the draft")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "commitment"], name="draft_commitment_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.consultation.get_absolute_url()}#draft-{self.pk}"

    def paragraphs(self) -> list[str]:
        """The commitment's text cut into the paragraphs people comment on (numbered from 0)."""
        return paragraphs_of(self.description)

    @staticmethod
    def milestone_lines(milestones) -> str:
        return "\n".join(
            " · ".join(
                part
                for part in (m.title, m.department, m.due_on.isoformat() if m.due_on else "")
                if part
            )
            for m in milestones
        )

    def changes(self) -> list[tuple[str, list]]:
        """What changed from the draft to the commitment as it stands: (field label, diff) for
        each part that changed."""
        final = self.commitment
        pairs = [
            (_("title"), self.title, final.title),
            (_("lead agency"), self.lead_agency, final.lead_agency),
            (_("problem addressed"), self.problem, final.problem),
            (_("commitment"), self.description, final.description),
            (_("milestones"), self.milestones, self.milestone_lines(final.milestones.all())),
        ]
        return [(label, text_diff(old, new)) for label, old, new in pairs if old != new]


def paragraphs_of(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


@dataclass(frozen=True)
class DiffPart:
    """A run of words of a diff: kept, removed from the draft or added to it."""

    text: str
    removed: bool = False
    added: bool = False


def text_diff(old: str, new: str) -> list[DiffPart]:
    """Word by word (difflib), what stayed, what was removed and what was added, in reading
    order."""
    before, after = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(DiffPart("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(DiffPart("".join(before[a1:a2]), removed=True))
        if b2 > b1:
            parts.append(DiffPart("".join(after[b1:b2]), added=True))
    return parts


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class DraftCommentQuerySet(models.QuerySet):
    def public(self):
        """Every comment: a hidden one shows the reason it was hidden for instead of its text."""
        return self.all()

    def visible(self):
        return self.filter(hidden_at__isnull=True)

    def unanswered(self):
        """Comments that still await their answer (a hidden comment is answered by the reason
        it was hidden for)."""
        return self.visible().filter(answered_at__isnull=True)


class DraftComment(models.Model):
    """A citizen's comment on a commitment of the draft, or on a passage of its text, with the
    reasoned answer it receives. Hidden by the staff with a reason shown in its place."""

    commitment = models.ForeignKey(
        DraftCommitment,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("commitment of the draft"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="draft_comments",
        verbose_name=_("author"),
    )
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"), null=True, blank=True, help_text=_("Empty: the commitment as a whole.")
    )
    quote = models.CharField(_("quoted passage"), max_length=QUOTE_LIMIT, blank=True)
    quote_start = models.PositiveIntegerField(_("passage starts at"), null=True, blank=True)
    quote_end = models.PositiveIntegerField(_("passage ends at"), null=True, blank=True)
    body = bounded_text(_("comment"), DRAFT_COMMENT_LIMIT)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    report_count = models.PositiveIntegerField(_("reports"), default=0, editable=False)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    reasons = bounded_text(_("reasons"), ANSWER_LIMIT, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    objects = DraftCommentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("comment on the draft")
        verbose_name_plural = _("comments on the draft")
        constraints = [
            length_limit("draft_comment", "body", DRAFT_COMMENT_LIMIT),
            length_limit("draft_comment", "reasons", ANSWER_LIMIT),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="draft_comment_hidden_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(quote="") | Q(paragraph__isnull=False),
                name="draft_comment_quote_in_a_paragraph",
            ),
            models.CheckConstraint(
                condition=Q(quote_start__isnull=True, quote_end__isnull=True)
                | Q(quote_end__gt=F("quote_start")),
                name="draft_comment_quote_ordered",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, outcome="", reasons="")
                | (Q(answered_at__isnull=False, outcome__in=Outcome.values) & ~Q(reasons="")),
                name="draft_comment_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return f"{self.commitment.consultation.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def hide(self, *, by, reason: str, at=None) -> None:
        self.hidden_at = at or timezone.now()
        self.hidden_by = by
        self.hidden_reason = reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])

    def answer(self, *, by, outcome: str, reasons: str, at=None) -> None:
        self.outcome = Outcome(outcome)
        self.reasons = reasons
        self.answered_by = by
        self.answered_at = at or timezone.now()
        self.save(update_fields=["outcome", "reasons", "answered_by", "answered_at"])


class DraftCommentReport(models.Model):
    """A person's report that a comment on the draft breaks the rules; the staff decide."""

    comment = models.ForeignKey(
        DraftComment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="draft_comment_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="draft_comment_report_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.comment}"


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
