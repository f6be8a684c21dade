"""Voting, counting, freezing and publishing results, and keeping the counters honest."""

import datetime as dt
import heapq
import logging
import secrets
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Count, F, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.cache import pages_outdate
from outbox.models import Kind
from outbox.services import alarm_raise, alarms_resolve, emails_write
from verification.models import (
    ResidentEntry,
    Verification,
    age_on,
    person_key,
)

from .models import (
    Ballot,
    BallotChoice,
    Booth,
    BoothCount,
    Envelope,
    Option,
    Participation,
    ParticipationKey,
    Poll,
    Result,
    new_receipt,
)

logger = logging.getLogger(__name__)
ENVELOPES_PER_QUERY = 2000


@transaction.atomic
def poll_vote(*, poll: Poll, user, option_ids, now=None) -> str:
    """Casts one secret ballot and returns its receipt.

    The vote writes the participation and a sealed envelope, nothing else: the ballot enters
    the box later, in a shuffled batch (`ballots_count`). The poll row is locked `FOR KEY SHARE`:
    votes run side by side, and freezing (`FOR UPDATE`) waits for the votes in flight, then
    refuses the next ones. The options are checked against all of the poll's options, so no
    statement sent to the database names the options chosen.
    """
    now = now or timezone.now()
    if now >= poll.closes_at:
        raise ValidationError(_("Voting has closed."))  # before the lock: freezing never waits
    locked = Poll.objects.lock_for_voting(poll.pk)
    if not locked.is_published:
        raise ValidationError(_("This poll is not open for voting."))
    if now < locked.opens_at:
        raise ValidationError(_("Voting has not started yet."))
    if now >= locked.closes_at or Result.objects.filter(poll=locked).exists():
        raise ValidationError(_("Voting has closed."))
    refusal = locked.requirement_refusal(user, now=now)
    if refusal:
        raise ValidationError(refusal)
    options = {option.pk for option in poll.options.all()}
    wanted = {int(pk) for pk in option_ids if str(pk).isdigit() and len(str(pk)) <= 18}
    if not wanted or not wanted <= options or len(wanted) != len(option_ids):
        raise ValidationError(_("Choose among the options of this poll."))
    if len(wanted) > locked.allowed_choices:
        raise ValidationError(
            _("Choose at most %(count)d options.") % {"count": locked.allowed_choices}
        )
    # Every identity the voter proved (resident, phone) goes with the participation: the same
    # person at a booth, from a second account, or from a new account after deleting this one,
    # is refused by the database.
    keys = set(
        Verification.objects.current(now)
        .filter(user=user)
        .exclude(identity_key="")
        .values_list("identity_key", flat=True)
    )
    try:
        participation = Participation.objects.create(
            poll=locked, user=user, day=timezone.localdate(now)
        )
        if keys:
            ParticipationKey.objects.bulk_create(
                ParticipationKey(participation=participation, poll=locked, key=key)
                for key in sorted(keys)
            )
    except IntegrityError:
        raise ValidationError(_("You have already voted in this poll.")) from None
    receipt = new_receipt()
    Envelope.objects.create(
        poll=locked,
        content=Envelope.seal(poll_id=locked.pk, receipt=receipt, option_ids=sorted(wanted)),
    )
    return receipt


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


