"""The proposals' admin, one module per part of the work, as the models are split; each module
registers its models when the admin imports this package. What needs the secretariat's
attention on the admin's front page is gathered here."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ogp_portal.admin_site import Attention, attention_register

from ..models import Call, Comment, Proposal
from . import calls, debate, pipeline, reviews  # noqa: F401 (each registers its models)


def _attention() -> list[Attention]:
    waiting = Proposal.objects.filter(call__in=Call.objects.closed()).awaiting_response()
    return [
        Attention(
            label=_("Proposals of closed calls awaiting a response"),
            count=waiting.count(),
            url=reverse("admin:proposals_proposal_changelist") + "?response=awaited",
        ),
        Attention(
            label=_("Reported comments still shown"),
            count=Comment.objects.visible().filter(report_count__gt=0).count(),
            url=reverse("admin:proposals_comment_changelist") + "?reported=yes",
        ),
    ]


attention_register(_attention)
