from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The audit trail: who changed what, when, from where, before and after; and the access
    records: who read personal data; both append-only."""

    name = "audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from allauth.account.signals import login_code_rejected, user_logged_in
        from allauth.mfa.signals import authentication_failed
        from django.contrib.auth.signals import user_login_failed

        from .access import on_code_failed, on_login, on_login_failed

        user_logged_in.connect(on_login, dispatch_uid="audit.access.login")
        user_login_failed.connect(on_login_failed, dispatch_uid="audit.access.login_failed")
        authentication_failed.connect(
            on_code_failed, dispatch_uid="audit.access.second_factor_failed"
        )
        login_code_rejected.connect(on_code_failed, dispatch_uid="audit.access.login_code_failed")
