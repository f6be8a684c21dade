import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stored_file_path(instance, filename: str) -> str:
    return f"{instance.folder()}/{filename}"


class StoredFile(models.Model):
    """An upload kept with its title, the type read from its content and its size."""

    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=stored_file_path)
    content_type = models.CharField(_("content type"), max_length=60, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        raise NotImplementedError


class CouncilQuerySet(models.QuerySet):
    def primary(self):
        """The council this portal serves (the first one set up), or None."""
        return self.order_by("pk").first()


class Council(models.Model):
    """The public–private OGP council: its name, operating period and directions."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    operating_start = models.DateField(_("operating period start"))
    operating_end = models.DateField(_("operating period end"))
    meeting_rules = models.TextField(_("meeting rules"), blank=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.CheckConstraint(
                condition=Q(operating_end__gte=models.F("operating_start")),
                name="council_operating_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("councils:committee")

    def quarters(self, meetings) -> list[dict]:
        """Every quarter of the operating period and its regular committee meeting, if any.

        `meetings` are the council's committee meetings, already loaded by the caller.
        """
        today = timezone.localdate()
        regular = [m for m in meetings if m.kind == MeetingKind.REGULAR]
        rows = []
        year, quarter = self.operating_start.year, (self.operating_start.month - 1) // 3 + 1
        while dt.date(year, quarter * 3 - 2, 1) <= self.operating_end:
            start = dt.date(year, quarter * 3 - 2, 1)
            end = dt.date(year + quarter // 4, quarter % 4 * 3 + 1, 1) - dt.timedelta(days=1)
            in_quarter = [
                m for m in regular if start <= timezone.localtime(m.starts_at).date() <= end
            ]
            held = next((m for m in in_quarter if m.status == MeetingStatus.HELD), None)
            planned = next((m for m in in_quarter if m.status == MeetingStatus.PLANNED), None)
            if held:
                state = "held"
            elif end < today:
                state = "missed"
            elif planned:
                state = "planned"
            elif start <= today:
                state = "due"
            else:
                state = "upcoming"
            rows.append(
                {
                    "year": year,
                    "quarter": quarter,
                    "start": start,
                    "end": end,
                    "meeting": held or planned,
                    "state": state,
                }
            )
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return rows


class Direction(models.Model):
    """One of the council's guiding directions (organisation, participation, communication)."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="directions", verbose_name=_("council")
    )
    keyword = models.CharField(_("keyword"), max_length=40)
    description = models.TextField(_("description"))
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["display_order"]
        verbose_name = _("direction")
        verbose_name_plural = _("directions")
        constraints = [
            models.UniqueConstraint(fields=["council", "keyword"], name="direction_unique_keyword"),
        ]

    def __str__(self) -> str:
        return self.keyword


class MemberCategory(models.TextChoices):
    CITY = "city", _("City")
    EXPERT_INSTITUTION = "expert_institution", _("Expert institution")
    EXPERT = "expert", _("Expert")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    BUSINESS = "business", _("Business")


class CommitteeMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gt=on), term_start__lte=on)

    def past(self, on=None):
        on = on or timezone.localdate()
        return self.filter(term_end__lte=on)


class CommitteeMember(models.Model):
    """A seat on the steering committee, held for a term; ending a term keeps the record."""

    Category = MemberCategory

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="members", verbose_name=_("council")
    )
    category = models.CharField(_("category"), max_length=32, choices=MemberCategory.choices)
    affiliation = models.CharField(_("affiliation"), max_length=200)
    position = models.CharField(_("position"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=100)
    note = models.CharField(_("role note"), max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_seats",
        verbose_name=_("portal account"),
        help_text=_("Links the seat to a sign-in account, e.g. to let a lead manage a group."),
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(
        _("term ended on"), null=True, blank=True, help_text=_("Empty while the term runs.")
    )

    objects = CommitteeMemberQuerySet.as_manager()

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=MemberCategory.values),
                name="committee_member_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="committee_member_term_ordered",
            ),
            models.UniqueConstraint(
                fields=["council", "name", "affiliation", "term_start"],
                name="committee_member_unique_term",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.affiliation})"

    @property
    def is_government(self) -> bool:
        return self.category == MemberCategory.CITY

    def end_term(self, on=None) -> None:
        self.term_end = on or timezone.localdate()
        self.save(update_fields=["term_end"])


