"""Meetings of the committee and of the working groups, their agendas and notices."""

import datetime as dt

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, When, Window
from django.db.models.functions import RowNumber, TruncQuarter
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.search_index import SearchIndexField


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    AD_HOC = "ad_hoc", _("Ad hoc")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    IN_WRITING = "in_writing", _("In writing")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


# The calendar feed holds the meetings from a year back on; older years have their own files.
CALENDAR_WINDOW = dt.timedelta(days=365)


class MeetingQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published_at__isnull=False)

    def of_committee(self):
        return self.filter(group__isnull=True)

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")

    def minutes_overdue(self, now=None):
        """Published meetings that took place more than `OGP_MINUTES_WITHIN_DAYS` ago and
        still have no published minutes (cancelled and postponed meetings owe none)."""
        from django.conf import settings

        minutes = apps.get_model("councils", "Minutes")  # minutes.py builds on this module
        now = now or timezone.now()
        deadline = now - dt.timedelta(days=settings.OGP_MINUTES_WITHIN_DAYS)
        return (
            self.public()
            .filter(ends_at__lt=deadline)
            .exclude(status__in=[MeetingStatus.CANCELLED, MeetingStatus.POSTPONED])
            .exclude(Exists(minutes.objects.public().filter(meeting=OuterRef("pk"))))
        )

    def in_calendar_window(self, now=None):
        """The meetings of the calendar feed: upcoming ones and those of the last twelve months."""
        return self.filter(starts_at__gte=(now or timezone.now()) - CALENDAR_WINDOW)

    def of_year(self, year: int):
        """The meetings of a year of the calendar archive (by the local date)."""
        return self.filter(starts_at__year=year)

    def calendar_years(self) -> list[int]:
        """The years with a meeting, newest first: each has its archive calendar."""
        return [day.year for day in self.dates("starts_at", "year", order="DESC")]

    def regular_in_operating_period(self, council):
        """What the council's quarters show: of the regular meetings of its operating period,
        each quarter's latest held one, or else its latest planned one (one row a quarter)."""
        held_first = Case(When(status=MeetingStatus.HELD, then=0), default=1)
        return (
            self.filter(
                kind=MeetingKind.REGULAR,
                status__in=[MeetingStatus.HELD, MeetingStatus.PLANNED],
                starts_at__date__gte=council.operating_start,
                starts_at__date__lte=council.operating_end,
            )
            .annotate(
                rank_in_quarter=Window(
                    RowNumber(),
                    partition_by=TruncQuarter("starts_at"),
                    order_by=[held_first.asc(), F("starts_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank_in_quarter=1)
        )


class Meeting(models.Model):
    """A meeting of the committee (group empty: regular, once a quarter) or of a working group."""

    Kind = MeetingKind
    Format = MeetingFormat
    Status = MeetingStatus

    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("council"),
    )
    group = models.ForeignKey(
        "councils.WorkingGroup",
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        verbose_name=_("working group"),
        help_text=_("Empty for a meeting of the committee."),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.AD_HOC)
    format = models.CharField(
        _("format"), max_length=16, choices=Format.choices, default=Format.IN_PERSON
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(
        _("venue"), max_length=200, blank=True, help_text=_("Empty: to be decided.")
    )
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised on every published change.")
    )

    search_index = SearchIndexField(title=["title"], body=["venue"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(group__isnull=True) | Q(kind="ad_hoc"),
                name="meeting_group_meetings_ad_hoc",
            ),
        ]
        indexes = [
            models.Index(fields=["published_at", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_unrecorded(self) -> bool:
        """Planned, its date has passed, and nobody recorded whether it took place."""
        return self.is_planned and self.ends_at < timezone.now()

    @property
    def status_label(self) -> str:
        """The status as the site shows it: a planned meeting whose date has passed is not
        "planned" any more, but without a record."""
        return _("No record") if self.is_unrecorded else self.get_status_display()

    @property
    def is_postponed(self) -> bool:
        return self.status == MeetingStatus.POSTPONED

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def can_postpone(self) -> bool:
        return self.is_planned

    @property
    def can_cancel(self) -> bool:
        return self.is_planned or self.is_postponed

    @property
    def takes_minutes(self) -> bool:
        """Minutes follow a meeting that has started and was not cancelled."""
        return self.has_started and not self.is_cancelled

    def publish(self) -> None:
        if self.is_published:
            raise ValidationError(_("This meeting is already published."))
        self.published_at = timezone.now()
        self.save(update_fields=["published_at"])

    def postpone(self) -> None:
        if not self.can_postpone:
            raise ValidationError(_("Only a planned meeting can be postponed."))
        self._set_status(MeetingStatus.POSTPONED)

    def cancel(self) -> None:
        if not self.can_cancel:
            raise ValidationError(_("A held or cancelled meeting cannot change any more."))
        self._set_status(MeetingStatus.CANCELLED)

    def mark_held(self) -> None:
        """The minutes show the meeting took place."""
        if self.is_planned or self.is_postponed:
            self._set_status(MeetingStatus.HELD)

    def _set_status(self, status: str) -> None:
        self.status = status
        self.save(update_fields=["status"])

    def revise(self) -> None:
        """A published change: calendars take the meeting with its new revision number."""
        Meeting.objects.filter(pk=self.pk).update(revision=models.F("revision") + 1)
        self.refresh_from_db(fields=["revision"])

    @property
    def body_name(self) -> str:
        return self.group.name if self.group_id else str(_("Steering committee"))

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def venue_display(self) -> str:
        """Where the meeting is: an online meeting without a venue is held online, not at a
        place to be decided."""
        if not self.venue and self.format == MeetingFormat.ONLINE:
            return str(_("Online"))
        return self.venue or str(_("To be decided"))

    def set_agenda(self, titles: list[str]) -> None:
        """Replaces the agenda with these items, in this order."""
        self.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=self, order=number, title=title)
            for number, title in enumerate(titles, 1)
        )

    @property
    def organiser(self):
        """The account that runs the meeting: the group's lead (None for the committee)."""
        return self.group.lead.user if self.group_id else None

    def recipients(self):
        """Everyone with an account who sits on the meeting's body."""
        from django.contrib.auth import get_user_model

        if self.group_id:
            body = Q(
                group_memberships__group_id=self.group_id,
                group_memberships__left_at__isnull=True,
            ) | Q(committee_seats=self.group.lead_id)
        else:
            body = Q(committee_seats__in=self.seats())
        return get_user_model().objects.filter(body, is_active=True).exclude(email="").distinct()

    def seats(self):
        """The committee seats on the meeting's body: every current one, or the group's lead."""
        seats = apps.get_model("councils", "CommitteeMember")  # council.py builds on this module
        if self.group_id:
            return seats.objects.filter(pk=self.group.lead_id)
        return seats.objects.filter(council_id=self.council_id).current()

    def notice_addresses(self):
        """Every address the meeting's notices go to, one per person: each seat's contact
        e-mail (or its account's address), and the accounts of the group's members."""
        from django.contrib.auth import get_user_model

        seats = self.seats().addresses()
        if not self.group_id:
            return seats
        members = get_user_model().objects.filter(
            group_memberships__group_id=self.group_id, group_memberships__left_at__isnull=True
        )
        return members.exclude(committee_seats=self.group.lead_id).addresses().union(seats)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class NoticeKind(models.TextChoices):
    PUBLISHED = "published", _("Meeting announced")
    CHANGED = "changed", _("Meeting changed")
    POSTPONED = "postponed", _("Meeting postponed")
    CANCELLED = "cancelled", _("Meeting cancelled")
    REMINDER = "reminder", _("Meeting reminder")
    MINUTES_DUE = "minutes_due", _("Minutes reminder")
    MINUTES_CIRCULATED = "minutes_circulated", _("Minutes for comment")


class NoticeQuerySet(models.QuerySet):
    def messages(self):
        """The outbox messages of these notices, one per person."""
        from outbox.models import Message

        return Message.objects.filter(composer=Notice.COMPOSER, composer_ref__in=self.values("pk"))


class Notice(models.Model):
    """A notice to a meeting's body: which meeting, revision and kind it tells of.

    Its e-mails, one per person, are outbox messages that name it as what they are composed
    from; the outbox composes each at delivery time from the meeting as it then stands.
    """

    Kind = NoticeKind
    COMPOSER = "councils.notice"
    # Notices about the meeting itself carry its calendar entry; notices about minutes do not.
    CALENDAR_KINDS = {
        NoticeKind.PUBLISHED,
        NoticeKind.CHANGED,
        NoticeKind.POSTPONED,
        NoticeKind.CANCELLED,
        NoticeKind.REMINDER,
    }

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="notices", verbose_name=_("meeting")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    meeting_revision = models.PositiveIntegerField(_("meeting revision"))
    sequence = models.PositiveSmallIntegerField(
        _("sequence"), default=0, help_text=_("Tells apart reminders of the same kind.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "meeting_revision", "sequence"],
                name="notice_once_per_event",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.meeting}"

    @property
    def messages(self):
        """Its e-mails in the outbox, one per person."""
        return Notice.objects.filter(pk=self.pk).messages()

    @property
    def carries_calendar(self) -> bool:
        return self.kind in self.CALENDAR_KINDS

    @property
    def intro(self) -> str:
        """The notice's opening sentence, in the active language."""
        if self.kind == NoticeKind.PUBLISHED:
            return _("A meeting of %(body)s has been called.") % {"body": self.meeting.body_name}
        return {
            NoticeKind.CHANGED: _("The meeting below has changed. The details are now:"),
            NoticeKind.POSTPONED: _(
                "The meeting below has been postponed. A new date will follow."
            ),
            NoticeKind.CANCELLED: _("The meeting below has been cancelled."),
            NoticeKind.REMINDER: _("A reminder of the coming meeting:"),
            NoticeKind.MINUTES_DUE: _(
                "The minutes of this meeting are not published yet. Please post them on the portal."
            ),
            NoticeKind.MINUTES_CIRCULATED: _(
                "The draft minutes of this meeting you attended are circulated for comment. "
                "Please read them and leave your comments on the portal."
            ),
        }[self.kind]
