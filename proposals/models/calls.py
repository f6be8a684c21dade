"""Calls for proposals, the areas they cover and their support ladders."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ogp_portal.search_index import SearchIndexField
from verification.models import Requirement


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
    def public(self):
        """Every call is public, upcoming ones included."""
        return self.all()

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())


class Call(Requirement):
    """An open call for action-plan proposals; its status follows from its dates.

    Its requirement (`Requirement`) says which verification proposers need.
    """

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
    debate_review_participants = models.PositiveIntegerField(
        _("debate participants that start a review"),
        default=1000,
        help_text=_("When so many people have written in a proposal's debate, its review starts."),
    )
    debate_response_days = models.PositiveSmallIntegerField(
        _("days for the reasoned response"),
        default=30,
        help_text=_("The review that a debate starts ends, with its response, within these days."),
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

    search_index = SearchIndexField(title=["title"], body=["description"])

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="call_closes_after_opening"
            ),
            *Requirement.Meta.constraints,
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

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.UPCOMING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @cached_property
    def ladder(self) -> list["SupportThreshold"]:
        return list(self.thresholds.all())

    def review_rung(self) -> "SupportThreshold | None":
        """The support rung that starts the review, where the ladder has one."""
        return next((rung for rung in self.ladder if rung.starts_review), None)

    def debate_rung(self) -> "SupportThreshold | None":
        return next((rung for rung in self.ladder if rung.opens_debate), None)

    def review_participants(self) -> int | None:
        """How many people writing in a debate start its review: only where no support rung
        does, so that the review has one threshold, the same on every page (`steps`)."""
        return None if self.review_rung() else self.debate_review_participants

    def steps(self) -> list[dict]:
        """Each step a proposal passes and its one threshold, as every page names them."""
        steps = []
        if (rung := self.debate_rung()) is not None:
            steps.append({"step": "debate", "rung": rung})
        steps.append(
            {
                "step": "review",
                "rung": self.review_rung(),
                "participants": self.review_participants(),
            }
        )
        others = [r for r in self.ladder if not (r.starts_review or r.opens_debate)]
        steps += [{"step": "other", "rung": rung} for rung in others]
        return steps


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
    opens_debate = models.BooleanField(
        _("opens the debate"),
        default=False,
        help_text=_("Reaching this rung opens the proposal's debate room."),
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
