"""The picture of an opinion map's groups: one circle per group at its place on the two main
axes of disagreement, its area in proportion to its size, its letter and size written in it.
Server-rendered SVG; the table beside it gives the same numbers as text."""

import math

WIDTH, HEIGHT, MARGIN = 480, 300, 60
LARGEST_RADIUS = 48
SMALLEST_RADIUS = 18


def group_picture(groups: list[dict]) -> dict:
    xs = [g["x"] for g in groups]
    ys = [g["y"] for g in groups]
    spread_x = (max(xs) - min(xs)) or 1.0
    spread_y = (max(ys) - min(ys)) or 1.0
    largest = max(g["size"] for g in groups) or 1
    circles = [
        {
            "label": g["label"],
            "size": g["size"],
            "cx": round(MARGIN + (g["x"] - min(xs)) / spread_x * (WIDTH - 2 * MARGIN), 1),
            "cy": round(MARGIN + (g["y"] - min(ys)) / spread_y * (HEIGHT - 2 * MARGIN), 1),
            "r": round(max(SMALLEST_RADIUS, LARGEST_RADIUS * math.sqrt(g["size"] / largest)), 1),
        }
        for g in groups
    ]
    return {"width": WIDTH, "height": HEIGHT, "circles": circles}