def ballots_count(*, poll: Poll, everything: bool = False, now=None) -> int:
    """Drops waiting envelopes of a poll into the ballot box and folds the counters.

    The batch is a random part of the envelopes waiting, in a fresh random order, all written
    by one transaction: every ballot of the batch carries the same transaction id, and their
    places in the table follow no order of voting. A batch waits for 2 × POLL_BALLOTS_PER_BATCH
    envelopes and leaves POLL_BALLOTS_PER_BATCH of them, drawn at random, for the next one; but
    no envelope waits longer than POLL_COUNT_WITHIN_SECONDS after the last count: then every
    waiting envelope goes in. Every batch takes POLL_BALLOTS_PER_BATCH blank ballots drawn as
    the real ones before it voted, shuffled with it (`_padding`): a late ballot counted alone
    hides among them, and since no batch's ballots are all real, the published result less
    the other batches' ballots does not give a batch's real ones. Each ballot carries a sealed
    mark, real or padding, that only the site's key opens; what the real ones chose, and how
    many options each marked, is kept sealed beside the counters (`Poll.sealed_tally`,
    `Poll.sealed_marks`). So no ballot is ever written twice, and whoever reads the box, even
    against the published result, finds a late ballot among the random choices of the ballots
    written with it.

    The option counters move only in steps of at least POLL_BALLOTS_PER_BATCH real ballots,
    every option of the poll in one statement (`_tally_step`): a row version of a counter, or a
    log of statements, never holds what fewer voters chose. `everything` (freezing) takes every
    envelope and steps whatever is left. Returns the real ballots dropped in.
    """
    now = now or timezone.now()
    size = settings.POLL_BALLOTS_PER_BATCH
    with transaction.atomic():
        # Serialises counts of one poll; votes (KEY SHARE) go on meanwhile.
        locked = (
            Poll.objects.select_for_update(no_key=True)
            .only(
                "counted_at",
                "opens_at",
                "tallied_ballot_count",
                "shown_ballot_count",
                "ballot_count",
                "sealed_tally",
                "sealed_step",
                "sealed_marks",
                "kind",
                "max_choices",
            )
            .get(pk=poll.pk)
        )
        boxed, tallied = locked.ballot_count, locked.tallied_ballot_count
        overdue = now - (locked.counted_at or locked.opens_at) >= dt.timedelta(
            seconds=settings.POLL_COUNT_WITHIN_SECONDS
        )
        keep = 0 if everything or overdue else size
        waiting = list(Envelope.objects.filter(poll=poll).values_list("pk", flat=True))
        if len(waiting) < (2 * keep or 1):
            if overdue:
                Poll.objects.filter(pk=poll.pk).update(counted_at=now)
            if everything and locked.shown_ballot_count < boxed:  # not final yet
                _tally_step(poll=locked, total=boxed, final=True)
            return 0
        random = secrets.SystemRandom()
        random.shuffle(waiting)
        batch = waiting[: len(waiting) - keep]
        running = locked.tally_open(locked.sealed_tally)
        if running is None:  # counted before the tally was kept: no padding in its box yet
            running = _marks(Ballot.objects.filter(poll=poll))
            Option.objects.filter(poll=poll).update(votes=0)  # no tally in the clear from now
        running = Counter(running)
        marks = locked.marks_open(locked.sealed_marks)
        if marks is None:  # counted before the marks were kept: its box
            marks = _real_marks(poll)[2]
        marks = Counter(marks)
        # The padding follows the real ballots already in the box, not those it hides.
        drawn_from = {"tally": Counter(running), "marks": Counter(marks)}
        # Every batch, whatever its size, takes as many blank ballots as a batch holds: the
        # result less the other batches' ballots is then never a batch's real ballots.
        padding = size
        places = batch + [None] * padding
        random.shuffle(places)
        for start in range(0, len(places), ENVELOPES_PER_QUERY):
            chunk = [pk for pk in places[start : start + ENVELOPES_PER_QUERY] if pk is not None]
            blank = min(ENVELOPES_PER_QUERY, len(places) - start) - len(chunk)
            envelopes = Envelope.objects.in_bulk(chunk)
            ballots, choices = [], []
            for pk in chunk:
                receipt, option_ids = envelopes[pk].open()
                ballot = Ballot(poll_id=poll.pk, receipt=receipt)
                ballot.mark(padding=False)
                ballots.append(ballot)
                choices += [BallotChoice(ballot=ballot, option_id=o) for o in option_ids]
                running.update(option_ids)
                marks[len(option_ids)] += 1
            if blank:
                _padding(
                    poll=locked,
                    ballots=ballots,
                    choices=choices,
                    n=blank,
                    random=random,
                    **drawn_from,
                )
            random.shuffle(ballots)
            random.shuffle(choices)
            Ballot.objects.bulk_create(ballots)
            BallotChoice.objects.bulk_create(choices)
            Envelope.objects.filter(pk__in=chunk).delete()
        locked.ballot_count = total = boxed + len(batch)
        locked.sealed_tally = locked.tally_seal(running)
        Poll.objects.filter(pk=poll.pk).update(
            ballot_count=total,
            padding_count=F("padding_count") + padding,
            sealed_tally=locked.sealed_tally,
            sealed_marks=locked.marks_seal(marks),
            counted_at=now,
        )
        if everything or total - tallied >= size:
            _tally_step(poll=locked, total=total, final=everything)
    return len(batch)


