from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("calls/", views.CallListView.as_view(), name="call_list"),
    path("calls/<slug:slug>/", views.CallDetailView.as_view(), name="call_detail"),
    path("calls/<slug:slug>/report/", views.CallReportView.as_view(), name="call_report"),
    path("calls/<slug:slug>/follow/", views.CallFollowView.as_view(), name="call_follow"),
    path("calls/<slug:slug>/propose/", views.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path(
        "proposals/<int:pk>/files/<int:attachment_pk>/",
        views.ProposalAttachmentView.as_view(),
        name="proposal_file",
    ),
    path("proposals/<int:pk>/edit/", views.ProposalUpdateView.as_view(), name="proposal_edit"),
    path(
        "proposals/<int:pk>/support/", views.ProposalSupportView.as_view(), name="proposal_support"
    ),
    path("proposals/<int:pk>/debate/", views.DebateView.as_view(), name="debate"),
    path(
        "proposals/<int:pk>/debate/comment/",
        views.CommentCreateView.as_view(),
        name="comment_create",
    ),
    path("comments/<int:pk>/edit/", views.CommentEditView.as_view(), name="comment_edit"),
    path("comments/<int:pk>/report/", views.CommentReportView.as_view(), name="comment_report"),
    path("comments/<int:pk>/hide/", views.CommentHideView.as_view(), name="comment_hide"),
    path("plans/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("commitments/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment_detail"),
    path(
        "commitments/<int:pk>/inspections/new/",
        views.InspectionCreateView.as_view(),
        name="inspection_create",
    ),
    path("inspection-photos/<int:pk>/", views.InspectionPhotoView.as_view(), name="photo"),
]
