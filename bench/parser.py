"""Parser and crisis-detector figures: cold (every reply new), warm (a day's real repeats),
and the worst case, a 1,600-character body (Twilio's longest inbound SMS)."""

from __future__ import annotations

import csv
import random
import time
from pathlib import Path

from messages.parse import _parse, parse_reply

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "replies.tsv"
GOAL = 20_000  # replies/s on one core (issue 10)


def corpus() -> list[tuple[str, str | None, str]]:
    """(text, expecting, category) for every corpus row."""
    with CORPUS.open(newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        (r["text"], None if r["expecting"] == "-" else r["expecting"], r["category"]) for r in rows
    ]


def _rate(calls: list[tuple[str, str | None]], cold: bool) -> float:
    _parse.cache_clear()
    start = time.perf_counter()
    if cold:
        for text, expecting in calls:
            _parse.__wrapped__(text, expecting)
    else:
        for text, expecting in calls:
            parse_reply(text, expecting)
    return len(calls) / (time.perf_counter() - start)


def worst_case_ms(repeats: int = 20) -> float:
    """The slowest parse of a 1,600-character body among several shapes of long text."""
    rng = random.Random(7)
    words = "pain mood back knees tired walk done stop i want to the a pills sleep cut".split()
    bodies = [
        ("my pain has been bad this week and I walked a little and did the breathing " * 30)[:1600],
        " ".join(rng.choice(words) for _ in range(400))[:1600],
        " ".join(
            "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(7)) for _ in range(200)
        )[:1600],
        ("6 " * 800)[:1600],
        ("I want to " * 200)[:1600],
    ]
    worst = 0.0
    for body in bodies:
        for _ in range(repeats):
            _parse.cache_clear()
            start = time.perf_counter()
            _parse.__wrapped__(body + str(rng.random()), "pain")
            worst = max(worst, (time.perf_counter() - start) * 1000)
    return worst


def rows(n: int = 20_000) -> list[str]:
    """Markdown table rows for `make bench`."""
    rows_ = corpus()
    every = [(t, e) for t, e, _ in rows_]
    # Everyday replies: the grammar rows (numbers, keywords, labels, notes), no crisis or idiom.
    grammar = [
        (t, e) for t, e, c in rows_ if not c.startswith("crisis") and c not in ("idiom", "concern")
    ]
    parse_reply("warm up the vocabulary", None)
    rng = random.Random(1)

    def fresh(calls: list[tuple[str, str | None]], salt: int) -> list[tuple[str, str | None]]:
        # A number after a text that ends with one makes every reply new to the parser.
        return [(f"{t} {salt + i}" if t[-1:].isdigit() else t, e) for i, (t, e) in enumerate(calls)]

    idioms = [(t, e) for t, e, c in rows_ if c == "idiom"]
    first_sight = _rate(fresh(grammar, 0), cold=True)  # nothing seen before in this process
    # Steady state: a running service has met these words before, not these replies.
    steady = fresh(grammar, 10_000) + fresh(grammar, 20_000) + fresh(grammar, 30_000)
    warm = [rng.choice(grammar) for _ in range(n)]  # a day's traffic: "5", "done", "6 4" recur
    results = [
        ("everyday replies, each new (steady state)", _rate(steady, cold=True), len(steady)),
        ("everyday replies, first sight in a new process", first_sight, len(grammar)),
        (
            "idioms and near misses, each new",
            _rate(fresh(idioms, 0) * 3, cold=True),
            3 * len(idioms),
        ),
        (
            "whole corpus, each new (a third crisis language)",
            _rate(every * 2, cold=True),
            2 * len(every),
        ),
        ("a day's traffic with repeats (cache)", _rate(warm, cold=False), n),
    ]
    lines = [
        f"| parse_reply + crisis detector, {label} | {count:,} replies | {rate:,.0f} replies/s "
        f"({rate / GOAL:.2f}x the {GOAL:,}/s goal) | {1e6 / rate:.0f} µs each, one core |"
        for label, rate, count in results
    ]
    lines.append(
        f"| parse_reply worst case | 1,600-character bodies, 5 shapes x 20 | {worst_case_ms():.1f} ms "
        f"| the webhook's budget is 15 s |"
    )
    return lines