def _padding(
    *, poll: Poll, ballots: list, choices: list, n: int, random, tally: Counter, marks: Counter
) -> None:
    """Adds `n` blank ballots to a batch, drawn as voters vote, their receipts as voters' are.

    How many options each marks follows the real ballots in the box by number of marks
    (`marks`, kept sealed in `Poll.sealed_marks`), and which options, their tally (`tally`,
    `Poll.sealed_tally`), so that neither sets the padding apart from the real ballots. Both
    start from a neutral prior worth a batch of ballots (every number of marks the poll allows
    alike, every option alike): while the box holds few real ballots, none of them shows in
    the padding drawn after it.
    """
    options = list(poll.options.values_list("pk", flat=True))
    most = min(poll.allowed_choices, len(options))
    prior = settings.POLL_BALLOTS_PER_BATCH
    sizes = range(1, most + 1)
    size_weights = [prior / most + marks[size] for size in sizes]
    # The prior's ballots mark (most + 1) / 2 options on average, spread evenly.
    weights = {o: prior * (most + 1) / 2 / len(options) + tally[o] for o in options}
    for _blank in range(n):
        ballot = Ballot(poll_id=poll.pk, receipt=new_receipt())
        ballot.mark(padding=True)
        ballots.append(ballot)
        size = random.choices(sizes, size_weights)[0]
        # Weighted sampling without replacement (Efraimidis–Spirakis).
        marked = heapq.nlargest(size, options, key=lambda o: random.random() ** (1 / weights[o]))
        choices += [BallotChoice(ballot=ballot, option_id=o) for o in marked]


def _tally_step(*, poll: Poll, total: int, final: bool) -> None:
    """A step of the counters, every option of the poll in one statement: the pages show what
    the real ballots had chosen at the step before (`shown_votes`, from `sealed_step`), and the
    tally of this step is kept sealed for the next. No tally of the real ballots stands in the
    clear but the one shown, so a copy of the database set against the final result holds
    at least a whole step. With `final`, the counters (`votes`) and the pages take the whole
    tally."""
    running = poll.tally_open(poll.sealed_tally)
    if final:
        votes = Case(*(When(pk=o, then=n) for o, n in running.items()), default=0)
        Option.objects.filter(poll_id=poll.pk).update(votes=votes, shown_votes=votes)
    else:
        before = poll.tally_open(poll.sealed_step)
        shown = (
            F("shown_votes")  # a poll counted before the steps were kept
            if before is None
            else Case(*(When(pk=o, then=n) for o, n in before.items()), default=0)
        )
        Option.objects.filter(poll_id=poll.pk).update(votes=0, shown_votes=shown)
    Poll.objects.filter(pk=poll.pk).update(
        tallied_ballot_count=total,
        shown_ballot_count=total if final else F("tallied_ballot_count"),
        sealed_step=None if final else poll.tally_seal(running),
    )
    pages_outdate()  # the counts shown changed: pages showing them are out of date


def polls_count(*, now=None) -> int:
    """Beat, every minute: drops waiting envelopes into the box, poll by poll."""
    return sum(ballots_count(poll=poll, now=now) for poll in Poll.objects.with_envelopes())


