"""Opinion maps: short statements written and voted on by participants, and the stored
result of grouping the participants by their votes (computed by `services.opinion_map_group`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.models import length_limit
from verification.models import Requirement

# Characters of one statement: a sentence that can be read and voted on at a glance.
STATEMENT_LIMIT = 140


class OpinionMapQuerySet(models.QuerySet):
    def public(self):
        return self.filter(opens_at__lte=Now())

    def open(self):
        return self.public().filter(closes_at__gt=Now())


class OpinionMap(Requirement):
    """A question put to participants, who write statements and vote on each other's.

    Its requirement (`Requirement`) says which verification participants need.
    """

    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), help_text=_("What the statements answer."))
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"))
    minimum_group_size = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=10,
        help_text=_("A group with fewer participants is not shown, so that nobody is singled out."),
    )

    objects = OpinionMapQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("opinion map")
        verbose_name_plural = _("opinion maps")
        constraints = [
            *Requirement.Meta.constraints,
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="opinion_map_closes_after"
            ),
            models.CheckConstraint(
                condition=Q(minimum_group_size__gte=2), name="opinion_map_group_size_minimum"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opinions:map", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at


class StatementQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden_at__isnull=True)


class Statement(models.Model):
    """One short statement of an opinion map; hidden by the staff with a reason, never edited."""

    map = models.ForeignKey(
        OpinionMap, on_delete=models.PROTECT, related_name="statements", verbose_name=_("map")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opinion_statements",
        verbose_name=_("author"),
    )
    text = models.CharField(_("statement"), max_length=STATEMENT_LIMIT)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
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

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            length_limit("opinion_statement", "text", STATEMENT_LIMIT),
            models.CheckConstraint(condition=~Q(text=""), name="opinion_statement_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="opinion_statement_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def hide(self, *, by, reason: str, at=None) -> None:
        self.hidden_at = at or timezone.now()
        self.hidden_by = by
        self.hidden_reason = reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])


class Choice(models.IntegerChoices):
    """A vote, as the number the grouping reads: agree 1, disagree -1, pass 0."""

    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class StatementVote(models.Model):
    """One participant's vote on one statement; a second vote replaces the first."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="votes", verbose_name=_("statement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="statement_votes",
        verbose_name=_("person"),
    )
    choice = models.SmallIntegerField(_("vote"), choices=Choice.choices)
    voted_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("statement vote")
        verbose_name_plural = _("statement votes")
        constraints = [
            models.UniqueConstraint(fields=["statement", "user"], name="statement_vote_once"),
            models.CheckConstraint(
                condition=Q(choice__in=Choice.values), name="statement_vote_choice_valid"
            ),
        ]
        indexes = [models.Index(fields=["user", "statement"], name="statement_vote_by_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.statement_id}"


class OpinionMapResult(models.Model):
    """The published grouping of a map's participants, which its page and open data show as it
    is; replaced only when at least the map's minimum group size of participants have voted,
    changed a vote or left since (`services.opinion_map_group`).

    `groups`: [{"label", "size", "x", "y"}], biggest first, each at least the map's minimum size.
    `statements`: [{"id", "votes", "groups": [{"agree", "disagree", "pass"}, …]}] in the order
    of `groups`. `consensus` and `divisive`: statement ids, strongest first. No participant is
    named anywhere in what is shown; `published_votes`, never shown, tells who has voted
    differently since.
    """

    map = models.OneToOneField(
        OpinionMap,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="result",
        verbose_name=_("map"),
    )
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    checked_at = models.DateTimeField(_("votes last read"), null=True, blank=True, editable=False)
    # Per participant of the published result: their id and a digest of their votes (two rows
    # of unsigned 64-bit numbers, sorted by id); None on a result published before they were kept.
    published_votes = models.BinaryField(_("votes published"), null=True, editable=False)
    participant_count = models.PositiveIntegerField(_("participants"), default=0)
    grouped_count = models.PositiveIntegerField(_("participants in a shown group"), default=0)
    groups = models.JSONField(_("groups"), default=list)
    statements = models.JSONField(_("agreement per group"), default=list)
    consensus = models.JSONField(_("statements that unite"), default=list)
    divisive = models.JSONField(_("statements that divide"), default=list)

    class Meta:
        verbose_name = _("opinion map result")
        verbose_name_plural = _("opinion map results")

    def __str__(self) -> str:
        return f"{self.map} · {self.computed_at:%Y-%m-%d %H:%M}"
