from django.urls import path

from . import views

app_name = "councils"

urlpatterns = [
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path(
        "documents/<int:pk>/files/<int:attachment_pk>/",
        views.DocumentFileView.as_view(),
        name="document_file",
    ),
    path("committee/", views.CommitteeView.as_view(), name="committee"),
    path("groups/", views.GroupListView.as_view(), name="group_list"),
    path("groups/<str:slug>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("groups/<str:slug>/edit/", views.GroupUpdateView.as_view(), name="group_edit"),
    path(
        "groups/<str:slug>/membership/",
        views.GroupMembershipView.as_view(),
        name="group_membership",
    ),
    path("groups/<str:slug>/listing/", views.GroupListingView.as_view(), name="group_listing"),
    path(
        "groups/<str:slug>/meetings/new/",
        views.MeetingScheduleView.as_view(),
        name="meeting_schedule",
    ),
    path("groups/<str:slug>/meetings.ics", views.group_ical, name="group_ical"),
    path("meetings.ics", views.meetings_ical, name="meetings_ical"),
    path("meetings-<int:year>.ics", views.meetings_ical_year, name="meetings_ical_year"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_edit"),
    path(
        "meetings/<int:pk>/<str:action>/",
        views.MeetingActionView.as_view(),
        name="meeting_action",
    ),
    path(
        "meetings/<int:pk>/minutes/new/",
        views.MinutesCreateView.as_view(),
        name="minutes_create",
    ),
    path("meetings/<int:pk>/minutes/edit/", views.MinutesUpdateView.as_view(), name="minutes_edit"),
    path(
        "meetings/<int:pk>/minutes/advance/",
        views.MinutesAdvanceView.as_view(),
        name="minutes_advance",
    ),
    path(
        "meetings/<int:pk>/minutes/comments/",
        views.MinutesCommentView.as_view(),
        name="minutes_comment",
    ),
    path(
        "meetings/<int:pk>/minutes/attachments/new/",
        views.AttachmentCreateView.as_view(),
        name="attachment_create",
    ),
    path(
        "meetings/<int:pk>/minutes/attachments/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
