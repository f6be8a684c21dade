from django.urls import include, path

from . import views

app_name = "councils"

document_patterns = [
    path("", views.DocumentDetailView.as_view(), name="document_detail"),
    path("files/<int:attachment_pk>/", views.DocumentFileView.as_view(), name="document_file"),
]

group_patterns = [
    path("", views.GroupDetailView.as_view(), name="group_detail"),
    path("edit/", views.GroupUpdateView.as_view(), name="group_edit"),
    path("membership/", views.GroupMembershipView.as_view(), name="group_membership"),
    path("listing/", views.GroupListingView.as_view(), name="group_listing"),
    path("meetings/new/", views.MeetingScheduleView.as_view(), name="meeting_schedule"),
    path("meetings.ics", views.group_ical, name="group_ical"),
]

minutes_patterns = [
    path("new/", views.MinutesCreateView.as_view(), name="minutes_create"),
    path("edit/", views.MinutesUpdateView.as_view(), name="minutes_edit"),
    path("advance/", views.MinutesAdvanceView.as_view(), name="minutes_advance"),
    path("comments/", views.MinutesCommentView.as_view(), name="minutes_comment"),
    path("attachments/new/", views.AttachmentCreateView.as_view(), name="attachment_create"),
    path(
        "attachments/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]

meeting_patterns = [
    path("", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meeting.ics", views.meeting_ical, name="meeting_ical"),
    path("edit/", views.MeetingUpdateView.as_view(), name="meeting_edit"),
    path("<str:action>/", views.MeetingActionView.as_view(), name="meeting_action"),
    path("minutes/", include(minutes_patterns)),
]

urlpatterns = [
    path("documents/<int:pk>/", include(document_patterns)),
    path("committee/", views.CommitteeView.as_view(), name="committee"),
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/<str:slug>/", include(group_patterns)),
    path("meetings.ics", views.meetings_ical, name="meetings_ical"),
    path("meetings-<int:year>.ics", views.meetings_ical_year, name="meetings_ical_year"),
    path("meetings/<int:pk>/", include(meeting_patterns)),
]
