from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffMfaMiddleware:
    """Keeps staff without a second factor out of the admin until they set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.STAFF_MFA_REQUIRED
            and request.path_info.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.is_staff
            and not request.user.authenticator_set.exists()
        ):
            messages.warning(
                request,
                _("Staff accounts need two-factor authentication before using the admin."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
