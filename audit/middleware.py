from allauth.account.adapter import get_adapter
from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from django.core.exceptions import PermissionDenied


class AuditMiddleware(AuditlogMiddleware):
    """Gives every audit entry of a request its actor, client address and operation.

    The client address is the one allauth's rate limits use (`get_client_ip`, which trusts
    `X-Forwarded-For` only as far as the configured proxies); the operation is the name of the
    page, or of the admin action, that the request ran.
    """

    @staticmethod
    def _get_remote_addr(request):
        try:
            return get_adapter(request).get_client_ip(request)
        except PermissionDenied:
            return None

    @staticmethod
    def _get_remote_port(request):
        return None

    @staticmethod
    def _get_actor(request):
        # Left lazy: the account is loaded when an entry is written, not on every request.
        return request.user

    def process_view(self, request, view_func, view_args, view_kwargs):
        operation = request.resolver_match.view_name
        action = request.POST.get("action") if request.method == "POST" else None
        if action and operation.startswith("admin:") and operation.endswith("_changelist"):
            operation = f"{operation} · {action}"
        elif "action" in view_kwargs:
            operation = f"{operation} · {view_kwargs['action']}"
        # The request's audit context, set up by AuditlogMiddleware.__call__ around the view.
        auditlog_value.get()["operation"] = operation[:200]
        return None
