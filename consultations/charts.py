"""A server-rendered, accessible bar chart of a poll's result (SVG; its table is the text)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    votes: int
    percent: float
    y: int
    width: float


def result_bars(counts: list[tuple[str, int]], *, width: int = 600, row: int = 44) -> dict:
    total = sum(votes for _, votes in counts)
    most = max((votes for _, votes in counts), default=0) or 1
    bars = [
        Bar(
            label=label,
            votes=votes,
            percent=round(100 * votes / total, 1) if total else 0.0,
            y=index * row,
            width=round((width - 250) * votes / most, 1),
        )
        for index, (label, votes) in enumerate(counts)
    ]
    return {"bars": bars, "total": total, "width": width, "height": max(len(bars), 1) * row}