class WorkingGroup(models.Model):
    """An open working group led by a civil-society member of the committee; anyone may join."""

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("council")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    purpose = models.TextField(_("purpose"))
    area = models.CharField(_("action-plan area"), max_length=100)
    lead = models.ForeignKey(
        CommitteeMember,
        on_delete=models.PROTECT,
        related_name="led_groups",
        verbose_name=_("lead"),
        limit_choices_to={"category": MemberCategory.CIVIL_SOCIETY},
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="GroupMembership",
        related_name="working_groups",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="working_group_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The lead rule spans two tables, so the database cannot check it: every save does.
        self.clean()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("councils:group_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.lead_id and self.lead.category != MemberCategory.CIVIL_SOCIETY:
            raise ValidationError(
                {"lead": _("A working group is led by a civil-society member of the committee.")}
            )

    def is_led_by(self, user) -> bool:
        """Only while the lead's seat on the committee lasts."""
        return (
            user.is_authenticated
            and self.lead.user_id == user.pk
            and (self.lead.term_end is None or self.lead.term_end > timezone.localdate())
        )


class GroupMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)


class GroupMembership(models.Model):
    """A person's membership of a group; leaving keeps the record with its end."""

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("working group"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("person"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_at__isnull=True),
                name="group_membership_one_active",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True) | Q(left_at__gte=models.F("joined_at")),
                name="group_membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.group}"


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


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def of_committee(self):
        return self.filter(group__isnull=True)

    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")


class Meeting(models.Model):
    """A meeting of the committee (group empty: regular, once a quarter) or of a working group."""

    Kind = MeetingKind
    Format = MeetingFormat
    Status = MeetingStatus

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("council")
    )
    group = models.ForeignKey(
        WorkingGroup,
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
        indexes = [models.Index(fields=["published_at", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def body_name(self) -> str:
        return self.group.name if self.group_id else str(_("Steering committee"))

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def venue_display(self) -> str:
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
        """Everyone who sits on the meeting's body and has an account to reach."""
        from django.contrib.auth import get_user_model

        if self.group_id:
            body = Q(
                group_memberships__group_id=self.group_id,
                group_memberships__left_at__isnull=True,
            ) | Q(committee_seats=self.group.lead_id)
        else:
            seats = CommitteeMember.objects.filter(council_id=self.council_id).current()
            body = Q(committee_seats__in=seats)
        return get_user_model().objects.filter(body, is_active=True).exclude(email="").distinct()


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
    body = models.TextField(_("minutes"), help_text=_("Markdown."))
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("Markdown."))
    action_items = models.TextField(_("action items"), blank=True, help_text=_("Markdown."))
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
        CommitteeMember,
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

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "circulated", "approved", "published"]),
                name="minutes_status_valid",
            ),
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
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

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

    def folder(self) -> str:
        return f"minutes/{self.minutes_id}"


class NoticeKind(models.TextChoices):
    PUBLISHED = "published", _("Meeting announced")
    CHANGED = "changed", _("Meeting changed")
    POSTPONED = "postponed", _("Meeting postponed")
    CANCELLED = "cancelled", _("Meeting cancelled")
    REMINDER = "reminder", _("Meeting reminder")
    MINUTES_DUE = "minutes_due", _("Minutes reminder")
    MINUTES_CIRCULATED = "minutes_circulated", _("Minutes for comment")


class NoticeStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    VOID = "void", _("No longer needed")


class NoticeQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(status=NoticeStatus.PENDING, due_at__lte=now or timezone.now()).order_by(
            "due_at"
        )


class Notice(models.Model):
    """One e-mail to one person about one meeting: written first, then delivered exactly once."""

    Kind = NoticeKind
    Status = NoticeStatus

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="notices", verbose_name=_("meeting")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    meeting_revision = models.PositiveIntegerField(_("meeting revision"))
    sequence = models.PositiveSmallIntegerField(
        _("sequence"), default=0, help_text=_("Tells apart reminders of the same kind.")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    due_at = models.DateTimeField(_("due"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "recipient", "kind", "meeting_revision", "sequence"],
                name="notice_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="notice_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=NoticeStatus.values), name="notice_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


class DocumentQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(disclosure=Document.Disclosure.NOT_PUBLIC)


class Document(models.Model):
    """An official document of the council, with its registration and approval line."""

    class Disclosure(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTLY_PUBLIC = "partly_public", _("Partly public")
        NOT_PUBLIC = "not_public", _("Not public")

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="documents", verbose_name=_("council")
    )
    title = models.CharField(_("title"), max_length=300)
    registration_number = models.CharField(_("registration number"), max_length=60, unique=True)
    date = models.DateField(_("registration date"))
    issuing_office = models.CharField(_("issuing office"), max_length=100)
    drafter = models.CharField(_("drafted by"), max_length=100, blank=True)
    reviewer = models.CharField(_("reviewed by"), max_length=100, blank=True)
    approver = models.CharField(_("approved by"), max_length=100, blank=True)
    disclosure = models.CharField(
        _("disclosure"), max_length=16, choices=Disclosure.choices, default=Disclosure.PUBLIC
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("The document's text, if public."))
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(disclosure__in=["public", "partly_public", "not_public"]),
                name="document_disclosure_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("councils:document_detail", kwargs={"pk": self.pk})


class DocumentAttachment(StoredFile):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("document")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def folder(self) -> str:
        return f"documents/{self.document_id}"


class TimelineEntry(models.Model):
    """A step of the action-plan work recorded by the secretariat (the portal adds its own)."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("council")
    )
    title = models.CharField(_("what"), max_length=300)
    details = models.TextField(_("details"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    ongoing = models.BooleanField(_("ongoing"), default=False)
    precision = models.CharField(
        _("date precision"),
        max_length=8,
        default="day",
        choices=[("day", _("Day")), ("month", _("Month"))],
    )
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)

    class Meta:
        ordering = ["starts_on", "display_order"]
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")

    def __str__(self) -> str:
        return self.title
