"""The minutes of a meeting: their workflow, corrections, comments and attachments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.models import bounded_text, length_limit
from ogp_portal.search_index import SearchIndexField
from ogp_portal.uploads import StoredFile

from .meetings import Meeting

# Characters: minutes of a long meeting, each of their three parts; a comment on them.
MINUTES_TEXT_LIMIT = 100_000
COMMENT_LIMIT = 4_000


class MinutesQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Minutes.Status.PUBLISHED)


class Minutes(models.Model):
    """The record of a meeting: draft → circulated → approved → published, then only corrected."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comment")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    NEXT_STATUS = {
        Status.DRAFT: Status.CIRCULATED,
        Status.CIRCULATED: Status.APPROVED,
        Status.APPROVED: Status.PUBLISHED,
    }

    meeting = models.OneToOneField(
        Meeting, on_delete=models.PROTECT, related_name="minutes", verbose_name=_("meeting")
    )
    body = bounded_text(_("minutes"), MINUTES_TEXT_LIMIT, help_text=_("Markdown."))
    decisions = bounded_text(
        _("decisions"), MINUTES_TEXT_LIMIT, blank=True, help_text=_("Markdown.")
    )
    action_items = bounded_text(
        _("action items"), MINUTES_TEXT_LIMIT, blank=True, help_text=_("Markdown.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="attended_minutes",
        verbose_name=_("attendees (accounts)"),
    )
    attending_members = models.ManyToManyField(
        "councils.CommitteeMember",
        blank=True,
        related_name="attended_minutes",
        verbose_name=_("attending committee members"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    search_index = SearchIndexField(body=["body", "decisions", "action_items"])

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "circulated", "approved", "published"]),
                name="minutes_status_valid",
            ),
            length_limit("minutes", "body", MINUTES_TEXT_LIMIT),
            length_limit("minutes", "decisions", MINUTES_TEXT_LIMIT),
            length_limit("minutes", "action_items", MINUTES_TEXT_LIMIT),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="minutes_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.meeting)

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting_detail", kwargs={"pk": self.meeting_id}) + "#minutes"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_circulated(self) -> bool:
        return self.status == self.Status.CIRCULATED

    @property
    def steps(self) -> list[tuple[str, str]]:
        """The workflow for the step indicator: (label, state), the state "done", "active"
        (where the minutes stand) or "" (ahead)."""
        order = list(self.Status)
        at = order.index(self.status)
        return [
            (status.label, "done" if i < at else "active" if i == at else "")
            for i, status in enumerate(order)
        ]

    @property
    def next_step(self) -> str:
        """What advancing does, as the organiser's button says it; empty once published."""
        return {
            self.Status.DRAFT: _("Circulate to attendees"),
            self.Status.CIRCULATED: _("Approve"),
            self.Status.APPROVED: _("Publish the minutes"),
        }.get(self.status, "")

    def advance(self) -> None:
        """Moves one step along the workflow; no step can be skipped."""
        try:
            self.status = self.NEXT_STATUS[self.status]
        except KeyError:
            raise ValidationError(_("Published minutes can only be corrected.")) from None
        stamp = {
            self.Status.CIRCULATED: "circulated_at",
            self.Status.APPROVED: "approved_at",
            self.Status.PUBLISHED: "published_at",
        }[self.status]
        setattr(self, stamp, timezone.now())
        self.save(update_fields=["status", stamp])


class MinutesRevision(models.Model):
    """A dated, visible correction of published minutes, with its reason."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("minutes")
    )
    number = models.PositiveSmallIntegerField(_("revision"))
    previous_body = models.TextField(_("text before the correction"))
    previous_decisions = models.TextField(_("decisions before the correction"), blank=True)
    previous_action_items = models.TextField(_("action items before the correction"), blank=True)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("corrected"), default=timezone.now)

    class Meta:
        ordering = ["number"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "number"], name="minutes_revision_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} · {self.number}"


class MinutesComment(models.Model):
    """An attendee's comment on circulated draft minutes, read by the organisers."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="comments", verbose_name=_("minutes")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = bounded_text(_("comment"), COMMENT_LIMIT)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        constraints = [length_limit("minutes_comment", "body", COMMENT_LIMIT)]

    def __str__(self) -> str:
        return f"{self.author} · {self.minutes}"


class MinutesAttachment(StoredFile):
    """A PDF or image attached to minutes; its type is checked from its content."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.PROTECT, related_name="attachments", verbose_name=_("minutes")
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        return reverse("councils:attachment_download", args=[self.minutes.meeting_id, self.pk])

    def folder(self) -> str:
        return "minutes"
