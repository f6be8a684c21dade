"""A proposal's debate room: opened by supports, its comments, their history and reports."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ogp_portal.markdown import markdown_html, visible_text
from ogp_portal.models import bounded_text, length_limit
from opinions.models import OpinionMap

from .pipeline import Proposal

# Characters of one comment: a few paragraphs.
COMMENT_TEXT_LIMIT = 5_000
# How long after posting its author may still correct a comment (every version is kept).
COMMENT_EDIT_WINDOW = dt.timedelta(minutes=15)


class Debate(models.Model):
    """The discussion of one proposal, open from the support rung that opens it until the
    proposal leaves the pipeline."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, related_name="debate", verbose_name=_("proposal")
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    participant_count = models.PositiveIntegerField(_("participants"), default=0, editable=False)
    review_started_at = models.DateTimeField(
        _("review started by the debate"), null=True, blank=True, editable=False
    )
    opinion_map = models.ForeignKey(
        OpinionMap,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        # No index: a map's debate is never looked up from the map on a page, and an index
        # on an existing table would have to be built concurrently.
        db_index=False,
        related_name="debates",
        verbose_name=_("opinion map"),
        help_text=_("Where the participants vote on each other's short statements."),
    )

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")

    def __str__(self) -> str:
        return str(self.proposal)

    def get_absolute_url(self) -> str:
        return reverse("proposals:debate", kwargs={"pk": self.proposal_id})

    @property
    def is_open(self) -> bool:
        return not self.proposal.is_final


class DebateParticipant(models.Model):
    """One row per person who wrote in a debate: the counter of distinct participants."""

    debate = models.ForeignKey(
        Debate, on_delete=models.CASCADE, related_name="participants", verbose_name=_("debate")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="debates_joined",
        verbose_name=_("person"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("debate participant")
        verbose_name_plural = _("debate participants")
        constraints = [
            models.UniqueConstraint(fields=["debate", "user"], name="debate_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.debate}"


class CommentQuerySet(models.QuerySet):
    def threaded(self):
        """Each comment followed by its replies, oldest first: pages cut this one list."""
        return self.annotate(thread=Coalesce("parent_id", "id")).order_by("thread", "id")

    def visible(self):
        return self.filter(hidden_at__isnull=True)


class Comment(models.Model):
    """A comment in a debate, or a reply to one (one level). Hidden by the staff with a reason
    shown in its place; corrected by its author for a short while, every version kept."""

    debate = models.ForeignKey(
        Debate, on_delete=models.PROTECT, related_name="comments", verbose_name=_("debate")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="debate_comments",
        verbose_name=_("author"),
    )
    body = bounded_text(
        _("comment"), COMMENT_TEXT_LIMIT, help_text=_("Markdown: **bold**, *italic*, lists, links.")
    )
    # The text as the debate page shows it, rendered and sanitised once when it is written
    # (`write`), so that a page of comments renders no Markdown.
    body_html = models.TextField(editable=False, default="")
    is_official = models.BooleanField(
        _("official answer"), default=False, help_text=_("An answer of the secretariat.")
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
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

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            length_limit("debate_comment", "body", COMMENT_TEXT_LIMIT),
            models.CheckConstraint(
                condition=Q(body="") | ~Q(body_html=""), name="debate_comment_body_rendered"
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="debate_comment_hidden_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="debate_comment_not_its_own_parent",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(is_official=False),
                name="debate_official_answer_not_a_reply",
            ),
        ]
        indexes = [
            models.Index(
                F("debate"), Coalesce("parent", "id"), F("id"), name="debate_comment_thread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.debate} · {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return f"{self.debate.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def is_editable_at(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_hidden and now - self.created_at <= COMMENT_EDIT_WINDOW

    @property
    def is_editable(self) -> bool:
        return self.is_editable_at()

    def write(self, body: str) -> None:
        """Sets the text and the HTML the page shows of it; a text of which nothing would show
        (only HTML tags, which are not kept) is refused."""
        html = markdown_html(body)
        if body.strip() and not visible_text(strip_tags(html)):
            raise ValidationError(
                gettext("Nothing of this text would show: HTML is not kept. Write it as text.")
            )
        self.body = body
        self.body_html = html

    def edit(self, body: str, *, at=None) -> "CommentRevision":
        """The author's correction: the text before it is kept and listed under the comment."""
        at = at or timezone.now()
        revision = CommentRevision.objects.create(comment=self, body=self.body, replaced_at=at)
        self.write(body)
        self.edited_at = at
        self.save(update_fields=["body", "body_html", "edited_at"])
        return revision

    def hide(self, *, by, reason: str, at=None) -> None:
        self.hidden_at = at or timezone.now()
        self.hidden_by = by
        self.hidden_reason = reason
        self.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])


class CommentRevision(models.Model):
    """A comment's text as it stood before its author corrected it."""

    comment = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("comment")
    )
    body = models.TextField(_("text before the correction"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        ordering = ["replaced_at", "pk"]
        verbose_name = _("comment revision")
        verbose_name_plural = _("comment revisions")

    def __str__(self) -> str:
        return f"{self.comment} · {self.replaced_at:%Y-%m-%d %H:%M}"


class CommentReport(models.Model):
    """A person's report that a comment breaks the rules; the staff decide."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("comment")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="comment_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.comment}"
