"""Minutes: writing, correcting, moving on, comments and attached files."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.uploads import file_response
from ogp_portal.views import PortalCreateView, PortalFormView, PortalView, run_service

from .. import services
from ..forms import AttachmentForm, CommentForm, CorrectionForm, MinutesForm
from ..models import Meeting, Minutes
from .meetings import MeetingObjectMixin


class MinutesCreateView(MeetingObjectMixin, PortalCreateView):
    permission_required = "councils.post_minutes"
    form_class = MinutesForm
    template_name = "councils/minutes_form.html"
    success_message = gettext_lazy("The draft minutes are saved.")

    def dispatch(self, request, *args, **kwargs):
        if Minutes.objects.filter(meeting_id=kwargs["pk"]).exists():
            return redirect("councils:minutes_edit", pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def run(self, form):
        return services.minutes_create(
            meeting=self.meeting, author=self.request.user, **form.cleaned_data
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MinutesObjectMixin(MeetingObjectMixin):
    @cached_property
    def minutes(self) -> Minutes:
        return get_object_or_404(
            Minutes.objects.select_related("meeting__group__lead"), meeting_id=self.kwargs["pk"]
        )

    @cached_property
    def meeting(self) -> Meeting:
        return self.minutes.meeting

    def get_permission_object(self):
        return self.minutes


class MinutesUpdateView(MinutesObjectMixin, PortalFormView):
    """Edits minutes before publication; published minutes take a correction instead."""

    permission_required = "councils.edit_minutes"
    template_name = "councils/minutes_form.html"

    def get_form_class(self):
        return CorrectionForm if self.minutes.is_published else MinutesForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.minutes}
        if not self.minutes.is_published:
            kwargs["meeting"] = self.meeting
        return kwargs

    def form_valid(self, form):
        minutes = self.minutes
        if minutes.is_published:
            fields = {k: form.cleaned_data[k] for k in ("body", "decisions", "action_items")}
            services.minutes_correct(
                minutes=Minutes.objects.get(pk=minutes.pk),
                author=self.request.user,
                reason=form.cleaned_data["reason"],
                **fields,
            )
            messages.success(self.request, _("The correction is published with its reason."))
        else:
            form.save()
            messages.success(self.request, _("The minutes are saved."))
        return redirect(minutes)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, minutes=self.minutes, **kwargs)


class MinutesAdvanceView(MinutesObjectMixin, PortalView):
    permission_required = "councils.edit_minutes"

    def post(self, request, pk):
        minutes = self.minutes
        if run_service(
            request, services.minutes_advance, minutes=minutes, expected=request.POST.get("from")
        ):
            messages.success(
                request,
                _("The minutes are now: %(status)s.") % {"status": minutes.get_status_display()},
            )
        return redirect(minutes)


class MinutesCommentView(MinutesObjectMixin, PortalView):
    """POST: an attendee comments on circulated minutes."""

    permission_required = "councils.comment_minutes"

    def get_next_url(self) -> str:
        return self.minutes.get_absolute_url()

    def post(self, request, pk):
        minutes = self.minutes
        form = CommentForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Write a comment first."))
            return redirect(minutes)
        run_service(
            request,
            services.minutes_comment,
            minutes=minutes,
            author=request.user,
            body=form.cleaned_data["body"],
            done=_("Thank you: your comment reaches the organisers."),
        )
        return redirect(minutes)


class AttachmentCreateView(MinutesObjectMixin, PortalCreateView):
    permission_required = "councils.edit_minutes"
    form_class = AttachmentForm
    template_name = "councils/attachment_form.html"
    success_message = gettext_lazy("The file is attached.")

    def run(self, form):
        return services.minutes_attach(
            minutes=self.minutes,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )

    def done_url(self, attachment) -> str:
        return self.minutes.get_absolute_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class AttachmentDownloadView(MinutesObjectMixin, PortalView):
    permission_required = "councils.read_minutes"

    def get(self, request, pk, attachment_pk):
        return file_response(get_object_or_404(self.minutes.attachments, pk=attachment_pk))
