"""Official documents of the council, for the public repository."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ogp_portal.search_index import SearchIndexField
from ogp_portal.uploads import StoredFile


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
        "councils.Council",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("council"),
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

    search_index = SearchIndexField(title=["title"], body=["summary", "registration_number"])
    # Searched only while the whole document is public.
    search_index_body = SearchIndexField(body=["body"])

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

    @property
    def is_public(self) -> bool:
        return self.disclosure != self.Disclosure.NOT_PUBLIC


class DocumentAttachment(StoredFile):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("document")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def get_absolute_url(self) -> str:
        return reverse("councils:document_file", args=[self.document_id, self.pk])

    def folder(self) -> str:
        return "documents"
