"""Official documents and their files."""

from django.contrib import admin

from ogp_portal.admin import (
    UploadInline,
)

from ..models import (
    Document,
    DocumentAttachment,
)


class DocumentAttachmentInline(UploadInline):
    model = DocumentAttachment


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """The repository; documents that are not public never reach the site."""

    list_display = ["registration_number", "title", "date", "issuing_office", "disclosure"]
    list_filter = ["disclosure", "issuing_office"]
    search_fields = ["registration_number", "title", "summary"]
    date_hierarchy = "date"
    inlines = [DocumentAttachmentInline]
