"""The development corpus (tests/data/replies.tsv): the figures issue 10 asks for, row by row.

Columns as in ../shared/replies/sample.tsv plus `category`; `*` means "not checked" (a crisis
row may also carry a value). Categories: crisis_<family> and crisis (must raise a crisis),
idiom (idioms and near misses: must raise nothing), concern (negated or third-party: a
concern, not a crisis), and the reply-grammar categories (must be read exactly).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from messages.crisis import detect, normalise
from messages.crisis.detector import _detect_normal
from messages.parse import REVIEW_QUESTION, Intent, parse_reply

CORPUS = Path(__file__).resolve().parents[1] / "data" / "replies.tsv"


def _rows() -> list[dict[str, str]]:
    with CORPUS.open(newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


ROWS = _rows()


def _value(raw: str) -> int | None:
    return None if raw == "-" else int(raw)


def right(row: dict[str, str]) -> bool:
    """Whether the parser reads `row` as the corpus says."""
    expecting = None if row["expecting"] == "-" else row["expecting"]
    result = parse_reply(row["text"], expecting)
    category = row["category"]
    if row["crisis"] == "1":
        return result.crisis
    if category == "concern":
        return result.concern and not result.crisis
    if category == "idiom":
        return not result.crisis and not result.concern
    if result.crisis or result.concern:
        return False
    if row["intent"] == "!log":
        ok = result.intent != Intent.LOG and result.pain is None and result.mood is None
    else:
        ok = row["intent"] == "*" or result.intent == row["intent"]
    for column in ("pain", "mood", "pause_days"):
        if row[column] != "*":
            ok = ok and getattr(result, column) == _value(row[column])
    if category == "question":
        ok = ok and result.review == REVIEW_QUESTION
    return ok


def test_the_corpus_is_as_large_as_promised():
    counts = Counter(
        "crisis" if r["crisis"] == "1" else ("idiom" if r["category"] == "idiom" else "other")
        for r in ROWS
    )
    assert len(ROWS) >= 600
    assert counts["crisis"] >= 150
    assert counts["idiom"] >= 80
    families = {r["category"] for r in ROWS if r["category"].startswith("crisis_")}
    assert families >= {
        "crisis_wish_dead", "crisis_thoughts", "crisis_method", "crisis_plan",
        "crisis_preparing", "crisis_burden", "crisis_no_reason", "crisis_trapped",
        "crisis_self_harm", "crisis_spanish",
    }  # fmt: skip


def test_crisis_recall_is_complete():
    crisis = [r for r in ROWS if r["crisis"] == "1"]
    missed = [r["text"] for r in crisis if not right(r)]
    assert missed == [], f"recall {1 - len(missed) / len(crisis):.1%}"


def test_idioms_and_near_misses_rarely_alarm():
    idioms = [r for r in ROWS if r["category"] == "idiom"]
    alarms = [r["text"] for r in idioms if not right(r)]
    assert len(alarms) / len(idioms) <= 0.02, alarms


def test_negated_and_third_party_mentions_are_a_concern():
    concern = [r for r in ROWS if r["category"] == "concern"]
    assert concern and [r["text"] for r in concern if not right(r)] == []


def test_other_replies_are_read_right():
    other = [r for r in ROWS if r["crisis"] == "0" and r["category"] not in ("idiom", "concern")]
    wrong = [r["text"] for r in other if not right(r)]
    assert 1 - len(wrong) / len(other) >= 0.97, wrong


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r["crisis"] == "0" and r["category"] not in ("idiom", "concern")],
    ids=lambda r: f"{r['category']}:{r['text']}",
)
def test_reply_grammar_row(row):
    """Every grammar row of issue 10, one test each."""
    assert right(row)


def test_the_gate_never_changes_a_verdict():
    """The detector skips patterns whose words are absent; it must answer as if it had not."""
    for row in ROWS:
        normal = f" {normalise(row['text'])} "
        assert _detect_normal(normal, gated=True) == _detect_normal(normal, gated=False), row[
            "text"
        ]


def test_the_reason_names_a_family():
    families = {"wish_dead", "thoughts", "method", "plan", "preparing", "burden", "no_reason",
                "trapped", "self_harm"}  # fmt: skip
    for row in ROWS:
        if row["crisis"] == "1":
            assert detect(row["text"]).reason in families