def envelopes_vacuum() -> None:
    """Beat, after the count: removes the old versions of opened envelopes and of the counters
    (`_tally_step`) from their tables.

    PostgreSQL keeps a deleted row in its page until VACUUM; the sooner it goes, the shorter
    a copy of the database (a backup, a DBA's look) holds envelopes already counted.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Envelope, Option, Poll):
                cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")


def polls_drift(*, polls, ballots: bool = False) -> list[str]:
    """Compares every counter with the box (beat only: this counts ballots).

    Online participants equal the real ballots counted plus the envelopes waiting (booths bring
    paper totals instead, checked when entered: `booth_totals_enter`), and the box holds those
    ballots and the padding; the sealed count of real ballots by number of marks holds those
    ballots and the sealed tally's marks. With `ballots` (freezing, once the counters hold the
    final tally), each option's counter equals the real ballots that marked it, every mark
    opened (`_real_marks`), and the sealed tally; and the real ballots by number of marks equal
    the sealed count. Each count is one statement, hence one snapshot: a vote or a count
    committing meanwhile never looks like drift.
    """
    problems = []
    for listed in polls:
        poll = (
            Poll.objects.filter(pk=listed.pk)
            .annotate(
                boxed=_count(Ballot),
                waiting=_count(Envelope),
                participants=_count(Participation.objects.filter(booth__isnull=True)),
            )
            .get()
        )
        if not (
            poll.ballot_count + poll.padding_count == poll.boxed
            and poll.ballot_count == poll.participants - poll.waiting
        ):
            problems.append(
                f"{poll.slug}: counter {poll.ballot_count}, padding {poll.padding_count}, "
                f"ballots {poll.boxed}, participants {poll.participants}, "
                f"envelopes waiting {poll.waiting}"
            )
        tally = poll.tally_open(poll.sealed_tally)
        marks = poll.marks_open(poll.sealed_marks)
        if marks is not None and (
            sum(marks.values()) != poll.ballot_count
            or sum(size * n for size, n in marks.items()) != sum((tally or {}).values())
        ):
            problems.append(
                f"{poll.slug}: sealed ballots by marks {sum(marks.values())} for "
                f"{poll.ballot_count} ballots, their marks not the sealed tally's"
            )
        final = poll.shown_ballot_count == poll.tallied_ballot_count == poll.ballot_count
        sources = {}
        if ballots or tally is None:  # freezing, or a poll counted before padding: its box
            padding, sources["ballots"], boxed_marks = _real_marks(poll)
            if len(padding) != poll.padding_count:
                problems.append(
                    f"{poll.slug}: padding {poll.padding_count}, sealed as such {len(padding)}"
                )
            if marks is not None and Counter(marks) != boxed_marks:
                problems.append(
                    f"{poll.slug}: sealed ballots by marks {dict(sorted(marks.items()))}, "
                    f"box {dict(sorted(boxed_marks.items()))}"
                )
        if tally is not None:
            # The counters hold the tally once it is final, and nothing before (`_tally_step`).
            sources["tally"] = tally if final else {}
        for option in Option.objects.filter(poll=poll):
            for source, counted in sources.items():
                if option.votes != counted.get(option.pk, 0):
                    problems.append(
                        f"{poll.slug}/{option.label}: counter {option.votes}, "
                        f"{source} {counted.get(option.pk, 0)}"
                    )
    return problems


def _real_marks(poll: Poll) -> tuple[list, Counter, Counter]:
    """The box opened (`marks_opened`): the keys of its padding, and its real ballots' marks
    per option (the padding's taken off) and how many of them mark one option, two, …"""
    padding, sizes = Ballot.objects.filter(poll=poll).marks_opened()
    counted = _marks(Ballot.objects.filter(poll=poll))
    for start in range(0, len(padding), ENVELOPES_PER_QUERY):
        counted -= _marks(padding[start : start + ENVELOPES_PER_QUERY])
    return padding, counted, sizes


def _marks(ballots) -> Counter:
    """The marks per option of these ballots (a queryset or their keys)."""
    rows = BallotChoice.objects.filter(ballot__in=ballots).values("option_id")
    return Counter(dict(rows.annotate(n=Count("pk")).values_list("option_id", "n")))


def _count(rows):
    if not isinstance(rows, models.QuerySet):
        rows = rows.objects.all()
    rows = rows.filter(poll=OuterRef("pk")).order_by().values("poll")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


def polls_reconcile(*, now=None) -> list[str]:
    """Beat: checks open and just-closed polls; a poll's drift raises the alarm to the staff once
    (again after it was resolved, or a day later: `outbox.services.alarm_raise`)."""
    now = now or timezone.now()
    problems, drifted, sound = [], {}, []
    for poll in Poll.objects.public().filter(opens_at__lte=now, result__isnull=True):
        key = f"polls:drift:{poll.pk}"
        found = polls_drift(polls=[poll])
        if found:
            drifted[key] = found
            problems += found
        else:
            sound.append(key)
    alarms_resolve(keys=sound, now=now)
    if problems:
        logger.error("Poll counters drifted: %s", "; ".join(problems))
    for key, found in drifted.items():
        alarm_raise(
            key=key,
            recipients=get_user_model().objects.secretariat(),
            template="consultations/email/drift.txt",
            context={"problems": found},
            now=now,
        )
    return problems


@transaction.atomic
def poll_freeze(*, poll: Poll) -> Result:
    """Freezes the result of a closed poll and publishes it; a second call changes nothing."""
    # FOR UPDATE: waits for the votes in flight (FOR KEY SHARE); later ones wait, then find the
    # result and are refused. No ballot enters after the result is frozen.
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    existing = Result.objects.filter(poll=poll).first()
    if existing is not None:
        return existing
    if not poll.has_closed:
        raise ValidationError(_("A poll's result is frozen only once voting has closed."))
    ballots_count(poll=poll, everything=True)
    problems = polls_drift(polls=[poll], ballots=True)
    if problems:
        raise ValidationError(
            _("The counters do not match the ballots: %(problems)s")
            % {"problems": "; ".join(problems)}
        )
    poll.refresh_from_db(fields=["ballot_count"])
    channels = result_channels(poll=poll)
    options = list(poll.options.all())
    eligible, basis = poll.electorate_at()
    result = Result.objects.create(
        poll=poll,
        ballots=sum(channel["ballots"] for channel in channels),
        participants=Participation.objects.filter(poll=poll).count(),
        eligible=eligible,
        eligible_basis=basis,
        eligible_source=poll.electorate_source if basis == Result.Basis.STATED else "",
        counts=[
            [option.label, sum(dict(c["counts"])[option.label] for c in channels)]
            for option in options
        ],
        channels=channels,
        receipts_sha256=Ballot.objects.filter(poll=poll).receipts_sha256(),
    )
    emails_write(
        key=f"poll:{poll.pk}:published",
        kind=Kind.POLLS,
        recipients=poll.followers.filter(is_active=True),
        template="consultations/email/poll.txt",
        context={"poll": poll, "event": "published", "result": result},
    )
    return result


def result_channels(*, poll: Poll) -> list[dict]:
    """Counts per channel: online (the ballot box), then each booth's paper totals.

    Refuses while a booth that recorded participations has not entered its totals.
    """
    options = list(poll.options.all())
    channels = [
        {
            "channel": "online",
            "name": "",
            "ballots": poll.ballot_count,
            "counts": [[option.label, option.votes] for option in options],
        }
    ]
    booths = (
        poll.booths.annotate(recorded=Count("participations", distinct=True))
        .order_by("name")
        .prefetch_related("counts")
    )
    for booth in booths:
        if booth.totals_entered_at is None:
            if booth.recorded:
                raise ValidationError(
                    _("The booth %(booth)s has not entered its paper totals yet.")
                    % {"booth": booth.name}
                )
            continue
        votes = {count.option_id: count.votes for count in booth.counts.all()}
        channels.append(
            {
                "channel": "booth",
                "name": booth.name,
                "ballots": booth.ballots,
                "counts": [[option.label, votes.get(option.pk, 0)] for option in options],
            }
        )
    return channels


def poll_close_now(*, poll: Poll) -> Result | None:
    """The secretariat ends voting now; returns the published result, or None while booths'
    paper totals are missing.

    The new closing time is committed first: votes arriving meanwhile are refused without
    taking the poll's lock, and freezing waits only for the votes already in flight. Without
    every booth's totals the poll stays closed and counting (`Poll.is_counting`); beat
    (`polls_close`) publishes it within `publication_minutes()` of the last booth's totals.
    """
    now = timezone.now()
    if poll.closes_at > now:
        poll.closes_at = max(now, poll.opens_at + dt.timedelta(seconds=1))
        poll.save(update_fields=["closes_at"])
        pages_outdate()
    if poll.booths.awaiting_totals().exists():
        return None
    return poll_freeze(poll=poll)


def polls_close(*, now=None) -> int:
    """Beat: freezes and publishes every poll whose voting has closed and whose booths have
    all entered their totals (safe to run twice)."""
    frozen = 0
    for poll in Poll.objects.due_for_closing(now):
        if poll.booths.awaiting_totals().exists():
            continue  # counting: published once the last booth's totals are in
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
                    kind=Kind.POLLS,
                    recipients=poll.followers.filter(is_active=True),
                    template="consultations/email/poll.txt",
                    context={"poll": poll, "event": "opened"},
                )
    return sent


