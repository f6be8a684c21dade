"""What the public page itself keeps: the published versions of each open dataset."""

from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DatasetVersionQuerySet(models.QuerySet):
    def latest_per_dataset(self) -> dict[str, "DatasetVersion"]:
        """The latest version of each dataset, by name (one query)."""
        latest = self.values("name").annotate(number=Max("number"))
        wanted = models.Q()
        for row in latest:
            wanted |= models.Q(name=row["name"], number=row["number"])
        return {v.name: v for v in self.filter(wanted)} if latest else {}


class DatasetVersion(models.Model):
    """A new content of an open dataset, numbered from 1, seen by `dataset_versions_record`."""

    name = models.SlugField(_("dataset"), max_length=40)
    number = models.PositiveIntegerField(_("version"))
    sha256 = models.CharField(_("SHA-256 of the CSV"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    objects = DatasetVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        constraints = [
            models.UniqueConstraint(fields=["name", "number"], name="dataset_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("opendata_dataset", kwargs={"name": self.name, "extension": "csv"})
