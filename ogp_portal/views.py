"""Views and view helpers every app shares: the language switch, and how views check people."""

import uuid
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View, i18n
from django.views.generic import FormView, TemplateView, UpdateView
from django.views.generic.edit import FormMixin
from django_ratelimit.core import is_ratelimited
from rules.contrib.views import PermissionRequiredMixin

from . import enrolment
from .cache import SHARED_SECONDS
from .errors import too_many_requests
from .forms import PublicNameForm
from .middleware import second_factor_setup
from .models import FormSubmission
from .predicates import is_verified


def set_language(request):
    """Django's language switch, remembered on the account so notices use the same language."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if response.status_code == 302 and language in dict(settings.LANGUAGES):
        # Django translates the page to return to in the language of this request, which has
        # no prefix and so is Korean: "/en/…" was not recognised and came back unchanged.
        target = response["Location"]
        with translation.override(get_language_from_path(target) or settings.LANGUAGE_CODE):
            response["Location"] = translate_url(target, language)
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page's `<link rel="icon">` says."""
    return redirect(static("img/favicon.svg"), permanent=True)


class RulePermissionMixin(PermissionRequiredMixin):
    """Every view's permission comes from django-rules, checked the same way.

    Visitors are sent to sign in and come back to `get_next_url()`. Where the right needs a
    verified e-mail address, the view says so in `verify_message`, and signed-in people whose
    address is not verified yet are sent to verify it with that message. A staff account that
    would have the right with its second factor is sent to set it up. Anyone else without the
    right is refused (403), unless the view says otherwise in `refuse()`.
    """

    verify_message = None

    def get_next_url(self) -> str:
        return self.request.get_full_path()

    def handle_no_permission(self):
        user = self.request.user
        if not user.is_authenticated:
            if self.request.method == "POST":
                # Most often a session that expired while the person was typing.
                draft_keep(self.request, self.get_next_url())
            return redirect_to_login(self.get_next_url())
        if self.verify_message and not is_verified(user):
            messages.warning(self.request, self.verify_message)
            return redirect("account_email")
        if user.needs_second_factor and user.with_second_factor().has_perms(
            self.get_permission_required(), self.get_permission_object()
        ):
            return second_factor_setup(self.request)
        return self.refuse()

    def refuse(self):
        return super().handle_no_permission()

    def get_initial(self):
        return {**super().get_initial(), **draft_take(self.request)}


def rate_limited(request, action: str) -> bool:
    """Counts this POST against `PORTAL_RATE_LIMITS[action]` and says whether it went over.

    A limit reads like allauth's, "10/m/user,60/m/ip": so many per period per person and per
    client address (`ogp_portal.adapters.client_ip`, which follows the trusted proxy settings).
    The counters live in the shared cache (django-ratelimit), in process memory while Redis is
    down.
    """
    limited = False
    for limit in settings.PORTAL_RATE_LIMITS[action].split(","):
        amount, period, per = limit.strip().split("/")
        limited |= is_ratelimited(
            request,
            group=f"portal:{action}",
            key=per,
            rate=f"{amount}/{period}",
            method="POST",
            increment=True,
        )
    return limited


RATE_LIMITED = gettext_lazy(
    "You sent this too often in a short time, so it was not saved. What you typed is kept "
    "below (choose any file again): wait a minute, then send it again."
)


class RateLimitMixin:
    """Limits how often one person, and one client address, may post to this view.

    `rate_limit` names the limit in `PORTAL_RATE_LIMITS`. Put it after the permission mixin,
    so that only allowed posts count. A view without a form answers the 429 page. A form view
    counts valid forms only (correcting mistakes costs nothing): its `form_valid` starts with
    `refused = self.rate_limited_form(form)`, which gives the form back with what was typed,
    a message and 429.
    """

    rate_limit: str

    def dispatch(self, request, *args, **kwargs):
        if not isinstance(self, FormMixin) and rate_limited(request, self.rate_limit):
            return too_many_requests(request)
        return super().dispatch(request, *args, **kwargs)

    def rate_limited_form(self, form):
        if not rate_limited(self.request, self.rate_limit):
            return None
        form.add_error(None, RATE_LIMITED)
        return self.render_to_response(self.get_context_data(form=form), status=429)


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


class ServiceFormMixin:
    """A form view whose valid form runs a workflow (`run`, which calls a service).

    A refusal (`ValidationError`) is shown on the form, which keeps what was typed; success says
    `success_message` and leads to `done_url` of what `run` returned (by default its page).
    """

    success_message = ""

    def run(self, form):
        raise NotImplementedError

    def get_success_message(self, result) -> str:
        return self.success_message

    def done_url(self, result) -> str:
        return result.get_absolute_url()

    def form_valid(self, form):
        try:
            result = self.run(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message(result))
        return redirect(self.done_url(result))