# On-site voting ------------------------------------------------------------------------------


@transaction.atomic
def booth_participation_record(
    *, booth: Booth, name: str, birth_date, district: str, id_checked: bool, now=None
) -> Participation:
    """A poll officer records that the person in front of them takes a paper ballot.

    The person is checked against the residents' list or, failing that, an ID the officer saw;
    their resident key is recorded so that they can take part only once, here or online.
    Nothing ties the paper ballot to them: it goes in the box, and only totals are entered.
    """
    now = now or timezone.now()
    poll = Poll.objects.lock_for_voting(booth.poll_id)
    if not poll.is_open_at(now) or Result.objects.filter(poll=poll).exists():
        raise ValidationError(_("This poll is not open for voting."))
    if booth.totals_entered_at is not None:
        raise ValidationError(_("This booth's totals are entered: it records no more voters."))
    key = person_key(name=name, birth_date=birth_date, district=district)
    if not id_checked and not ResidentEntry.objects.filter(key=key).exists():
        raise ValidationError(
            _(
                "Not on the residents' list: check an ID showing a Gwangju address, then tick "
                "the box."
            )
        )
    if poll.minimum_age and age_on(birth_date, timezone.localdate(now)) < poll.minimum_age:
        raise ValidationError(_("This poll is open from age %(age)d.") % {"age": poll.minimum_age})
    holder = Verification.objects.filter(identity_key=key).values_list("user", flat=True).first()
    if holder is not None and Participation.objects.filter(poll=poll, user=holder).exists():
        raise ValidationError(_("This person has already voted in this poll (online)."))
    try:
        participation = Participation.objects.create(
            poll=poll, user_id=holder, booth=booth, day=timezone.localdate(now)
        )
        ParticipationKey.objects.create(participation=participation, poll=poll, key=key)
    except IntegrityError:
        raise ValidationError(_("This person has already voted in this poll.")) from None
    return participation


