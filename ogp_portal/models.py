import copy

import rules
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .second_factors import second_factors_remove


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
            .values(
                person_id=F("pk"),
                person_email=Lower("email"),
                person_language=F("language"),
                person_channel=Value("email"),
            )
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

    @property
    def receipts_owner(self) -> str:
        """An opaque mark of this account for the vote receipts kept in the browser: a page
        whose mark differs from the one the receipts were kept under (another person, or
        nobody signed in after a session ended) makes the browser forget them."""
        return salted_hmac("vote-receipts-owner", str(self.pk)).hexdigest()[:20]

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

    def save(self, *args, **kwargs):
        promoted = (
            self.pk is not None
            and self.is_staff_account
            and type(self).objects.filter(pk=self.pk, is_staff=False, is_superuser=False).exists()
        )
        super().save(*args, **kwargs)
        if promoted:
            # A second factor set up while a citizen was set up without an invitation, perhaps
            # by whoever knew the password: a staff account enrols by invitation only
            # (`ogp_portal.enrolment`), so it starts again from one; the holder is told.
            second_factors_remove(authenticators=self.authenticator_set.all(), promoted=True)
            self.__dict__.pop("has_second_factor", None)

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


def row_lock(instance: models.Model, *fields: str) -> models.Model:
    """Locks the row of `instance` until the transaction commits and reads `fields` (every
    field by default) again from it, so a change decided on them starts from what the database
    holds now, not from what the request loaded. Returns `instance`."""
    instance.refresh_from_db(
        fields=fields or None,
        from_queryset=type(instance)._default_manager.select_for_update(),
    )
    return instance


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


class TaskRunQuerySet(models.QuerySet):
    def record_success(self, name: str) -> None:
        """One upsert: the periodic task `name` just finished without an error."""
        self.bulk_create(
            [TaskRun(name=name, succeeded_at=timezone.now())],
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["succeeded_at"],
        )


class TaskRun(models.Model):
    """When a periodic task last finished without an error, for the metrics and their alerts.

    Written by a Celery signal handler (`ogp_portal.celery`), not by the tasks themselves.
    """

    name = models.CharField(_("task"), max_length=200, unique=True)
    succeeded_at = models.DateTimeField(_("last successful run"))

    objects = TaskRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")

    def __str__(self) -> str:
        return self.name


class PageChange(models.Model):
    """A change to the records the public pages show; the highest id is the pages' version.

    Written after each change commits, so the version lives with the data: the cached pages of
    an older version are out of date whatever the cache went through (see `ogp_portal.cache`).
    """

    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("page change")
        verbose_name_plural = _("page changes")

    def __str__(self) -> str:
        return f"{self.pk}"


class StaffInvitation(models.Model):
    """A one-time link that lets a staff account set up its second factor.

    Knowing a staff password is not enough to enrol: the second factor is set up only in a
    session that opened the link sent to the account's own address (or handed over at the
    counter by another staff member). Only the link's SHA-256 is stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_invitations",
        verbose_name=_("staff account"),
    )
    token_hash = models.CharField(_("link hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("staff invitation")
        verbose_name_plural = _("staff invitations")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"
