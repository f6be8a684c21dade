"""Small-count protection: no published breakdown shows a group of fewer than k ballots.

A booth where one resident voted would publish that resident's choice beside their recorded
participation. Each poll sets k (`Poll.disclosure_minimum`, 10 by default). Channels (online,
each booth) with fewer than k ballots are added together into one row; while that row itself
holds fewer than k, the next smallest channel joins it, so that no row can be worked out by
subtracting the others from the total either. When no two rows of at least k remain, only the
total is published.
"""

OTHER = "other"


def channels_disclosed(channels: list[dict], *, minimum: int) -> list[dict]:
    """The channels as they may be published: each row holds at least `minimum` ballots.

    A merged row has `channel` "other", `online` telling whether the online channel is in it,
    and `booths` counting the booths it holds. Returns [] when no breakdown can be published.
    """
    if len(channels) < 2:
        return []
    ordered = sorted(channels, key=lambda channel: channel["ballots"])
    small = [channel for channel in ordered if channel["ballots"] < minimum]
    shown = [channel for channel in ordered if channel["ballots"] >= minimum]
    while small and sum(channel["ballots"] for channel in small) < minimum and shown:
        small.append(shown.pop(0))
    if len(shown) + bool(small) < 2:
        return []
    rows = [channel for channel in channels if channel in shown]
    if small:
        labels = [label for label, _votes in channels[0]["counts"]]
        rows.append(
            {
                "channel": OTHER,
                "name": "",
                "online": any(channel["channel"] == "online" for channel in small),
                "booths": sum(channel["channel"] == "booth" for channel in small),
                "ballots": sum(channel["ballots"] for channel in small),
                "counts": [
                    [label, sum(dict(channel["counts"])[label] for channel in small)]
                    for label in labels
                ],
            }
        )
    return rows
