"""Voting, freezing and publishing results, and keeping the counters honest."""

import datetime as dt
import logging
import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.outbox.services import emails_write
from ogp_portal.predicates import is_verified

from .models import Ballot, BallotChoice, Option, Participation, Poll, Result

logger = logging.getLogger(__name__)


@transaction.atomic
def poll_vote(*, poll: Poll, user, option_ids, now=None) -> str:
    """Casts one secret ballot and returns its receipt; the counters move in the same step.

    The poll row is locked first: votes queue behind each other and behind the freezing of the
    result, so no ballot can slip in after the result is frozen.
    """
    now = now or timezone.now()
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if not poll.is_published:
        raise ValidationError(_("This poll is not open for voting."))
    if now < poll.opens_at:
        raise ValidationError(_("Voting has not started yet."))
    if now >= poll.closes_at or Result.objects.filter(poll=poll).exists():
        raise ValidationError(_("Voting has closed."))
    if not is_verified(user):
        raise ValidationError(_("Only people with a verified e-mail address can vote."))
    wanted = {int(pk) for pk in option_ids if str(pk).isdigit() and len(str(pk)) <= 18}
    options = list(poll.options.filter(pk__in=wanted))
    if not wanted or len(options) != len(wanted) or len(wanted) != len(option_ids):
        raise ValidationError(_("Choose among the options of this poll."))
    if len(options) > poll.allowed_choices:
        raise ValidationError(
            _("Choose at most %(count)d options.") % {"count": poll.allowed_choices}
        )
    day = timezone.localdate(now)
    try:
        with transaction.atomic():
            Participation.objects.create(poll=poll, user=user, day=day)
    except IntegrityError:
        raise ValidationError(_("You have already voted in this poll.")) from None
    ballot = Ballot.objects.create(poll=poll, day=day)
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, option=o) for o in options)
    Option.objects.filter(pk__in=[o.pk for o in options]).update(votes=F("votes") + 1)
    Poll.objects.filter(pk=poll.pk).update(ballot_count=F("ballot_count") + 1)
    return ballot.receipt


