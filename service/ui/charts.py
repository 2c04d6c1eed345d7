"""Server-rendered SVG charts: no JavaScript, no CDN, work offline, readable by screen readers
through their titles and the data tables beside them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from markupsafe import Markup, escape

from service.care.summaries import DayDistribution
from service.models import Observation

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28
COLOURS = {"pain": "#a4161a", "mood": "#0b5cad"}


def _y(value: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / 10)


def _axes(start: datetime, end: datetime) -> list[str]:
    parts = []
    for v in (0, 2, 4, 6, 8, 10):
        y = _y(v)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e1e6ec"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#4a5360">{v}</text>'
        )
    days = max((end - start).days, 1)
    step = max(days // 6, 1)
    for i in range(0, days + 1, step):
        x = LEFT + (WIDTH - LEFT - RIGHT) * i / days
        label = (start + timedelta(days=i)).strftime("%b %d")
        anchor = "end" if i + step > days else "middle"  # keep the last label inside the frame
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - 8}" font-size="11" text-anchor="{anchor}" fill="#4a5360">{label}</text>'
        )
    return parts


def member_chart(
    observations: Sequence[Observation], start: datetime, end: datetime, title: str
) -> Markup:
    """Pain and mood over time, one line each."""
    span = max((end - start).total_seconds(), 1)

    def x(at: datetime) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * min(max((at - start).total_seconds() / span, 0), 1)

    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>", *_axes(start, end)]  # fmt: skip
    for kind, colour in COLOURS.items():
        points = [(x(o.recorded_at), _y(o.value)) for o in observations if o.kind == kind]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{path}"/>'
            )
        for px, py in points:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}" class="point-{kind}"/>'
            )
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{TOP + 10}" font-size="12" text-anchor="end">'
        f'<tspan fill="{COLOURS["pain"]}">&#9679; pain</tspan> <tspan fill="{COLOURS["mood"]}">&#9679; mood</tspan></text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - text is escaped, the rest is numbers


def distribution_chart(
    days: Sequence[DayDistribution], start: datetime, end: datetime, kind: str
) -> Markup:
    """The group's daily spread of one kind: a bar from lowest to highest, box for the middle
    half, a dot for the median."""
    title = f"Group {kind} ratings per day: range, middle half and median"
    total = max((end.date() - start.date()).days, 1)
    colour = COLOURS.get(kind, "#333")
    parts = [f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>", *_axes(start, end)]  # fmt: skip
    for d in days:
        x = LEFT + (WIDTH - LEFT - RIGHT) * min(max((d.day - start.date()).days / total, 0), 1)
        parts.append(
            f'<line x1="{x:.1f}" y1="{_y(d.low):.1f}" x2="{x:.1f}" y2="{_y(d.high):.1f}" stroke="{colour}" stroke-opacity=".5"/>'
        )
        parts.append(
            f'<rect x="{x - 4:.1f}" y="{_y(d.q3):.1f}" width="8" height="{max(_y(d.q1) - _y(d.q3), 1):.1f}" fill="{colour}" fill-opacity=".35"/>'
        )
        parts.append(
            f'<circle cx="{x:.1f}" cy="{_y(d.median):.1f}" r="3.5" fill="{colour}" class="median"/>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - text is escaped, the rest is numbers
