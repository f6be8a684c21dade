"""How django-allauth fits the portal: account e-mails through the outbox, social sign-in
only where the secretariat set it up."""

import time
import uuid

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from outbox.seal import seal_data, unseal_data
from outbox.services import mail_write


def client_ip(request) -> str:
    """The client's address, for every rate limit of the site (allauth's and the portal's)."""
    return get_adapter(request).get_client_ip(request)


class AccountAdapter(DefaultAccountAdapter):
    def pre_authenticate(self, request, **credentials) -> None:
        """allauth's limit of failed sign-ins refuses before the password is checked, so the
        attempt would send no `user_login_failed`: sent here, with the login only, so that an
        attempt on a staff account past the limit is recorded all the same."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            login = {k: credentials[k] for k in ("email", "username") if credentials.get(k)}
            user_login_failed.send(sender=type(self), credentials=login, request=request)
            raise

    def get_client_ip(self, request) -> str:
        """The address the trusted proxies saw, or the peer's when the request bypassed them.

        One setting source: `ALLAUTH_TRUSTED_CLIENT_IP_HEADER` (a header the proxy sets, such as
        X-Real-IP) or `ALLAUTH_TRUSTED_PROXY_COUNT` (how many proxies of ours append to
        X-Forwarded-For); with neither, forwarded headers are ignored and REMOTE_ADDR is the
        client. A request that lacks the header, or has fewer forwarded addresses than proxies,
        did not come through them all: its peer is the client.
        """
        try:
            return super().get_client_ip(request)
        except (ImproperlyConfigured, PermissionDenied):
            return request.META["REMOTE_ADDR"]

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A password given at sign-in a few minutes ago counts as given: setting up the
        second factor right after signing in does not ask for it a second time."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        return not any(
            time.time() - record["at"] < account_settings.REAUTHENTICATION_TIMEOUT
            for record in records
            if record.get("method") == "password"
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Queues the e-mail: a slow or failing mail server never fails sign-up or sign-in."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                # None when a mail is written after its request (a commit's callback).
                "current_site": get_current_site(request) if request is not None else None,
                "site_url": settings.SITE_URL,
                **context,
            },
        )
        user = context.get("user")
        mail_write(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
            message=message,
            recipient=user if getattr(user, "pk", None) else None,
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        """A notice of a change to the account (password, address, second factor): its outbox
        row names the account, so that deleting the account empties it too."""
        super().send_notification_mail(
            template_prefix, user, {"user": user, **(context or {})}, email
        )

    def format_email_subject(self, subject: str) -> str:
        return f"[{_('Gwangju OGP Council')}] {subject}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Kakao and Naver are installed but work only once staff add their keys in the admin.

    Of what they send, only the member number is kept (and the e-mail address, on the account):
    their profile (name, picture, age, gender…) is not stored.
    """

    def populate_user(self, request, sociallogin, data):
        """The sign-up form's public name starts as the name or nickname the provider gave."""
        user = super().populate_user(request, sociallogin, data)
        profile = sociallogin.account.extra_data or {}
        profile = profile.get("response", profile)  # Naver's profile: name, nickname
        given = (
            data.get("name")
            or data.get("username")  # Kakao's nickname
            or profile.get("nickname")
            or profile.get("name")
            or ""
        )
        user.display_name = "" if "@" in given else given[:40]
        return user

    def pre_social_login(self, request, sociallogin):
        account = sociallogin.account
        account.extra_data = {"id": account.uid}
        if account.pk:
            account.save(update_fields=["extra_data"])

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # Not set up yet: the sign-in page offers no button, and its address is not found.
            raise Http404 from None


# Second factors' secrets (the TOTP key, the recovery codes' seed) are stored sealed, as the
# outbox's account e-mails and the sessions are: a copy of the database and a stolen password do
# not pass the second factor. Secrets stored before they were sealed were sealed by migration
# (ogp_portal 0010). A secret that is not sealed, or whose seal no key opens, was not written
# by the portal (typed into the database, say): it passes nothing, not even as an empty key.
SEALED_PREFIX = "sealed:"


class UnsealedSecret(ValueError):
    pass


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return SEALED_PREFIX + seal_data(text)

    def decrypt(self, encrypted_text: str) -> str:
        secret = None
        if encrypted_text.startswith(SEALED_PREFIX):
            secret = unseal_data(encrypted_text.removeprefix(SEALED_PREFIX))
        if not isinstance(secret, str) or not secret:
            raise UnsealedSecret("a second factor's secret not sealed by the portal")
        return secret


class RefusalSignalledMixin:
    """allauth's limit of wrong authenticator codes (5 in 5 minutes per account) refuses before
    the code is checked, so the attempt would send no `authentication_failed`: sent here,
    marked `refused`, to the account's main authenticator as allauth's own is (a TOTP before
    recovery codes), so that an attempt past the limit is recorded all the same, as
    `AccountAdapter.pre_authenticate` does for passwords."""

    reauthentication = False

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError as error:
            if error.code == "too_many_login_attempts":
                self._refusal_signal()
            raise

    def _refusal_signal(self) -> None:
        factors = Authenticator.objects.filter(user=self.user).exclude(
            type=Authenticator.Type.WEBAUTHN
        )
        main = min(factors, key=lambda f: f.type != Authenticator.Type.TOTP, default=None)
        if main is not None:
            mfa_signals.authentication_failed.send(
                sender=Authenticator,
                request=allauth_context.request,
                user=self.user,
                authenticator=main,
                reauthentication=self.reauthentication,
                refused=True,
            )


class MfaAuthenticateForm(RefusalSignalledMixin, AuthenticateForm):
    pass


class MfaReauthenticateForm(RefusalSignalledMixin, ReauthenticateForm):
    reauthentication = True


def _key_answer_refused() -> ValidationError:
    return get_mfa_adapter().validation_error("incorrect_code")


class KeyFailureSignalledMixin:
    """allauth sends no `authentication_failed` when a security key's answer fails (a key not
    registered to the account, an answer to another challenge, past the limit): sent here, as
    for a wrong code, so that the access records hold it. An answer missing a part (`rawId`,
    `response`), which fido2 reads unchecked (a KeyError, a 500), is refused as a wrong one.
    A sign-in by key alone names no account until the key is checked, and sends none."""

    reauthentication = False

    def clean_credential(self):
        try:
            return super().clean_credential()
        except (KeyError, ValidationError) as error:
            keys = Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN)
            if self.user is not None and (key := keys.filter(user=self.user).first()):
                mfa_signals.authentication_failed.send(
                    sender=Authenticator,
                    request=allauth_context.request,
                    user=self.user,
                    authenticator=key,
                    reauthentication=self.reauthentication,
                    refused=getattr(error, "code", "") == "too_many_login_attempts",
                )
            if isinstance(error, KeyError):
                raise _key_answer_refused() from error
            raise


class MfaAuthenticateWebAuthnForm(KeyFailureSignalledMixin, AuthenticateWebAuthnForm):
    pass


class MfaReauthenticateWebAuthnForm(KeyFailureSignalledMixin, ReauthenticateWebAuthnForm):
    reauthentication = True


class MfaAddWebAuthnForm(AddWebAuthnForm):
    def clean(self) -> dict:
        try:
            return super().clean()
        except KeyError as error:  # an answer missing a part, as at sign-in
            raise _key_answer_refused() from error
