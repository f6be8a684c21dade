"""The council, its directions, the seats of its steering committee and its timeline."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.search_index import SearchIndexField
from outbox.numbers import mobile_number_validator

from .meetings import MeetingKind, MeetingStatus


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

    def quarters(self, meetings) -> list["Quarter"]:
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
            planned = next((m for m in in_quarter if m.is_planned), None)
            if held:
                state = QuarterState.HELD
            elif end < today:
                state = QuarterState.MISSED
            elif planned:
                state = QuarterState.PLANNED
            elif start <= today:
                state = QuarterState.DUE
            else:
                state = QuarterState.UPCOMING
            rows.append(Quarter(year, quarter, start, end, held or planned, state))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
        return rows


class QuarterState(models.TextChoices):
    HELD = "held", _("Held")
    PLANNED = "planned", _("Planned")
    MISSED = "missed", _("Not recorded as held")
    DUE = "due", _("Due")
    UPCOMING = "upcoming", _("Upcoming")


@dataclass(frozen=True)
class Quarter:
    """A quarter of the operating period and where its regular committee meeting stands."""

    year: int
    quarter: int
    start: dt.date
    end: dt.date
    meeting: object
    state: QuarterState

    @property
    def is_due(self) -> bool:
        return self.state == QuarterState.DUE

    @property
    def is_held(self) -> bool:
        return self.state == QuarterState.HELD

    @property
    def is_missed(self) -> bool:
        return self.state == QuarterState.MISSED

    @property
    def explanation(self) -> str:
        """Why a quarter stands where it does, for the ones that need an answer."""
        if self.state == QuarterState.MISSED and self.meeting:
            return _(
                "The quarter has ended and its regular meeting of %(date)s is still recorded "
                "as planned, not as held: the secretariat marks it held, with its minutes, or "
                "cancelled."
            ) % {"date": timezone.localdate(self.meeting.starts_at).isoformat()}
        if self.state == QuarterState.MISSED:
            return _(
                "The quarter has ended with no regular committee meeting recorded as held on "
                "the portal (extraordinary and working-group meetings do not count)."
            )
        if self.state == QuarterState.DUE:
            return _("This quarter has started and no regular meeting is planned yet.")
        return ""


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
    def public(self, on=None):
        """The seats the committee page shows: current ones and, on request, past ones."""
        return self.filter(term_start__lte=on or timezone.localdate())

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gt=on), term_start__lte=on)

    def past(self, on=None):
        on = on or timezone.localdate()
        return self.filter(term_end__lte=on)

    def addresses(self):
        """Where each seat's notices go: its contact e-mail, else its active account's address,
        else its contact mobile number (by KakaoTalk 알림톡, which falls back to a text).

        The same rows as `User.objects.addresses()`, for the outbox's fan-out.
        """
        account_email = Case(When(user__is_active=True, then="user__email"))
        email = Lower(Coalesce(NullIf("contact_email", Value("")), account_email))
        # The columns in the order of `User.objects.addresses()`: the outbox unites the two.
        return (
            self.annotate(notice_email=NullIf(email, Value("")))
            .annotate(
                person_id=F("user_id"),
                person_email=Coalesce("notice_email", "contact_mobile"),
                person_language=Coalesce("user__language", Value(settings.LANGUAGE_CODE)),
                person_channel=Case(
                    When(notice_email__isnull=True, then=Value("alimtalk")),
                    default=Value("email"),
                ),
            )
            .exclude(person_email__isnull=True)
            .exclude(person_email="")
            .order_by()
            .values("person_id", "person_email", "person_language", "person_channel")
        )

    def unreachable(self):
        """Seats no notice can reach: no contact e-mail or mobile, no active account with one."""
        return self.filter(contact_email="", contact_mobile="").exclude(
            Q(user__is_active=True) & ~Q(user__email="")
        )


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
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_(
            "Private: only the secretariat sees it. Meeting notices go here, or to the "
            "linked account's address when this is empty."
        ),
    )
    contact_mobile = models.CharField(
        _("contact mobile number"),
        max_length=20,
        blank=True,
        validators=[mobile_number_validator],
        help_text=_(
            "Private: only the secretariat sees it. For a member without e-mail: meeting "
            "notices go here by KakaoTalk 알림톡 (or a text message)."
        ),
    )
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

    search_index = SearchIndexField(title=["name"], body=["affiliation", "position", "note"])

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
    def notice_address(self) -> str:
        """Where this seat's notices go ("" when none can); the rule of `addresses()`."""
        if self.contact_email:
            return self.contact_email.lower()
        if self.user_id and self.user.is_active and self.user.email:
            return self.user.email.lower()
        return self.contact_mobile

    @property
    def is_government(self) -> bool:
        return self.category == MemberCategory.CITY

    def is_current(self, on=None) -> bool:
        """The seat is held on that day (today by default); the same rule as `current()`."""
        on = on or timezone.localdate()
        return self.term_start <= on and (self.term_end is None or self.term_end > on)

    def end_term(self, on=None) -> None:
        """Ends the seat's term; its contact address served the term only and goes with it."""
        self.term_end = on or timezone.localdate()
        self.contact_email = ""
        self.contact_mobile = ""
        self.save(update_fields=["term_end", "contact_email", "contact_mobile"])


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
