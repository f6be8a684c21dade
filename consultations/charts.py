"""A server-rendered, accessible bar chart of a poll's result; its table is the text.

Labels and numbers are HTML text at the page's size (readable at 320 px); only the bars are
drawn, each an SVG scaled to the row, its length in per cent of the most voted option.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    votes: int
    percent: float
    length: float  # per cent of the most voted option's bar


def result_bars(counts: list[tuple[str, int]]) -> dict:
    total = sum(votes for _, votes in counts)
    most = max((votes for _, votes in counts), default=0) or 1
    bars = [
        Bar(
            label=label,
            votes=votes,
            percent=round(100 * votes / total, 1) if total else 0.0,
            length=round(100 * votes / most, 1),
        )
        for label, votes in counts
    ]
    return {"bars": bars, "total": total}