@transaction.atomic
def poll_publish(*, poll: Poll) -> Poll:
    """Makes a poll public; it needs at least two options to choose from."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.is_published:
        raise ValidationError(_("This poll is already public."))
    if poll.options.count() < 2:
        raise ValidationError(_("Add at least two options before publishing the poll."))
    poll.published_at = timezone.now()
    poll.save(update_fields=["published_at"])
    return poll


def ballots_seal(*, poll: Poll) -> int:
    """Rewrites the new ballots of a poll one by one, in random order, in one transaction.

    A ballot is written in the same transaction as its participation, so on PostgreSQL both
    rows first carry the same transaction id and sit side by side in the table. Rewriting them
    later, shuffled, gives every sealed ballot and choice a fresh transaction id and place,
    shared by the whole batch, so nothing in storage lines a ballot up with its voter.
    """
    with transaction.atomic():
        Poll.objects.select_for_update().get(pk=poll.pk)
        ballots = list(Ballot.objects.filter(poll=poll, sealed=False).values_list("pk", flat=True))
        choices = list(
            BallotChoice.objects.filter(ballot_id__in=ballots).values_list("pk", flat=True)
        )
        random = secrets.SystemRandom()
        random.shuffle(ballots)
        random.shuffle(choices)
        for pk in ballots:
            Ballot.objects.filter(pk=pk).update(sealed=True)
        for pk in choices:
            BallotChoice.objects.filter(pk=pk).update(option_id=F("option_id"))
    return len(ballots)


def polls_seal(*, now=None) -> int:
    """Beat, every minute: seals what was voted since the last run, in every poll."""
    now = now or timezone.now()
    polls = Poll.objects.published().filter(opens_at__lte=now, ballots__sealed=False).distinct()
    return sum(ballots_seal(poll=poll) for poll in polls)


def polls_drift(*, polls) -> list[str]:
    """Compares every counter with the ballots themselves (beat only: this counts ballots).

    Each poll is locked while it is counted, so a vote in flight never looks like drift.
    """
    problems = []
    for listed in polls:
        with transaction.atomic():
            poll = Poll.objects.select_for_update().get(pk=listed.pk)
            ballots = Ballot.objects.filter(poll=poll).count()
            participants = Participation.objects.filter(poll=poll).count()
            if not poll.ballot_count == ballots == participants:
                problems.append(
                    f"{poll.slug}: counter {poll.ballot_count}, ballots {ballots}, "
                    f"participants {participants}"
                )
            actual = dict(
                BallotChoice.objects.filter(ballot__poll=poll)
                .values_list("option_id")
                .annotate(n=Count("pk"))
            )
            for option in poll.options.all():
                if option.votes != actual.get(option.pk, 0):
                    problems.append(
                        f"{poll.slug}/{option.label}: counter {option.votes}, "
                        f"ballots {actual.get(option.pk, 0)}"
                    )
    return problems


def polls_reconcile(*, now=None) -> list[str]:
    """Beat: checks open and just-closed polls; any drift raises the alarm to the staff."""
    now = now or timezone.now()
    polls = Poll.objects.published().filter(opens_at__lte=now, result__isnull=True)
    problems = polls_drift(polls=polls)
    if problems:
        logger.error("Poll counters drifted: %s", "; ".join(problems))
        emails_write(
            key=f"polls:drift:{now.isoformat()}",
            recipients=get_user_model().objects.secretariat(),
            template="consultations/email/drift.txt",
            context={"problems": problems},
        )
    return problems


@transaction.atomic
def poll_freeze(*, poll: Poll) -> Result:
    """Freezes the result of a closed poll and publishes it; a second call changes nothing."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    existing = Result.objects.filter(poll=poll).first()
    if existing is not None:
        return existing
    if not poll.has_closed:
        raise ValidationError(_("A poll's result is frozen only once voting has closed."))
    ballots_seal(poll=poll)
    problems = polls_drift(polls=[poll])
    if problems:
        raise ValidationError(
            _("The counters do not match the ballots: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    result = Result.objects.create(
        poll=poll,
        ballots=poll.ballot_count,
        participants=Participation.objects.filter(poll=poll).count(),
        eligible=EmailAddress.objects.filter(verified=True).values("user").distinct().count(),
        counts=[[option.label, option.votes] for option in poll.options.all()],
        receipts=sorted(Ballot.objects.filter(poll=poll).values_list("receipt", flat=True)),
    )
    emails_write(
        key=f"poll:{poll.pk}:published",
        recipients=poll.followers.filter(is_active=True),
        template="consultations/email/poll.txt",
        context={"poll": poll, "event": "published", "result": result},
    )
    return result


@transaction.atomic
def poll_close_now(*, poll: Poll) -> Result:
    """The secretariat ends voting early; the result is frozen at once."""
    now = timezone.now()
    if poll.closes_at > now:
        poll.closes_at = max(now, poll.opens_at + dt.timedelta(seconds=1))
        poll.save(update_fields=["closes_at"])
    return poll_freeze(poll=poll)


def polls_close(*, now=None) -> int:
    """Beat: freezes and publishes every poll whose voting has closed (safe to run twice)."""
    frozen = 0
    for poll in Poll.objects.due_for_closing(now):
        try:
            poll_freeze(poll=poll)
        except ValidationError as error:
            logger.error("Poll %s not frozen: %s", poll.slug, error)
        else:
            frozen += 1
    return frozen


def polls_announce(*, now=None) -> int:
    """Beat: tells followers when a poll opens (once)."""
    now = now or timezone.now()
    sent = 0
    for poll in Poll.objects.open(now).filter(opening_announced_at__isnull=True):
        with transaction.atomic():
            if Poll.objects.filter(pk=poll.pk, opening_announced_at__isnull=True).update(
                opening_announced_at=now
            ):
                sent += emails_write(
                    key=f"poll:{poll.pk}:opened",
                    recipients=poll.followers.filter(is_active=True),
                    template="consultations/email/poll.txt",
                    context={"poll": poll, "event": "opened"},
                )
    return sent
