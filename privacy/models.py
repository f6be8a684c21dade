from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """A person agreed to something at a version of the policy: what, which version, when."""

    class Kind(models.TextChoices):
        PRIVACY = "privacy", _("Collection and use of personal data")
        TERMS = "terms", _("Terms of use")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("agreed to"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("policy version"), max_length=20)
    given_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["privacy", "terms"]), name="consent_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="consent_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.version}"
