"""A person's data in proposals: their copy, and what goes when their account is deleted
(registered with the privacy app, which reads them from `proposals.services`)."""

from django.db.models import Q

from outbox.models import Message
from outbox.services import messages_unname

from ..models import (
    Comment,
    CommentReport,
    Proposal,
    Support,
)


def personal_data_export(*, user) -> dict[str, list[dict]]:
    return {
        "proposals": [
            {
                "title": p.title,
                "call": p.call.title,
                "status": p.status,
                "submitted_at": p.submitted_at,
                "organisation": p.organisation,
                "contact": p.contact,
                "problem": p.problem,
                "solution": p.solution,
            }
            for p in Proposal.objects.filter(author=user).select_related("call")
        ],
        "supports": [
            {"proposal": s.proposal.title, "created_at": s.created_at}
            for s in Support.objects.filter(user=user).select_related("proposal")
        ],
        "followed_calls": [{"call": c.title} for c in user.followed_calls.order_by("pk")],
        "debate_comments": [
            {
                "proposal": c.debate.proposal.title,
                "created_at": c.created_at,
                "body": c.body,
                "hidden_reason": c.hidden_reason,
            }
            for c in Comment.objects.filter(author=user).select_related("debate__proposal")
        ],
        "comment_reports": [
            {"comment": r.comment_id, "reason": r.reason, "created_at": r.created_at}
            for r in CommentReport.objects.filter(reporter=user)
        ],
    }


def personal_data_erase(*, user, now) -> None:
    """Proposals and supports stay, under "Former member"; the private contact and follows go.
    The notices of the person's comments to others (a reply to their comment, a comment on their
    proposal) name them "Former member" too, sent or not."""
    notices = Q()
    for comment in Comment.objects.filter(author=user).values_list("pk", flat=True):
        notices |= Q(key__startswith=f"comment:{comment}:reply:")
        notices |= Q(key__startswith=f"comment:{comment}:proposer:")
    if notices:
        messages_unname(messages=Message.objects.filter(notices), name=user.public_name())
    Proposal.objects.filter(author=user).exclude(contact="").update(contact="")
    user.followed_calls.clear()
    CommentReport.objects.filter(reporter=user).delete()
