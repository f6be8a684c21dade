import functools
import hashlib
import json
import math
import secrets
import uuid
from collections import Counter

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ogp_portal.search_index import SearchIndexField
from verification.models import Requirement

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I to misread
RECEIPT_PATTERN = rf"[{RECEIPT_ALPHABET}]{{4}}-[{RECEIPT_ALPHABET}]{{4}}-[{RECEIPT_ALPHABET}]{{4}}"
# A sealed envelope's clear text is padded to a multiple of this, so that its length does not
# tell how many options, or which, a ballot marks.
ENVELOPE_BLOCK = 512


def new_receipt() -> str:
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


# Online counts shown while voting, subtracted from the final result, would give the booths'
# totals: a poll voted at booths shows its result after closing only.
LIVE_WITH_BOOTHS = _(
    "A poll voted at booths shows its results after closing only: online counts shown while "
    "voting, taken from the final result, would tell what the booths chose."
)
RESULTS_FIXED = _(
    "Once someone has voted, when the results are shown stays as voters were told: live "
    "counts already seen, taken from a later result, would tell what booths added after."
)
# The database holds the same (consultations 0010).
MINIMUM_FIXED = _(
    "Once someone has voted, the smallest group published stays as it was: a smaller one "
    "would publish on their own the booths it was chosen to keep merged."
)


class PollQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published_at__isnull=False)

    def open(self, now=None):
        now = now or timezone.now()
        return self.public().filter(opens_at__lte=now, closes_at__gt=now)

    def due_for_closing(self, now=None):
        return self.public().filter(closes_at__lte=now or timezone.now(), result__isnull=True)

    def with_envelopes(self):
        return self.filter(pk__in=Envelope.objects.values("poll"))

    def lock_for_voting(self, pk: int) -> "Poll":
        """The poll with its row locked `FOR KEY SHARE` until the end of the transaction.

        Votes take this shared lock side by side and never wait for each other; freezing takes
        `FOR UPDATE`, which waits for every vote in flight and makes later ones wait until the
        result is frozen (they then find it and are refused).
        """
        query = self.filter(pk=pk).order_by()
        sql, params = query.query.sql_with_params()
        if connections[self.db].features.has_select_for_update:
            sql += " FOR KEY SHARE"
        return self.raw(sql, params)[0]


def publication_minutes() -> int:
    """Within how many minutes beat publishes a closed poll whose booth totals are in."""
    interval = settings.CELERY_BEAT_SCHEDULE["consultations-close-polls"]["schedule"]
    return max(1, math.ceil(float(interval) / 60))


