from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .inventory import inventory

# What a person may still reach before agreeing: the policy itself, their data, signing out.
# The admin is the secretariat's workplace, where staff work under their duties, not by consent.
OPEN_NAMESPACES = {"privacy", "admin"}
OPEN_VIEWS = {"account_logout", "account_reauthenticate", "set_language"}


class PrivacyConsentMiddleware:
    """Asks a signed-in person for consent when the policy changed since they last agreed.

    The account holds the version of its last consent, so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.privacy_version == inventory().version:
            return None
        match = request.resolver_match
        if match.namespace in OPEN_NAMESPACES or match.url_name in OPEN_VIEWS:
            return None
        if request.method != "GET":
            return redirect("privacy:consent")
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('privacy:consent')}?{query}")
