"""Server-rendered SVG charts: no JavaScript, no CDN, work offline.

Every chart is drawn twice, once for a wide card and once for a phone, and CSS shows the one
that fits, so the axis labels stay at least 12 CSS pixels at every width (an SVG's text shrinks
with its picture). The legend is HTML beside the picture, and each chart carries a data table
with the same numbers for screen readers and for anyone who wants the values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from service.care.summaries import DayDistribution
from service.models import Observation

COLOURS = {"pain": "#a4161a", "mood": "#0b5cad"}
ANSWERED, MISSED, SESSION, ALERT = "#1e6b35", "#5c6670", "#5a3d8a", "#a4161a"
RANGES = (14, 30, 90)


@dataclass(frozen=True)
class _Frame:
    """The drawing area of one rendering: its size in SVG units and its label size."""

    width: int
    height: int
    font: int
    left: int = 34
    right: int = 10
    top: int = 22  # room for the alert markers
    bottom: int = 44  # room for the prompt strip and the date labels
    ticks: int = 6  # how many date labels fit

    @property
    def plot_bottom(self) -> int:
        return self.height - self.bottom

    def y(self, value: float) -> float:
        return self.top + (self.plot_bottom - self.top) * (1 - value / 10)

    def x(self, fraction: float) -> float:
        return self.left + (self.width - self.left - self.right) * min(max(fraction, 0.0), 1.0)


# Wide: shown from 48rem up, never wider than its own size (labels at 13 px, or 12+ down to a
# card of 600 px). Narrow: the phone, about 320 px of card at 390 px (labels near 13 px).
WIDE = _Frame(width=640, height=260, font=13, ticks=7)
NARROW = _Frame(width=320, height=230, font=13, left=28, ticks=3)


@dataclass(frozen=True)
class Chart:
    """One chart: its two renderings, its title and the table of the numbers drawn."""

    title: str
    wide: Markup
    narrow: Markup
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)


class _Timeline:
    """Maps times to x positions over [start, end] and labels local days."""

    def __init__(self, start: datetime, end: datetime, zone: ZoneInfo) -> None:
        self.start, self.end, self.zone = start, end, zone
        self.span = max((end - start).total_seconds(), 1.0)

    def fraction(self, at: datetime) -> float:
        return (at - self.start).total_seconds() / self.span

    def day_fraction(self, day: date) -> float:
        noon = datetime.combine(day, datetime.min.time(), self.zone) + timedelta(hours=12)
        return self.fraction(noon)

    def local_day(self, at: datetime) -> date:
        return at.astimezone(self.zone).date()


def _text(frame: _Frame, x: float, y: float, label: str, anchor: str = "middle",
          fill: str = "#3d4550") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{frame.font}" text-anchor="{anchor}" '
        f'fill="{fill}">{escape(label)}</text>'
    )


def _axes(frame: _Frame, timeline: _Timeline) -> list[str]:
    parts = []
    for v in (0, 2, 4, 6, 8, 10):
        y = frame.y(v)
        parts.append(
            f'<line x1="{frame.left}" y1="{y:.1f}" x2="{frame.width - frame.right}" '
            f'y2="{y:.1f}" stroke="#e1e6ec"/>'
        )
        parts.append(_text(frame, frame.left - 5, y + frame.font / 3, str(v), "end"))
    first, last = timeline.local_day(timeline.start), timeline.local_day(timeline.end)
    days = max((last - first).days, 1)
    step = max(-(-days // frame.ticks), 1)
    for i in range(0, days + 1, step):
        day = first + timedelta(days=i)
        x = frame.x(timeline.day_fraction(day))
        anchor = "start" if i == 0 else "end" if i + step > days else "middle"
        label = f"{day:%b} {day.day}"
        parts.append(_text(frame, x, frame.height - 6, label, anchor))
    return parts


def _svg(frame: _Frame, title: str, body: Iterable[str], css: str) -> Markup:
    head = (
        f'<svg class="{css}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-label="{escape(title)}" style="max-width:{frame.width}px">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - text escaped, the rest numbers


def rolling_average(points: Sequence[tuple[datetime, float]], days: int = 7) -> list[tuple[datetime, float]]:  # fmt: skip
    """The mean of the readings in the `days` before each reading (the reading included)."""
    out: list[tuple[datetime, float]] = []
    window: list[tuple[datetime, float]] = []
    total = 0.0
    for at, value in points:
        window.append((at, value))
        total += value
        while window[0][0] <= at - timedelta(days=days):
            total -= window.pop(0)[1]
        out.append((at, total / len(window)))
    return out


@dataclass(frozen=True)
class PromptMark:
    """A prompt that was sent: answered (or done) in its window, or missed."""

    at: datetime
    answered: bool


@dataclass(frozen=True)
class Marker:
    """A session of the group or an alert, drawn as a marker on the time axis."""

    at: datetime
    label: str


def member_chart(
    observations: Sequence[Observation],
    prompts: Sequence[PromptMark],
    sessions: Sequence[Marker],
    alerts: Sequence[Marker],
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    who: str,
) -> Chart:
    """Pain and mood readings with their 7-day averages, the prompts answered and missed, the
    group's sessions and the alerts raised, over [start, end]."""
    timeline = _Timeline(start, end, zone)
    days = round((end - start).total_seconds() / 86400)
    title = f"Pain and mood of {who}, last {days} days"
    by_kind = {
        kind: [(o.recorded_at, float(o.value)) for o in observations if o.kind == kind]
        for kind in COLOURS
    }
    averages = {kind: rolling_average(points) for kind, points in by_kind.items()}

    def draw(frame: _Frame) -> list[str]:
        parts = _axes(frame, timeline)
        for s in sessions:
            x = frame.x(timeline.fraction(s.at))
            parts.append(
                f'<line class="marker-session" x1="{x:.1f}" y1="{frame.top - 4}" x2="{x:.1f}" '
                f'y2="{frame.plot_bottom}" stroke="{SESSION}" stroke-dasharray="2 3"/>'
            )
        for kind, colour in COLOURS.items():
            avg = averages[kind]
            if len(avg) > 1:
                path = " ".join(
                    f"{frame.x(timeline.fraction(at)):.1f},{frame.y(v):.1f}" for at, v in avg
                )
                parts.append(
                    f'<polyline class="average-{kind}" fill="none" stroke="{colour}" '
                    f'stroke-width="3" stroke-opacity=".45" points="{path}"/>'
                )
            points = [(frame.x(timeline.fraction(at)), frame.y(v)) for at, v in by_kind[kind]]
            if len(points) > 1:
                path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="1.25" '
                    f'stroke-dasharray="{"none" if kind == "pain" else "5 3"}" points="{path}"/>'
                )
            for px, py in points:
                shape = (
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}" class="point-{kind}"/>'
                    if kind == "pain"
                    else f'<rect x="{px - 3.2:.1f}" y="{py - 3.2:.1f}" width="6.4" height="6.4" fill="{colour}" class="point-{kind}"/>'
                )
                parts.append(shape)
        strip = frame.plot_bottom + 12
        for p in prompts:
            x = frame.x(timeline.fraction(p.at))
            if p.answered:
                parts.append(
                    f'<rect class="prompt-answered" x="{x - 1.5:.1f}" y="{strip - 5}" width="3" '
                    f'height="10" fill="{ANSWERED}"/>'
                )
            else:
                parts.append(
                    f'<rect class="prompt-missed" x="{x - 1.5:.1f}" y="{strip - 2}" width="3" '
                    f'height="4" fill="{MISSED}"/>'
                )
        for a in alerts:
            x = frame.x(timeline.fraction(a.at))
            top = frame.top - 14
            parts.append(
                f'<path class="marker-alert" d="M{x:.1f},{top + 10} l-5,-9 h10 z" fill="{ALERT}">'
                f"<title>{escape(a.label)}</title></path>"
            )
        return parts

    rows = _member_rows(by_kind, averages, prompts, sessions, alerts, timeline)
    return Chart(
        title, _svg(WIDE, title, draw(WIDE), "chart-wide"),
        _svg(NARROW, title, draw(NARROW), "chart-narrow"),
        ("Day", "Pain", "Mood", "Pain, 7-day average", "Mood, 7-day average",
         "Prompts answered", "Events"),
        rows,
    )  # fmt: skip


