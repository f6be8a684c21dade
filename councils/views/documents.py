"""The document register: a document's page and its files."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView

from ogp_portal.uploads import file_response

from ..models import Document, DocumentAttachment


class DocumentDetailView(DetailView):
    template_name = "councils/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return Document.objects.public().prefetch_related("attachments")


class DocumentFileView(View):
    """Files of documents that are not public reach the secretariat only; others find nothing."""

    def get(self, request, pk, attachment_pk):
        attachment = get_object_or_404(
            DocumentAttachment.objects.select_related("document"), pk=attachment_pk, document_id=pk
        )
        if not request.user.has_perm("councils.read_document", attachment.document):
            raise Http404
        return file_response(attachment)
