from django.conf import settings
from django.views import i18n
from django.views.generic import TemplateView

from councils.models import CommitteeMember, Council


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council = Council.objects.prefetch_related("directions").primary()
        context["council"] = council
        context["member_count"] = (
            CommitteeMember.objects.filter(council=council).current().count() if council else 0
        )
        return context


def set_language(request):
    """Django's language switch, remembered on the account so notices use the same language."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