class SubmitOnceMixin:
    """A form view that creates something takes each rendered form once.

    The form carries a one-time token. The first post claims it in the same transaction as
    what it creates; a second post of the same form (a double click, a reload, a retry after
    an error page) leads to what the first one made, even when both arrive together.
    """

    once_field = "submission"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields[self.once_field] = forms.UUIDField(
            widget=forms.HiddenInput, initial=uuid.uuid4, required=False
        )
        return form

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        token = form.cleaned_data.pop(self.once_field, None)
        if token is None:
            return self.form_valid(form)
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(token=token, user=request.user)
                response = self.form_valid(form)
                if response.status_code != 302:
                    transaction.set_rollback(True)  # refused: the corrected form may come again
                    return response
                claim.result_url = response.url
                claim.save(update_fields=["result_url"])
                return response
        except IntegrityError:
            first = FormSubmission.objects.filter(token=token, user=request.user).first()
            if first is None or not first.result_url:
                raise
            messages.info(request, _("This form was sent already; here is what it made."))
            return redirect(first.result_url)


# One base class per kind of view that checks a right. A view names its app's object mixin
# first, when it has one (it finds the object the right is checked on), then one of these
# classes; no view stacks the mixins above by hand, so their order is written once, here.


class SharedPageMixin:
    """A page whose whole HTML is the same for everyone it is shown to, but for its personal
    parts (base.html's account links, messages and receipts' owner, and the page's own
    `{% personal %}` parts): kept whole per version of the public records, language and address
    (`{% shared "page" page_shared %}` in base.html), so that a signed-in person's request
    renders only those parts. A view whose page differs for some people says so in
    `page_shared_key`, from the page's context: "" renders the page afresh for them."""

    page_shared_seconds = SHARED_SECONDS

    def page_shared_key(self, context) -> str:
        return self.request.get_full_path()

    def render_to_response(self, context, **response_kwargs):
        context["page_shared"] = self.page_shared_key(context)
        context["page_shared_seconds"] = self.page_shared_seconds
        return super().render_to_response(context, **response_kwargs)


class PortalView(RulePermissionMixin, View):
    """An action (a POST) or a download for those with the right."""


class PortalRateLimitedView(RulePermissionMixin, RateLimitMixin, View):
    """An action whose allowed posts count against `rate_limit`."""


class PortalTemplateView(RulePermissionMixin, TemplateView):
    """A page for those with the right."""


class PortalUpdateView(RulePermissionMixin, UpdateView):
    """A model form saved as it is, for those with the right."""


class PortalFormView(RulePermissionMixin, ServiceFormMixin, FormView):
    """A form whose valid form runs a workflow (`run`), for those with the right."""


class PortalCreateView(SubmitOnceMixin, PortalFormView):
    """A form that creates something, each rendered form taken once."""


class PortalRateLimitedFormView(RulePermissionMixin, RateLimitMixin, ServiceFormMixin, FormView):
    """A form whose valid posts count against `rate_limit` (see `RateLimitMixin`)."""


# Drafts: what was typed into a form when the session had expired, until the form comes back.
DRAFTS = "drafts"
# A session keeps the drafts of this many forms, each up to this many characters (the longest
# form, minutes, has three parts of 100,000).
DRAFTS_KEPT = 3
DRAFT_MAX_CHARACTERS = 320_000
# Fields that are never kept: the form's tokens, and anything secret.
NOT_KEPT = {"csrfmiddlewaretoken", SubmitOnceMixin.once_field, "password", "password1", "password2"}


def draft_keep(request, page: str) -> None:
    """Keeps the posted text for the form at `page` through signing in again (files cannot be
    kept: the person chooses them again)."""
    fields = {
        name: values if len(values) > 1 else values[0]
        for name, values in request.POST.lists()
        if name not in NOT_KEPT
    }
    size = sum(len(value) for _name, values in request.POST.lists() for value in values)
    if fields and size <= DRAFT_MAX_CHARACTERS:
        drafts = request.session.get(DRAFTS, {})
        drafts.pop(urlsplit(page).path, None)
        drafts[urlsplit(page).path] = fields
        # The session row stays small whatever a visitor (or a bot) posts: the latest few.
        request.session[DRAFTS] = dict(list(drafts.items())[-DRAFTS_KEPT:])


def draft_take(request, page: str | None = None) -> dict:
    """The kept draft of the form at `page` (this request's page by default), once."""
    drafts = request.session.get(DRAFTS)
    draft = drafts.pop(page or request.path, None) if drafts else None
    if draft is None:
        return {}
    request.session[DRAFTS] = drafts
    messages.info(
        request,
        _("Your session had ended; what you typed is back in the form. Check it and send again."),
    )
    return draft


class StaffEnrolView(RulePermissionMixin, View):
    """The link of a staff invitation: taken once, it opens the second factor's set-up."""

    permission_required = "ogp_portal.accept_staff_invitation"

    def get(self, request, token):
        return render(request, "account/staff_enrol.html")

    def post(self, request, token):
        done = run_service(request, enrolment.staff_invitation_accept, request=request, token=token)
        if done is None:
            return render(request, "account/staff_enrolment_needed.html", status=403)
        return redirect("mfa_activate_totp")


class PublicNameView(RulePermissionMixin, UpdateView):
    """The person changes the name shown beside what they do and in e-mail greetings."""

    permission_required = "ogp_portal.change_own_name"
    form_class = PublicNameForm
    template_name = "account/public_name.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        form.save()
        messages.success(
            self.request,
            _(
                "Your public name is now “%(name)s”: proposals, comments, attendee lists and "
                "e-mails show it from now on."
            )
            % {"name": form.instance.display_name},
        )
        return redirect("account_public_name")
