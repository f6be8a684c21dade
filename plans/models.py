"""The action plan: commitments, milestones, progress updates and field inspections.

The tables keep the names they had when these models were part of proposals (`db_table`).
"""

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from ogp_portal.models import bounded_text, length_limit
from ogp_portal.uploads import Upload, stored_file_path
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
