import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I to misread


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


class PollQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def open(self, now=None):
        now = now or timezone.now()
        return self.published().filter(opens_at__lte=now, closes_at__gt=now)

    def due_for_closing(self, now=None):
        return self.published().filter(closes_at__lte=now or timezone.now(), result__isnull=True)


class Poll(models.Model):
    """A "시민에게 묻습니다" question put to verified citizens, one secret ballot each."""

    class Kind(models.TextChoices):
        FOR_AGAINST = "for_against", _("For or against")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")

    class Results(models.TextChoices):
        LIVE = "live", _("Shown while voting")
        AFTER_CLOSING = "after_closing", _("Shown after closing")

    question = models.CharField(_("question"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    explanation = models.TextField(_("explanation"), blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="polls", verbose_name=_("proposals")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.FOR_AGAINST
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most choices a ballot may mark"),
        default=1,
        help_text=_("For several choices; one otherwise."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results = models.CharField(
        _("results"), max_length=16, choices=Results.choices, default=Results.AFTER_CLOSING
    )
    promotion = models.TextField(_("promotion"), blank=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_polls",
        verbose_name=_("followers"),
    )
    # Counters written in the same transaction as each ballot: no request counts ballots.
    ballot_count = models.PositiveIntegerField(_("ballots"), default=0, editable=False)
    opening_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="poll_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="poll_max_choices"),
            models.CheckConstraint(
                condition=Q(kind__in=["for_against", "single", "multiple"]), name="poll_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(results__in=["live", "after_closing"]), name="poll_results_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("consultations:poll_detail", kwargs={"slug": self.slug})

    def is_open_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_closed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def shows_results(self) -> bool:
        return self.has_closed or self.results == self.Results.LIVE

    @property
    def allowed_choices(self) -> int:
        return self.max_choices if self.kind == self.Kind.MULTIPLE else 1


class Option(models.Model):
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("poll")
    )
    label = models.CharField(_("label"), max_length=200)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="option_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """Who took part: one row per person and poll. It says nothing of what they chose."""

    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="participations", verbose_name=_("poll")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="poll_participations",
        verbose_name=_("person"),
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="participation_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.poll}"


class Ballot(models.Model):
    """What was chosen, with a random receipt: no person, no order, no time finer than a day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("poll")
    )
    options = models.ManyToManyField(
        Option, through="BallotChoice", related_name="+", verbose_name=_("options")
    )
    receipt = models.CharField(_("receipt"), max_length=14, unique=True, default=new_receipt)
    day = models.DateField(_("day"))
    sealed = models.BooleanField(
        _("sealed"),
        default=False,
        help_text=_("Rewritten apart from the vote, so that no storage trace ties it to a voter."),
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    """One option marked on a ballot; random keys, so their order says nothing either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="ballot_choice_once"),
        ]

    def __str__(self) -> str:
        return str(self.option_id)


class Result(models.Model):
    """The frozen result of a closed poll, as published; freezing twice changes nothing."""

    poll = models.OneToOneField(
        Poll, on_delete=models.PROTECT, related_name="result", verbose_name=_("poll")
    )
    frozen_at = models.DateTimeField(_("frozen"), default=timezone.now)
    ballots = models.PositiveIntegerField(_("ballots"))
    participants = models.PositiveIntegerField(_("participants"))
    eligible = models.PositiveIntegerField(
        _("eligible voters"),
        null=True,
        blank=True,
        help_text=_("Verified accounts when the poll closed; empty when unknown."),
    )
    counts = models.JSONField(_("counts"), help_text=_("Option label → votes, in order."))
    receipts = models.JSONField(_("receipts"), help_text=_("Every counted receipt code, sorted."))

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return str(self.poll)

    @property
    def turnout(self) -> float | None:
        return 100 * self.participants / self.eligible if self.eligible else None
