"""Open working groups and the memberships of the people who join them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.search_index import SearchIndexField

from .council import CommitteeMember, MemberCategory


class WorkingGroupQuerySet(models.QuerySet):
    def public(self):
        """Every working group has its public page."""
        return self.all()

    def led_by(self, user):
        """The groups whose lead's seat, held now, is linked to this account."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(lead__in=CommitteeMember.objects.current().filter(user=user))


class WorkingGroup(models.Model):
    """An open working group led by a civil-society member of the committee; anyone may join."""

    council = models.ForeignKey(
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="working_groups",
        verbose_name=_("council"),
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

    search_index = SearchIndexField(title=["name"], body=["purpose"])

    objects = WorkingGroupQuerySet.as_manager()

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

    @property
    def current_lead(self) -> CommitteeMember | None:
        """The lead, while the lead's seat on the committee lasts."""
        return self.lead if self.lead.is_current() else None

    def is_led_by(self, user) -> bool:
        lead = self.current_lead
        return user.is_authenticated and lead is not None and lead.user_id == user.pk


class GroupMembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(left_at__isnull=True)

    def listed(self):
        """The memberships whose members chose to have their name on the group's page."""
        return self.filter(show_name=True)


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
    show_name = models.BooleanField(
        _("name listed on the group's page"),
        default=False,
        help_text=_("Chosen by the member; other members are only counted."),
    )

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
