from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ogp_portal.admin_site import Attention, attention_register

from . import services
from .models import Message


def _attention() -> list[Attention]:
    return [
        Attention(
            label=_("E-mails that could not be delivered"),
            count=Message.objects.filter(status=Message.Status.FAILED).count(),
            url=reverse("admin:outbox_message_changelist") + "?status__exact=failed",
        )
    ]


attention_register(_attention)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Every e-mail of the portal: what waits, what went out, what failed and can go again."""

    list_display = [
        "subject_or_key", "address", "channel", "status", "due_at", "sent_at", "attempts",
    ]  # fmt: skip
    list_filter = ["status", "channel", "kind", "composer"]
    search_fields = ["address", "subject", "key"]
    date_hierarchy = "created_at"
    # The sealed text of an account e-mail is shown to nobody, not even as ciphertext.
    exclude = ["sealed"]
    readonly_fields = [f.name for f in Message._meta.fields if f.name != "sealed"]
    actions = ["send_again"]

    @admin.display(description=_("subject"))
    def subject_or_key(self, message):
        return message.subject or message.key

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the failed e-mails again"))
    def send_again(self, request, queryset):
        count = services.messages_retry(messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued.", "%(count)d e-mails queued.", count)
            % {"count": count},
        )
