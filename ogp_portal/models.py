import copy

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class UserQuerySet(models.QuerySet):
    def secretariat(self):
        """The staff who run the council: they hear of thresholds, drifts and alarms."""
        return self.filter(is_staff=True, is_active=True)

    def addresses(self):
        """Where these accounts are reached: the rows the outbox fans a message out to."""
        return (
            self.filter(is_active=True)
            .exclude(email="")
            .order_by()
            .values(person_id=F("pk"), person_email=Lower("email"), person_language=F("language"))
        )


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person with a portal account; notices reach them in their own language."""

    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    privacy_version = models.CharField(
        _("privacy policy agreed to"),
        max_length=20,
        blank=True,
        default="",
        editable=False,
        help_text=_("The version of the last consent recorded; sign-in asks again when it is old."),
    )
    display_name = models.CharField(
        _("public name"),
        max_length=40,
        blank=True,
        help_text=_(
            "Shown beside what the person does in public (proposals, comments, attendance) "
            "and in e-mail greetings; chosen by the person, never taken from the e-mail address."
        ),
    )
    deleted_at = models.DateTimeField(
        _("account deleted"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The person deleted the account: the row stays, emptied of personal data."),
    )

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _ in settings.LANGUAGES]),
                name="user_language_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(deleted_at__isnull=True)
                | models.Q(is_active=False, email="", first_name="", last_name="", display_name=""),
                name="user_deleted_is_emptied",
            ),
        ]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def public_name(self) -> str:
        """The name shown beside what the person did and in greetings: the one they chose;
        never the account name nor anything of the e-mail address."""
        if self.is_deleted:
            return str(_("Former member"))
        return self.display_name or self.get_full_name() or str(_("A participant"))

    def has_perm(self, perm, obj=None) -> bool:
        """The site's permissions are the rules' alone: being superuser passes none of them.

        A rule names who may (`rules.py`): the owner, the lead, or the secretariat with its
        second factor; so nobody edits a citizen's proposal or a lead's minutes through their
        own form by being superuser. Django's model permissions (the admin's) keep the usual
        answer; the admin itself opens to staff only with their second factor.
        """
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @property
    def is_staff_account(self) -> bool:
        return self.is_staff or self.is_superuser

    @cached_property
    def has_second_factor(self) -> bool:
        return self.authenticator_set.exists()

    @property
    def holds_staff_powers(self) -> bool:
        """Staff powers on the site and in the admin need the second factor.

        Without it (where `STAFF_MFA_REQUIRED` holds, as in production) a staff account is a
        plain citizen on the site and is sent to set the second factor up when it asks for more.
        """
        return (
            self.is_active
            and self.is_staff_account
            and (self.has_second_factor or not settings.STAFF_MFA_REQUIRED)
        )

    @property
    def needs_second_factor(self) -> bool:
        return self.is_active and self.is_staff_account and not self.holds_staff_powers

    def with_second_factor(self) -> "User":
        """This account as it would be with its second factor: what it would be allowed."""
        probe = copy.copy(self)
        probe.has_second_factor = True
        return probe


def bounded_text(label, limit: int, **options) -> models.TextField:
    """A text people write on the site, kept to `limit` characters: the form says so with
    the count (no `maxlength` that would cut a paste short), the database holds the same
    limit through `length_limit`."""
    return models.TextField(label, validators=[MaxLengthValidator(limit)], **options)


def length_limit(model: str, field: str, limit: int) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit), name=f"{model}_{field}_length"
    )


class FormSubmission(models.Model):
    """A form that creates something, taken once: its one-time token and what it made.

    A second post of the same rendered form (a double click, a reload, a retry after an error
    page) finds the token and leads to the first one's result instead of making another.
    """

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    result_url = models.CharField(_("result"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.token)
