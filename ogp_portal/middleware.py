from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import errors


def second_factor_setup(request):
    """Sends a staff account without its second factor to set it up, saying why."""
    messages.warning(
        request,
        _("Staff powers need two-factor authentication: set it up to continue."),
    )
    return redirect("mfa_activate_totp")


class StaffMfaMiddleware:
    """Keeps staff without a second factor out of the admin until they set one up.

    On the site the rules do the same (`User.holds_staff_powers`, `RulePermissionMixin`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith("/admin/")
            and request.user.is_authenticated
            and request.user.needs_second_factor
        ):
            return second_factor_setup(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Answers 503 with Retry-After, not 500, when a view meets a database outage.

    A pool timeout or a refused connection is temporary: the visitor is asked to try again in a
    moment, in their language. Outages met outside a view reach `errors.server_error` instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if errors.is_database_unavailable(exception):
            return errors.database_unavailable(request, exception)
        return None
