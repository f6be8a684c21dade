"""Department reviews of proposals."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .pipeline import Proposal


class Review(models.Model):
    """A department's review of a proposal; its internal notes stay with the staff."""

    class Recommendation(models.TextChoices):
        PENDING = "pending", _("Pending")
        ADOPT = "adopt", _("Adopt")
        ADOPT_PARTLY = "adopt_partly", _("Adopt in part")
        FOLD = "fold", _("Fold into another proposal")
        DECLINE = "decline", _("Do not adopt")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("proposal")
    )
    department = models.CharField(
        _("department"),
        max_length=100,
        blank=True,
        help_text=_("Empty while the secretariat has not yet assigned the review."),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    starts_on = models.DateField(_("review starts"))
    ends_on = models.DateField(_("review ends"))
    opinion = models.TextField(_("opinion"), blank=True, help_text=_("Public."))
    recommendation = models.CharField(
        _("recommendation"),
        max_length=16,
        choices=Recommendation.choices,
        default=Recommendation.PENDING,
    )
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Seen by the secretariat only.")
    )

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("department review")
        verbose_name_plural = _("department reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="review_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(
                    recommendation__in=["pending", "adopt", "adopt_partly", "fold", "decline"]
                ),
                name="review_recommendation_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.department} · {self.proposal}"
