"""Proposals, their supports and the pipeline they move along, with its history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.models import bounded_text, length_limit
from ogp_portal.search_index import SearchIndexField
from ogp_portal.uploads import StoredFile

from .calls import Area, Call, SupportThreshold


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    IN_POLL = "in_poll", _("In citizen poll")
    ADOPTED = "adopted", _("Adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    FOLDED = "folded", _("Folded into another proposal")


S = ProposalStatus
# The pipeline. Adoption always follows a review and a citizen poll; a proposal may be declined
# after review or poll, and folded under another before the poll. The database holds the same rule.
TRANSITIONS = {
    S.SUBMITTED: {S.IN_REVIEW, S.FOLDED},
    S.IN_REVIEW: {S.IN_POLL, S.NOT_ADOPTED, S.FOLDED},
    S.IN_POLL: {S.ADOPTED, S.NOT_ADOPTED},
    S.ADOPTED: set(),
    S.NOT_ADOPTED: set(),
    S.FOLDED: set(),
}
FINAL_STATUSES = {S.ADOPTED, S.NOT_ADOPTED, S.FOLDED}


class ProposalQuerySet(models.QuerySet):
    def public(self):
        """Every proposal is public from its submission on (there are no drafts)."""
        return self.all()

    def awaiting_response(self):
        return self.filter(response="")


# Characters of a proposal's problem and of its solution: some pages of text, not a book.
PROPOSAL_TEXT_LIMIT = 10_000


class Proposal(models.Model):
    """A citizen's or an organisation's proposal for the action plan."""

    Status = ProposalStatus

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("proposer"),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty when you propose as a citizen."),
    )
    title = models.CharField(_("title"), max_length=200)
    problem = bounded_text(_("problem"), PROPOSAL_TEXT_LIMIT)
    solution = bounded_text(_("proposed solution"), PROPOSAL_TEXT_LIMIT)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("area"),
        null=True,
        blank=True,
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Phone or e-mail for the secretariat; never shown publicly."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=S.SUBMITTED
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("folded under"),
    )
    fold_reason = models.TextField(_("reason for folding"), blank=True)
    response = models.TextField(
        _("reasoned response"),
        blank=True,
        help_text=_("What was decided and why; public."),
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    is_demo = models.BooleanField(_("demo"), default=False)

    search_index = SearchIndexField(title=["title"], body=["problem", "solution", "response"])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
            length_limit("proposal", "problem", PROPOSAL_TEXT_LIMIT),
            length_limit("proposal", "solution", PROPOSAL_TEXT_LIMIT),
            models.CheckConstraint(
                condition=~Q(status="folded") | (Q(parent__isnull=False) & ~Q(fold_reason="")),
                name="proposal_folded_has_parent_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="proposal_not_its_own_parent",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["adopted", "not_adopted", "folded"]) | ~Q(response=""),
                name="proposal_final_has_response",
            ),
        ]
        indexes = [
            # The tracker's "proposals of closed calls still owed a response" reads only the
            # proposals waiting, not every proposal ever made.
            models.Index(
                fields=["call"], condition=Q(response=""), name="proposal_awaiting_response"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal_detail", kwargs={"pk": self.pk})

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_editable_by_author(self) -> bool:
        return self.status == S.SUBMITTED and self.call.is_open

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    @property
    def steps(self) -> list[tuple[str, str]]:
        """The pipeline as this proposal walks it, for the step indicator: (label, state), the
        state "done", "active" (where it stands) or "" (ahead). A proposal declined or folded
        shows its submission and its outcome, the steps it skipped left out."""
        if self.status in (S.NOT_ADOPTED, S.FOLDED):
            return [(S.SUBMITTED.label, "done"), (S(self.status).label, "active")]
        path = [S.SUBMITTED, S.IN_REVIEW, S.IN_POLL, S.ADOPTED]
        at = path.index(self.status)
        labels = [s.label for s in path[:-1]] + [S.ADOPTED.label if at == 3 else _("Decision")]
        return [
            (label, "done" if i < at else "active" if i == at else "")
            for i, label in enumerate(labels)
        ]

    def move_to(
        self, status: str, *, by, note: str = "", response: str = "", at=None
    ) -> "Transition":
        """One step along the pipeline, dated and attributed; no step can be skipped."""
        at = at or timezone.now()
        if not self.can_move_to(status):
            raise ValidationError(
                _("A proposal cannot go from “%(from)s” to “%(to)s”.")
                % {"from": self.get_status_display(), "to": ProposalStatus(status).label}
            )
        if status in FINAL_STATUSES and not (response or self.response).strip():
            raise ValidationError(
                _("A proposal leaves the pipeline only with a reasoned response.")
            )
        transition = Transition.objects.create(
            proposal=self, from_status=self.status, to_status=status, by=by, note=note, at=at
        )
        self.status = status
        fields = ["status"]
        if response:
            self.response = response
            self.responded_at = at
            fields += ["response", "responded_at"]
        self.save(update_fields=fields)
        return transition


class Transition(models.Model):
    """A dated, attributed step of a proposal's public history."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="transitions", verbose_name=_("proposal")
    )
    from_status = models.CharField(_("from"), max_length=16, choices=ProposalStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ProposalStatus.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="transition_changes_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def is_adoption(self) -> bool:
        return self.to_status == ProposalStatus.ADOPTED


class ProposalCorrection(models.Model):
    """The secretariat's correction of a proposer's text: dated, with its reason, shown on the
    proposal's page with the text as the proposer wrote it."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="corrections", verbose_name=_("proposal")
    )
    previous_title = models.CharField(_("title before the correction"), max_length=200)
    previous_problem = models.TextField(_("problem before the correction"))
    previous_solution = models.TextField(_("solution before the correction"))
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    created_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="proposal_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.created_at:%Y-%m-%d}"


class Support(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports", verbose_name=_("proposal")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supports",
        verbose_name=_("person"),
    )
    created_at = models.DateTimeField(_("supported"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"


class ThresholdReached(models.Model):
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="thresholds_reached",
        verbose_name=_("proposal"),
    )
    threshold = models.ForeignKey(
        SupportThreshold, on_delete=models.PROTECT, related_name="+", verbose_name=_("threshold")
    )
    reached_at = models.DateTimeField(_("reached"), default=timezone.now)

    class Meta:
        verbose_name = _("threshold reached")
        verbose_name_plural = _("thresholds reached")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "threshold"], name="threshold_reached_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.threshold}"


class ProposalAttachment(StoredFile):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("proposal")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        return reverse("proposals:proposal_file", args=[self.proposal_id, self.pk])

    def folder(self) -> str:
        return "proposals"
