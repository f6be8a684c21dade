from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F
from django.db.models.functions import Lower
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

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _ in settings.LANGUAGES]),
                name="user_language_valid",
            ),
        ]


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