class Poll(Requirement):
    """A "시민에게 묻습니다" question put to verified citizens, one secret ballot each.

    Its requirement (`Requirement`) says which verification voters need, online and at a booth.
    """

    class Kind(models.TextChoices):
        FOR_AGAINST = "for_against", _("For or against")
        SINGLE = "single", _("One choice")
        MULTIPLE = "multiple", _("Several choices")

    class Results(models.TextChoices):
        LIVE = "live", _("Shown while voting")
        AFTER_CLOSING = "after_closing", _("Shown after closing")

    question = models.CharField(_("question"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    explanation = models.TextField(_("explanation"), blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="polls", verbose_name=_("proposals")
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.FOR_AGAINST
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most choices a ballot may mark"),
        default=1,
        help_text=_("For several choices; one otherwise."),
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    results = models.CharField(
        _("results"), max_length=16, choices=Results.choices, default=Results.AFTER_CLOSING
    )
    promotion = models.TextField(_("promotion"), blank=True)
    disclosure_minimum = models.PositiveSmallIntegerField(
        _("smallest group published"),
        default=10,
        db_default=10,
        help_text=_(
            "A channel or booth with fewer ballots is not published on its own: it is added "
            "to “Other booths”, so that nobody's choice can be told from a small group."
        ),
    )
    electorate = models.PositiveIntegerField(
        _("stated electorate"),
        null=True,
        blank=True,
        help_text=_(
            "How many people may vote, as the city states it (for instance the residents of "
            "the age in the districts asked). Empty: turnout counts the people verified as the "
            "poll requires."
        ),
    )
    electorate_source = models.CharField(
        _("what the stated electorate counts"),
        max_length=200,
        blank=True,
        help_text=_("Shown beside the number, e.g. residents aged 14 or over, Buk-gu, 2026-11."),
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="followed_polls",
        verbose_name=_("followers"),
    )
    # Counted ballots: folded from the ballot box by the count (beat, and freezing), in the
    # same transaction as the ballots it drops in. No request counts ballots.
    ballot_count = models.PositiveIntegerField(_("ballots"), default=0, editable=False)
    # Blank ballots of random choices the count wrote beside small batches (`Ballot.seal`):
    # how many is no secret, which ones is.
    padding_count = models.PositiveIntegerField(
        _("padding ballots"), default=0, db_default=0, editable=False
    )
    # What the real ballots in the box chose, sealed as envelopes are (`Poll.tally_seal`), and
    # what they chose at the last step of the counters: nobody without the site's key reads
    # either, so no tally of the real ballots stands in the clear before the result but the
    # one the pages show, a step behind (`services._tally_step`).
    sealed_tally = models.BinaryField(null=True, editable=False)
    sealed_step = models.BinaryField(null=True, editable=False)
    # How many real ballots in the box mark one option, two, …, sealed as the tally is
    # (`Poll.marks_seal`): the padding marks as many options as voters do (`services._padding`).
    sealed_marks = models.BinaryField(null=True, editable=False)
    # The option counters (`Option.votes`) move in steps of at least POLL_BALLOTS_PER_BATCH
    # ballots, all options in one statement: the ballots they hold.
    tallied_ballot_count = models.PositiveIntegerField(
        _("ballots tallied"), default=0, db_default=0, editable=False
    )
    # What the pages show while voting: the counters one step behind (`Option.shown_votes`),
    # so that the final result minus the last live figures holds at least a whole step.
    shown_ballot_count = models.PositiveIntegerField(
        _("ballots shown"), default=0, db_default=0, editable=False
    )
    counted_at = models.DateTimeField(_("last counted"), null=True, blank=True, editable=False)
    opening_announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    search_index = SearchIndexField(title=["question"], body=["explanation"])

    def tally_seal(self, votes: dict[int, int]) -> bytes:
        """A tally of real ballots (option → ballots marking it), sealed."""
        return _counts_sealed("consultations.Poll.tally", votes, str(self.pk))

    def tally_open(self, sealed: bytes | None) -> dict[int, int] | None:
        """A sealed tally (`sealed_tally` or `sealed_step`); None for none kept yet."""
        return _counts_opened("consultations.Poll.tally", sealed, str(self.pk))

    def marks_seal(self, ballots: dict[int, int]) -> bytes:
        """The real ballots by number of options marked (marks → ballots), sealed."""
        return _counts_sealed("consultations.Poll.marks", ballots, str(self.pk))

    def marks_open(self, sealed: bytes | None) -> dict[int, int] | None:
        """`sealed_marks` opened; None for none kept yet."""
        return _counts_opened("consultations.Poll.marks", sealed, str(self.pk))

    objects = PollQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="poll_closes_after_opening"
            ),
            models.CheckConstraint(condition=Q(max_choices__gte=1), name="poll_max_choices"),
            models.CheckConstraint(
                condition=Q(disclosure_minimum__gte=2), name="poll_disclosure_minimum"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["for_against", "single", "multiple"]), name="poll_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(results__in=["live", "after_closing"]), name="poll_results_valid"
            ),
            models.CheckConstraint(
                condition=Q(electorate__isnull=True) | ~Q(electorate_source=""),
                name="poll_electorate_says_what_it_counts",
            ),
            *Requirement.Meta.constraints,
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("consultations:poll_detail", kwargs={"slug": self.slug})

    def is_open_at(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    @property
    def is_open(self) -> bool:
        return self.is_open_at()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_closed(self) -> bool:
        return timezone.now() >= self.closes_at

    @property
    def is_counting(self) -> bool:
        """Voting has closed and the result is not published yet ("closed · counting")."""
        return self.is_published and self.has_closed and not hasattr(self, "result")

    @property
    def shows_results(self) -> bool:
        return self.has_closed or self.results == self.Results.LIVE

    def clean(self) -> None:
        if self.results == self.Results.LIVE and self.pk and self.booths.exists():
            raise ValidationError({"results": LIVE_WITH_BOOTHS})
        if self.has_participations():
            results, minimum = (
                Poll.objects.filter(pk=self.pk).values_list("results", "disclosure_minimum").get()
            )
            if results != self.results:
                raise ValidationError({"results": RESULTS_FIXED})
            if minimum != self.disclosure_minimum:
                raise ValidationError({"disclosure_minimum": MINIMUM_FIXED})

    @property
    def allowed_choices(self) -> int:
        return self.max_choices if self.kind == self.Kind.MULTIPLE else 1

    def has_participations(self) -> bool:
        """Someone has voted: the question and its options stay as voters saw them."""
        return self.pk is not None and self.participations.exists()

    def electorate_at(self, now=None) -> tuple[int, str]:
        """(people eligible, basis) for turnout: never fewer than the people who took part.

        The city's stated electorate when the poll has one and it holds everyone who voted;
        otherwise the accounts that meet the poll's requirement, with every participant among
        them, plus the voters a booth checked who have no account.
        """
        participants = self.participations.count()
        if self.electorate is not None and self.electorate >= participants:
            return self.electorate, Result.Basis.STATED
        accounts = (
            get_user_model()
            .objects.filter(
                Q(pk__in=self.eligible_people(now=now).values("pk"))
                | Q(pk__in=self.participations.values("user"))
            )
            .count()
        )
        return accounts + self.participations.filter(user=None).count(), Result.Basis.VERIFIED

    def eligible_description(self) -> str:
        """What the people eligible of the requirement are, in words."""
        if self.minimum_age:
            return gettext("%(method)s, aged %(age)d or over") % {
                "method": self.get_required_verification_display(),
                "age": self.minimum_age,
            }
        return str(self.get_required_verification_display())


class Option(models.Model):
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="options", verbose_name=_("poll")
    )
    label = models.CharField(_("label"), max_length=200)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=0)
    votes = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    shown_votes = models.PositiveIntegerField(
        _("votes shown"), default=0, db_default=0, editable=False
    )

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["poll", "label"], name="option_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Participation(models.Model):
    """Who took part: one row per person and poll. It says nothing of what they chose.

    Online, the person is the account. At a booth (`booth`) the person may have no account.
    Every identity the person proved (`keys`: their resident key, their phone's key) stands
    once in a poll, so that one person takes part once whichever channel comes first, from
    whichever account, and again after deleting one. Deleting the account detaches its
    participations (`user` empty): the keys stay, for one vote per person, and the turnout, but
    nothing ties them to the deleted account any more.
    """

    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="participations", verbose_name=_("poll")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="poll_participations",
        verbose_name=_("person"),
    )
    booth = models.ForeignKey(
        "Booth",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("booth"),
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="participation_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.booth or _('Former member')} · {self.poll}"


class ParticipationKey(models.Model):
    """An identity a participant proved: the keyed hash of their resident details or of their
    phone (`verification`). The database lets each stand once in a poll."""

    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="keys",
        verbose_name=_("participation"),
    )
    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="+", verbose_name=_("poll")
    )
    key = models.CharField(_("identity key"), max_length=80, editable=False)

    class Meta:
        verbose_name = _("participation key")
        verbose_name_plural = _("participation keys")
        constraints = [
            models.UniqueConstraint(fields=["poll", "key"], name="participation_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.participation} · {self.key[:8]}"


class BoothQuerySet(models.QuerySet):
    def awaiting_totals(self):
        """Booths that recorded voters and have not entered their paper totals."""
        return self.filter(totals_entered_at=None, participations__isnull=False).distinct()


class Booth(models.Model):
    """A place where a poll is voted on site (행정복지센터), with its officers and paper totals.

    Paper ballots are counted at the booth; only their totals per option reach the portal, and
    only when they add up to the participations the officers recorded there.
    """

    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="booths", verbose_name=_("poll")
    )
    name = models.CharField(_("name"), max_length=120)
    place = models.CharField(_("place"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=200)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="booths",
        verbose_name=_("poll officers"),
    )
    ballots = models.PositiveIntegerField(_("paper ballots"), null=True, blank=True, editable=False)
    invalid = models.PositiveIntegerField(_("invalid ballots"), default=0, editable=False)
    totals_entered_at = models.DateTimeField(_("totals entered"), null=True, editable=False)

    objects = BoothQuerySet.as_manager()

    class Meta:
        ordering = ["poll", "name"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["poll", "name"], name="booth_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("consultations:booth", kwargs={"slug": self.poll.slug, "pk": self.pk})

    def clean(self) -> None:
        if self.poll_id and self.poll.results == Poll.Results.LIVE:
            raise ValidationError({"poll": LIVE_WITH_BOOTHS})

    def is_officer(self, user) -> bool:
        return user.is_authenticated and self.officers.filter(pk=user.pk).exists()


class BoothCount(models.Model):
    """Paper votes for one option at one booth."""

    booth = models.ForeignKey(
        Booth, on_delete=models.CASCADE, related_name="counts", verbose_name=_("booth")
    )
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, related_name="booth_counts", verbose_name=_("option")
    )
    votes = models.PositiveIntegerField(_("votes"))

    class Meta:
        verbose_name = _("booth count")
        verbose_name_plural = _("booth counts")
        constraints = [
            models.UniqueConstraint(fields=["booth", "option"], name="booth_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booth} · {self.option}"


def _ciphers(purpose: str) -> list[AESGCM]:
    """The ciphers that seal and open envelopes (or, for another `purpose`, a ballot's mark or a
    poll's tally), under keys derived from the secret key (then its fallbacks)."""
    return _ciphers_under(purpose, (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


@functools.lru_cache(maxsize=16)
def _ciphers_under(purpose: str, secret_keys: tuple[str, ...]) -> list[AESGCM]:
    # Derived once per key: freezing a poll opens the mark of every ballot in its box.
    return [
        AESGCM(salted_hmac(purpose, "key", secret=secret, algorithm="sha256").digest())
        for secret in secret_keys
    ]


def _sealed(purpose: str, clear: bytes, bound: str) -> bytes:
    nonce = secrets.token_bytes(12)
    return nonce + _ciphers(purpose)[0].encrypt(nonce, clear, bound.encode())


def _opened(purpose: str, sealed: bytes, bound: str) -> bytes:
    """The clear text; raises `InvalidTag` if no key of the site opens it."""
    sealed = bytes(sealed)
    for cipher in _ciphers(purpose):
        try:
            return cipher.decrypt(sealed[:12], sealed[12:], bound.encode())
        except InvalidTag:
            continue
    raise InvalidTag(f"{purpose} opens with none of the site's keys.")


def _counts_sealed(purpose: str, counts: dict[int, int], bound: str) -> bytes:
    """Counts by key, sealed, padded so that their length says nothing of what is counted."""
    clear = json.dumps({str(key): n for key, n in sorted(counts.items())}).encode()
    clear = clear.ljust(-(-len(clear) // ENVELOPE_BLOCK) * ENVELOPE_BLOCK)
    return _sealed(purpose, clear, bound)


def _counts_opened(purpose: str, sealed: bytes | None, bound: str) -> dict[int, int] | None:
    if sealed is None:
        return None
    return {int(key): n for key, n in json.loads(_opened(purpose, sealed, bound)).items()}


class Envelope(models.Model):
    """A ballot on its way to the box, sealed: written with the participation, opened by the count.

    Its content (receipt and options) is encrypted with AES-GCM under a key derived from the
    site's secret key, which the database does not hold, and padded to a fixed length. Whoever
    reads the table, a backup or the write-ahead log sees which participation wrote it, but not
    what it holds. The count opens envelopes in shuffled batches and deletes them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="envelopes", verbose_name=_("poll")
    )
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("sealed envelope")
        verbose_name_plural = _("sealed envelopes")

    def __str__(self) -> str:
        return str(self.pk)

    @staticmethod
    def seal(*, poll_id: int, receipt: str, option_ids: list[int]) -> bytes:
        clear = json.dumps({"receipt": receipt, "options": sorted(option_ids)}).encode()
        clear = clear.ljust(-(-len(clear) // ENVELOPE_BLOCK) * ENVELOPE_BLOCK)
        return _sealed("consultations.Envelope", clear, str(poll_id))

    def open(self) -> tuple[str, list[int]]:
        """(receipt, option ids); raises `InvalidTag` if no key of the site opens it."""
        data = json.loads(_opened("consultations.Envelope", self.content, str(self.poll_id)))
        return data["receipt"], data["options"]


class BallotQuerySet(models.QuerySet):
    def receipt_codes(self):
        """Receipt codes in byte order, streamed from the database (the published list)."""
        return self.order_by("receipt").values_list("receipt", flat=True).iterator(5000)

    def receipts_sha256(self) -> str:
        """SHA-256 of the list as downloaded: each code followed by "\\n", in UTF-8."""
        digest = hashlib.sha256()
        for code in self.receipt_codes():
            digest.update(f"{code}\n".encode())
        return digest.hexdigest()

    def marks_opened(self) -> tuple[list, Counter]:
        """Every mark opened, in one pass over these ballots read as plain rows (freezing
        opens a whole box): the keys of the padding, and how many real ballots mark one option,
        two, …"""
        rows = self.annotate(marked=models.Count("choices")).values_list(
            "pk", "poll_id", "seal", "marked"
        )
        padding, sizes = [], Counter()
        for pk, poll, seal, marked in rows.iterator(5000):
            if _marks_padding(poll, pk, seal):
                padding.append(pk)
            else:
                sizes[marked] += 1
        return padding, sizes


def _marks_padding(poll_id: int, pk, seal) -> bool:
    """Opens a ballot's mark: only the site's key tells padding from a real ballot."""
    if seal is None:
        return False
    return _opened("consultations.Ballot", seal, f"{poll_id}:{pk}") == b"\x01"


class Ballot(models.Model):
    """What was chosen, with a random receipt: no person, no time, no order of voting.

    Only the count writes ballots, in shuffled batches of many (see `Envelope`), so a ballot
    shares its transaction id and its neighbourhood in the table with a whole batch.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("poll")
    )
    options = models.ManyToManyField(
        Option, through="BallotChoice", related_name="+", verbose_name=_("options")
    )
    receipt = models.CharField(_("receipt"), max_length=14)
    # Real or padding, sealed (the same length either way): a count too small to hide its
    # ballots adds blank ballots of random choices to its batch, which count for no option.
    # Empty: a ballot counted before padding was (a real one).
    seal = models.BinaryField(null=True, editable=False)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["poll", "receipt"], name="ballot_receipt_once"),
        ]

    def __str__(self) -> str:
        return self.receipt

    def mark(self, *, padding: bool) -> None:
        self.seal = _sealed(
            "consultations.Ballot", b"\x01" if padding else b"\x00", f"{self.poll_id}:{self.pk}"
        )

    @property
    def is_padding(self) -> bool:
        """Opens the mark (`_marks_padding`)."""
        return _marks_padding(self.poll_id, self.pk, self.seal)


class BallotChoice(models.Model):
    """One option marked on a ballot; random keys, so their order says nothing either."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot choice")
        verbose_name_plural = _("ballot choices")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="ballot_choice_once"),
        ]

    def __str__(self) -> str:
        return str(self.option_id)


class Result(models.Model):
    """The frozen result of a closed poll, as published; freezing twice changes nothing."""

    class Basis(models.TextChoices):
        STATED = "stated", _("the electorate the city states")
        VERIFIED = "verified", _("the people verified as the poll requires")

    poll = models.OneToOneField(
        Poll, on_delete=models.PROTECT, related_name="result", verbose_name=_("poll")
    )
    frozen_at = models.DateTimeField(_("frozen"), default=timezone.now)
    ballots = models.PositiveIntegerField(_("ballots"))
    participants = models.PositiveIntegerField(_("participants"))
    eligible = models.PositiveIntegerField(
        _("eligible voters"),
        null=True,
        blank=True,
        help_text=_(
            "People who could vote when the poll closed (see basis); never fewer than the "
            "participants. Empty when unknown."
        ),
    )
    eligible_basis = models.CharField(
        _("eligible voters counted as"),
        max_length=16,
        choices=Basis.choices,
        blank=True,
        help_text=_("Empty when unknown."),
    )
    eligible_source = models.CharField(
        _("what the stated electorate counts"),
        max_length=200,
        blank=True,
        help_text=_("Frozen with the result when the city stated the electorate."),
    )
    counts = models.JSONField(_("counts"), help_text=_("Option label → votes, in order."))
    channels = models.JSONField(
        _("counts per channel"),
        default=list,
        help_text=_("Online, then each booth: name, ballots and option label → votes."),
    )
    receipts_sha256 = models.CharField(
        _("SHA-256 of the receipt list"),
        max_length=64,
        help_text=_(
            "Of the downloadable list: every counted code in byte order, each followed "
            "by a line feed, in UTF-8."
        ),
    )

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible__isnull=True, eligible_basis="")
                | Q(eligible__gte=F("participants"), eligible_basis__in=["stated", "verified"]),
                name="result_eligible_holds_participants",
            ),
        ]

    def __str__(self) -> str:
        return str(self.poll)

    @property
    def ballots_online(self) -> int:
        online = [c["ballots"] for c in self.channels if c["channel"] == "online"]
        return online[0] if online else self.ballots

    @property
    def ballots_on_site(self) -> int:
        return self.ballots - self.ballots_online

    @property
    def turnout(self) -> float | None:
        """Ballots (online and on site) per person eligible, in per cent; at most 100."""
        return 100 * self.ballots / self.eligible if self.eligible else None

    def eligible_label(self) -> str:
        """What `eligible` counts, in words."""
        if self.eligible_basis == self.Basis.STATED:
            return gettext("%(source)s, as the city states it") % {"source": self.eligible_source}
        if self.eligible_basis == self.Basis.VERIFIED:
            return gettext(
                "people who may vote (%(rule)s): accounts verified on the portal, and voters a "
                "booth checked who have none"
            ) % {"rule": self.poll.eligible_description()}
        return ""

    def turnout_figures(self) -> dict:
        """The turnout as published everywhere (page, downloads, open data): each figure with
        what it counts."""
        turnout = self.turnout
        return {
            "ballots": self.ballots,
            "ballots_online": self.ballots_online,
            "ballots_on_site": self.ballots_on_site,
            "eligible": self.eligible,
            "eligible_counts": self.eligible_label(),
            "turnout_percent": None if turnout is None else round(turnout, 1),
        }

    def published_channels(self) -> list[dict]:
        """The counts per channel as every page and download shows them: small groups merged
        (`consultations.disclosure`); [] when only the total may be shown."""
        from .disclosure import channels_disclosed

        return channels_disclosed(self.channels, minimum=self.poll.disclosure_minimum)