def _member_rows(
    by_kind: dict[str, list[tuple[datetime, float]]],
    averages: dict[str, list[tuple[datetime, float]]],
    prompts: Sequence[PromptMark],
    sessions: Sequence[Marker],
    alerts: Sequence[Marker],
    timeline: _Timeline,
) -> list[tuple[str, ...]]:
    """One row per local day with anything on it, newest first."""
    values: dict[date, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    last_avg: dict[date, dict[str, float]] = defaultdict(dict)
    for kind in COLOURS:
        for at, v in by_kind[kind]:
            values[timeline.local_day(at)][kind].append(v)
        for at, v in averages[kind]:
            last_avg[timeline.local_day(at)][kind] = v
    answered: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for p in prompts:
        counts = answered[timeline.local_day(p.at)]
        counts[0] += p.answered
        counts[1] += 1
    events: dict[date, list[str]] = defaultdict(list)
    for m in (*sessions, *alerts):
        events[timeline.local_day(m.at)].append(m.label)
    rows = []
    for day in sorted({*values, *answered, *events}, reverse=True):

        def show(kind: str, day: date = day) -> str:
            got = values[day].get(kind)
            return ", ".join(f"{v:g}" for v in got) if got else "-"

        def avg(kind: str, day: date = day) -> str:
            got = last_avg[day].get(kind)
            return f"{got:.1f}" if got is not None else "-"

        a, sent = answered.get(day, (0, 0))
        rows.append((
            f"{day:%a %b} {day.day}", show("pain"), show("mood"), avg("pain"), avg("mood"),
            f"{a} of {sent}" if sent else "-", "; ".join(events.get(day, [])) or "-",
        ))  # fmt: skip
    return rows


def distribution_chart(
    days: Sequence[DayDistribution], start: datetime, end: datetime, zone: ZoneInfo, kind: str
) -> Chart:
    """The group's daily spread of one kind: a bar from lowest to highest, a box for the middle
    half, a dot for the median, and under it how many readings each day had (n)."""
    timeline = _Timeline(start, end, zone)
    title = f"Group {kind} ratings per day: range, middle half, median and number of readings"
    colour = COLOURS.get(kind, "#333")
    most = max((d.n for d in days), default=0)

    def draw(frame: _Frame) -> list[str]:
        parts = _axes(frame, timeline)
        strip_top, strip_height = frame.plot_bottom + 4, 16
        for d in days:
            x = frame.x(timeline.day_fraction(d.day))
            half = 4 if frame is WIDE else 2.5
            parts.append(
                f'<line x1="{x:.1f}" y1="{frame.y(d.low):.1f}" x2="{x:.1f}" y2="{frame.y(d.high):.1f}" '
                f'stroke="{colour}" stroke-opacity=".6"/>'
            )
            parts.append(
                f'<rect x="{x - half:.1f}" y="{frame.y(d.q3):.1f}" width="{2 * half}" '
                f'height="{max(frame.y(d.q1) - frame.y(d.q3), 1):.1f}" fill="{colour}" fill-opacity=".35"/>'
            )
            parts.append(
                f'<circle cx="{x:.1f}" cy="{frame.y(d.median):.1f}" r="3.5" fill="{colour}" class="median"/>'
            )
            bar = strip_height * d.n / most if most else 0
            parts.append(
                f'<rect class="count" x="{x - half:.1f}" y="{strip_top + strip_height - bar:.1f}" '
                f'width="{2 * half}" height="{bar:.1f}" fill="#5c6670"><title>n = {d.n}</title></rect>'
            )
        if most:
            parts.append(_text(frame, frame.left - 5, strip_top + strip_height, f"n{most}", "end"))
        return parts

    rows = [
        (f"{d.day:%a %b} {d.day.day}", str(d.n), f"{d.low:g}", f"{d.q1:g}", f"{d.median:g}",
         f"{d.q3:g}", f"{d.high:g}")
        for d in sorted(days, key=lambda d: d.day, reverse=True)
    ]  # fmt: skip
    return Chart(
        title, _svg(WIDE, title, draw(WIDE), "chart-wide"),
        _svg(NARROW, title, draw(NARROW), "chart-narrow"),
        ("Day", "Readings (n)", "Lowest", "Lower quartile", "Median", "Upper quartile", "Highest"),
        rows,
    )  # fmt: skip


def chart_range(raw: str | None, default: int = 30) -> int:
    """The range picker's value: one of 14, 30 or 90 days (anything else is the default)."""
    try:
        days = int(raw or default)
    except ValueError:
        return default
    return days if days in RANGES else default