@transaction.atomic
def booth_totals_enter(*, booth: Booth, ballots: int, invalid: int, votes: dict) -> Booth:
    """The paper totals of a booth; refused unless they match the participations recorded.

    The ballots in the box must be as many as the voters recorded; valid ballots are the rest
    of the invalid ones; with one choice each the votes add up to the valid ballots, with
    several no option has more votes than valid ballots. Entering again replaces the totals,
    until the result is frozen.
    """
    booth = Booth.objects.select_for_update().select_related("poll").get(pk=booth.pk)
    poll = booth.poll
    if Result.objects.filter(poll=poll).exists():
        raise ValidationError(_("The result is frozen: the booth's totals can no longer change."))
    recorded = booth.participations.count()
    options = {option.pk for option in poll.options.all()}
    votes = {int(pk): int(n) for pk, n in votes.items()}
    if set(votes) != options or min(votes.values(), default=0) < 0 or invalid < 0:
        raise ValidationError(_("Enter a number of votes for every option."))
    if ballots != recorded:
        raise ValidationError(
            _(
                "The box holds %(ballots)d ballots but %(recorded)d voters were recorded at this "
                "booth: count again."
            )
            % {"ballots": ballots, "recorded": recorded}
        )
    valid = ballots - invalid
    if valid < 0:
        raise ValidationError(_("There are more invalid ballots than ballots."))
    if poll.allowed_choices == 1 and sum(votes.values()) != valid:
        raise ValidationError(
            _("The votes add up to %(sum)d, but there are %(valid)d valid ballots.")
            % {"sum": sum(votes.values()), "valid": valid}
        )
    if any(n > valid for n in votes.values()) or sum(votes.values()) > valid * poll.allowed_choices:
        raise ValidationError(_("An option has more votes than there are valid ballots."))
    booth.counts.all().delete()
    BoothCount.objects.bulk_create(
        [BoothCount(booth=booth, option_id=pk, votes=n) for pk, n in votes.items()]
    )
    booth.ballots, booth.invalid, booth.totals_entered_at = ballots, invalid, timezone.now()
    booth.save(update_fields=["ballots", "invalid", "totals_entered_at"])
    return booth


# Personal data (registered with the kernel's privacy services) -------------------------------


def personal_data_export(*, user) -> dict[str, list[dict]]:
    """Which polls the person took part in: never what they chose, which nothing ties to them."""
    return {
        "poll_participations": [
            {
                "poll": p.poll.question,
                "booth": p.booth.name if p.booth else None,
                "day": p.day.isoformat(),
            }
            for p in Participation.objects.filter(user=user)
            .select_related("poll", "booth")
            .order_by("pk")
        ],
        "followed_polls": [{"poll": p.question} for p in user.followed_polls.order_by("pk")],
    }


def personal_data_erase(*, user, now) -> None:
    """Participations stay with their identity keys (one vote per person, turnout) but leave the
    account: a key is the keyed hash of the person's resident details or phone, and would tie
    the deleted account to whoever verifies with them again. Follows go."""
    Participation.objects.filter(user=user).update(user=None)
    user.followed_polls.clear()
