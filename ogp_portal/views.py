"""Views and view helpers every app shares: the language switch, and how views check people."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import i18n
from rules.contrib.views import PermissionRequiredMixin

from .predicates import is_verified


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


class RulePermissionMixin(PermissionRequiredMixin):
    """Every view's permission comes from django-rules, checked the same way.

    Visitors are sent to sign in and come back to `get_next_url()`. Where the right needs a
    verified e-mail address, the view says so in `verify_message`, and signed-in people whose
    address is not verified yet are sent to verify it with that message. Anyone else without
    the right is refused (403), unless the view says otherwise in `refuse()`.
    """

    verify_message = None

    def get_next_url(self) -> str:
        return self.request.get_full_path()

    def handle_no_permission(self):
        user = self.request.user
        if not user.is_authenticated:
            return redirect_to_login(self.get_next_url())
        if self.verify_message and not is_verified(user):
            messages.warning(self.request, self.verify_message)
            return redirect("account_email")
        return self.refuse()

    def refuse(self):
        return super().handle_no_permission()


def run_service(request, service, /, *, done: str = "", **kwargs):
    """Runs a workflow for a view: its refusal becomes an error message, its success `done`.

    Returns what the workflow returned, or None when it refused.
    """
    try:
        result = service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    if done:
        messages.success(request, done)
    return result
