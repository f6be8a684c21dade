"""The proposals' pages, served under /participate/ in the namespace "proposals" together with
the action plan's (ogp_portal/urls.py)."""

from django.urls import include, path

from . import views

call_patterns = [
    path("", views.CallDetailView.as_view(), name="call_detail"),
    path("report/", views.CallReportView.as_view(), name="call_report"),
    path("follow/", views.CallFollowView.as_view(), name="call_follow"),
    path("propose/", views.ProposalCreateView.as_view(), name="proposal_create"),
]

proposal_patterns = [
    path("", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path(
        "files/<int:attachment_pk>/", views.ProposalAttachmentView.as_view(), name="proposal_file"
    ),
    path("edit/", views.ProposalUpdateView.as_view(), name="proposal_edit"),
    path("support/", views.ProposalSupportView.as_view(), name="proposal_support"),
    path("debate/", views.DebateView.as_view(), name="debate"),
    path("debate/comment/", views.CommentCreateView.as_view(), name="comment_create"),
]

comment_patterns = [
    path("edit/", views.CommentEditView.as_view(), name="comment_edit"),
    path("report/", views.CommentReportView.as_view(), name="comment_report"),
    path("hide/", views.CommentHideView.as_view(), name="comment_hide"),
]

urlpatterns = [
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("calls/<slug:slug>/", include(call_patterns)),
    path("proposals/<int:pk>/", include(proposal_patterns)),
    path("comments/<int:pk>/", include(comment_patterns)),
]
