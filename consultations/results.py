"""A poll's results: the frozen result once published, the live counters before it."""

from django.conf import settings

from .models import Poll, Result


def result_of(poll: Poll) -> Result | None:
    try:
        return poll.result
    except Result.DoesNotExist:
        return None


def counts_of(poll: Poll, result: Result | None) -> list[tuple[str, int]]:
    """Frozen counts once published, live counters before: never a count over ballots."""
    if result is not None:
        return [(label, votes) for label, votes in result.counts]
    return [(option.label, option.shown_votes) for option in poll.options.all()]


def channels_of(result: Result | None) -> list[dict]:
    """A frozen result's counts per channel, small groups merged; [] when only the total shows."""
    if result is None:
        return []
    return result.published_channels()


def poll_results(poll: Poll) -> dict:
    """A poll's results as published data: counts only, no person, no ballot. The poll's
    CSV and JSON downloads and the open data's poll results are all made from this."""
    result = result_of(poll)
    counts = counts_of(poll, result)
    total = sum(votes for _, votes in counts)
    return {
        "poll": poll.slug,
        "question": poll.question,
        "opens_at": poll.opens_at.isoformat(),
        "closes_at": poll.closes_at.isoformat(),
        "final": result is not None,
        "ballots": result.ballots if result else poll.shown_ballot_count,
        "participants": result.participants if result else poll.shown_ballot_count,
        "turnout": result.turnout_figures() if result else None,
        "smallest_group_published": poll.disclosure_minimum,
        "channels": [
            {
                "channel": channel["channel"],
                "name": channel["name"],
                "ballots": channel["ballots"],
                "options": [{"label": label, "votes": votes} for label, votes in channel["counts"]],
            }
            for channel in channels_of(result)
        ],
        "options": [
            {
                "label": label,
                "votes": votes,
                "percent": round(100 * votes / total, 1) if total else 0.0,
            }
            for label, votes in counts
        ],
        "licence": settings.OPEN_DATA_LICENCE,
    }
