from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Case, F, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from councils.models import StoredFile


class Area(models.Model):
    """An action-plan area (energy, transport …) that calls, proposals and plans share."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name


class CallQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Call(models.Model):
    """An open call for action-plan proposals; its status follows from its dates."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"))
    areas = models.ManyToManyField(Area, blank=True, related_name="calls", verbose_name=_("areas"))
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    promotion = models.TextField(
        _("promotion channels"), blank=True, help_text=_("Where the call is announced.")
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_calls",
        verbose_name=_("followers"),
    )
    opening_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    closing_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:call_detail", kwargs={"slug": self.slug})

    def status_at(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Status.UPCOMING
        if now < self.closes_at:
            return self.Status.OPEN
        return self.Status.CLOSED

    @property
    def status(self):
        return self.status_at()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class SupportThreshold(models.Model):
    """A rung of a call's ladder: so many supports within so many days owe an answer."""

    call = models.ForeignKey(
        Call, on_delete=models.CASCADE, related_name="thresholds", verbose_name=_("call")
    )
    supports = models.PositiveIntegerField(_("supports"))
    within_days = models.PositiveSmallIntegerField(_("within days of submission"))
    consequence = models.CharField(_("consequence"), max_length=200)
    starts_review = models.BooleanField(
        _("starts the review"),
        default=False,
        help_text=_("Reaching this rung moves a submitted proposal into review."),
    )

    class Meta:
        ordering = ["supports"]
        verbose_name = _("support threshold")
        verbose_name_plural = _("support thresholds")
        constraints = [
            models.UniqueConstraint(fields=["call", "supports"], name="threshold_unique_rung"),
            models.CheckConstraint(condition=Q(supports__gt=0), name="threshold_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supports} / {self.within_days}d"


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
    def awaiting_response(self):
        return self.filter(response="")


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
    problem = models.TextField(_("problem"))
    solution = models.TextField(_("proposed solution"))
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

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProposalStatus.values), name="proposal_status_valid"
            ),
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

    def __str__(self) -> str:
        return f"{self.proposal}: {self.from_status} → {self.to_status}"


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

    def folder(self) -> str:
        return f"proposals/{self.proposal_id}"


class Review(models.Model):
    """A department's review of a proposal; its internal notes stay with the staff."""

    class Recommendation(models.TextChoices):
        PENDING = "pending", _("Pending")
        ADOPT = "adopt", _("Adopt")
        ADOPT_PARTLY = "adopt_partly", _("Adopt in part")
        FOLD = "fold", _("Fold into another proposal")
        DECLINE = "decline", _("Do not adopt")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("proposal")
    )
    department = models.CharField(_("department"), max_length=100)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    starts_on = models.DateField(_("review starts"))
    ends_on = models.DateField(_("review ends"))
    opinion = models.TextField(_("opinion"), blank=True, help_text=_("Public."))
    recommendation = models.CharField(
        _("recommendation"),
        max_length=16,
        choices=Recommendation.choices,
        default=Recommendation.PENDING,
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen by the secretariat only.")
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="review_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(
                    recommendation__in=["pending", "adopt", "adopt_partly", "fold", "decline"]
                ),
                name="review_recommendation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.proposal}"


class ActionPlan(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
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


class Milestone(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("commitment"),
    )
    title = models.CharField(_("title"), max_length=300)
    department = models.CharField(_("department"), max_length=100, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    completion = models.CharField(
        _("completion"), max_length=16, choices=Completion.choices, default=Completion.NOT_STARTED
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
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
    findings = models.TextField(_("findings"))
    created_at = models.DateTimeField(_("filed"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("field inspection")
        verbose_name_plural = _("field inspections")

    def __str__(self) -> str:
        return f"{self.commitment} · {self.date} · {self.place}"


def inspection_photo_path(instance, filename: str) -> str:
    return f"inspections/{instance.report_id}/{filename}"


class InspectionPhoto(models.Model):
    report = models.ForeignKey(
        InspectionReport,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("report"),
    )
    image = models.FileField(_("photo"), upload_to=inspection_photo_path)
    content_type = models.CharField(_("content type"), max_length=60)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name
