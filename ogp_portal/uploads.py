"""Stored uploads: the abstract model every attachment extends, its checks and its download.

A file's type is read from its content, never from its name.
"""

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
DOCUMENT_TYPES = {"application/pdf", *IMAGE_TYPES}


def sniff_content_type(upload) -> str | None:
    """The type read from the file's first bytes, whatever its name says."""
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    return kind.mime if kind else None


def _validate_size(upload) -> None:
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s.")
            % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )


def validate_attachment(upload) -> None:
    """PDF documents and images, checked by their content, within the size limit."""
    _validate_size(upload)
    if sniff_content_type(upload) not in DOCUMENT_TYPES:
        raise ValidationError(
            _("Only PDF documents and images (PNG, JPEG, GIF, WebP) are allowed.")
        )


def validate_image(upload) -> None:
    _validate_size(upload)
    if sniff_content_type(upload) not in IMAGE_TYPES:
        raise ValidationError(_("Only images (PNG, JPEG, GIF, WebP) are allowed."))


def checked_upload(upload, *, validator=validate_attachment) -> dict:
    """Validates an upload and returns the fields every stored attachment keeps."""
    validator(upload)
    return {"file": upload, "content_type": sniff_content_type(upload), "size": upload.size}


def stored_file_path(instance, filename: str) -> str:
    return f"{instance.folder()}/{filename}"


class StoredFile(models.Model):
    """An upload kept with its title, the type read from its content and its size."""

    title = models.CharField(gettext_lazy("title"), max_length=200)
    file = models.FileField(gettext_lazy("file"), upload_to=stored_file_path)
    content_type = models.CharField(gettext_lazy("content type"), max_length=60, editable=False)
    size = models.PositiveIntegerField(gettext_lazy("size in bytes"), editable=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def folder(self) -> str:
        raise NotImplementedError


def file_response(field, *, content_type: str, as_attachment: bool = True) -> FileResponse:
    """Serves a stored file under its own name with the type read from its content."""
    return FileResponse(
        field.open("rb"),
        content_type=content_type,
        as_attachment=as_attachment,
        filename=field.name.rsplit("/", 1)[-1],
    )


class CheckedUploadForm(forms.ModelForm):
    """A form for a stored upload (admin inlines too): checks the content, records type and size."""

    file_field = "file"
    validator = staticmethod(validate_attachment)

    def clean(self):
        data = super().clean()
        upload = data.get(self.file_field)
        if upload is not None and self.file_field in self.changed_data:
            try:
                self.validator(upload)
            except ValidationError as error:
                self.add_error(self.file_field, error)
        return data

    def save(self, commit=True):
        stored = super().save(commit=False)
        if self.file_field in self.changed_data:
            upload = self.cleaned_data[self.file_field]
            stored.content_type = sniff_content_type(upload)
            if hasattr(stored, "size"):
                stored.size = upload.size
        if commit:
            stored.save()
        return stored
