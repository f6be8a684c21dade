from django.urls import include, path

from .views import council, documents, groups, meetings, minutes

app_name = "councils"

document_patterns = [
    path("", documents.DocumentDetailView.as_view(), name="document_detail"),
    path("files/<int:attachment_pk>/", documents.DocumentFileView.as_view(), name="document_file"),
]

group_patterns = [
    path("", groups.GroupDetailView.as_view(), name="group_detail"),
    path("edit/", groups.GroupUpdateView.as_view(), name="group_edit"),
    path("membership/", groups.GroupMembershipView.as_view(), name="group_membership"),
    path("listing/", groups.GroupListingView.as_view(), name="group_listing"),
    path("meetings/new/", meetings.MeetingScheduleView.as_view(), name="meeting_schedule"),
    path("meetings.ics", meetings.group_ical, name="group_ical"),
]

minutes_patterns = [
    path("new/", minutes.MinutesCreateView.as_view(), name="minutes_create"),
    path("edit/", minutes.MinutesUpdateView.as_view(), name="minutes_edit"),
    path("advance/", minutes.MinutesAdvanceView.as_view(), name="minutes_advance"),
    path("comments/", minutes.MinutesCommentView.as_view(), name="minutes_comment"),
    path("attachments/new/", minutes.AttachmentCreateView.as_view(), name="attachment_create"),
    path(
        "attachments/<int:attachment_pk>/",
        minutes.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]

meeting_patterns = [
    path("", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meeting.ics", meetings.meeting_ical, name="meeting_ical"),
    path("edit/", meetings.MeetingUpdateView.as_view(), name="meeting_edit"),
    path("<str:action>/", meetings.MeetingActionView.as_view(), name="meeting_action"),
    path("minutes/", include(minutes_patterns)),
]

urlpatterns = [
    path("documents/<int:pk>/", include(document_patterns)),
    path("committee/", council.CommitteeView.as_view(), name="committee"),
    path("groups/", groups.GroupListView.as_view(), name="group_list"),
    path("groups/<str:slug>/", include(group_patterns)),
    path("meetings.ics", meetings.meetings_ical, name="meetings_ical"),
    path("meetings-<int:year>.ics", meetings.meetings_ical_year, name="meetings_ical_year"),
    path("meetings/<int:pk>/", include(meeting_patterns)),
]
