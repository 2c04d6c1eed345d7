"""parse_reply: every row of the shared sample, a wider table of real-world replies, properties."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messages.parse import Intent, parse_reply

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "replies" / "sample.tsv"


def _sample_rows():
    if not SAMPLE.exists():
        return []
    with SAMPLE.open(newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _opt(value: str) -> int | None:
    return None if value == "-" else int(value)


def check_row(text, expecting, intent, pain, mood, crisis, pause_days):
    result = parse_reply(text, expecting)
    if intent == "!log":
        assert result.intent != Intent.LOG and result.pain is None and result.mood is None
    elif intent != "*":
        assert result.intent == intent
    assert (result.pain, result.mood) == (pain, mood)
    assert result.crisis is crisis
    assert result.pause_days == pause_days


def test_the_shared_sample_is_present():
    assert len(_sample_rows()) >= 30


@pytest.mark.parametrize("row", _sample_rows(), ids=lambda r: r["text"])
def test_shared_sample(row):
    check_row(
        row["text"],
        None if row["expecting"] == "-" else row["expecting"],
        row["intent"],
        _opt(row["pain"]),
        _opt(row["mood"]),
        row["crisis"] == "1",
        _opt(row["pause_days"]),
    )


# text, expecting, intent, pain, mood, crisis, pause_days
MORE_ROWS = [
    ("stop!!", None, "opt_out", None, None, False, None),
    ("  Unsubscribe ", "pain", "opt_out", None, None, False, None),
    ("opt-out", None, "opt_out", None, None, False, None),
    ("please stop texting me", None, "opt_out", None, None, False, None),
    ("No more messages please", None, "opt_out", None, None, False, None),
    ("remove me from this list", None, "opt_out", None, None, False, None),
    ("I can't stop thinking about it", None, "note", None, None, False, None),
    ("don't stop the reminders, they help", None, "note", None, None, False, None),
    ("stop this pain", "pain", "note", None, None, False, None),
    ("UNSTOP", None, "opt_in", None, None, False, None),
    ("info", None, "help", None, None, False, None),
    ("7 out of 10", "pain", "log", 7, None, False, None),
    ("about a 6", "pain", "log", 6, None, False, None),
    ("it's a 4", "mood", "log", None, 4, False, None),
    ("eight", "pain", "log", 8, None, False, None),
    ("zero", "pain", "log", 0, None, False, None),
    ("10", "pain", "log", 10, None, False, None),
    ("6-7", "pain", "log", 7, None, False, None),
    ("slept 3 hours, about a 7", "pain", "log", 7, None, False, None),
    ("11", "pain", "!log", None, None, False, None),
    ("-", "pain", "note", None, None, False, None),
    ("I had one good day", "pain", "note", None, None, False, None),
    ("Pain: 6", None, "log", 6, None, False, None),
    ("p6m4", None, "log", 6, 4, False, None),
    ("pain 6, mood 4", None, "log", 6, 4, False, None),
    ("mood 4 pain 6", None, "log", 6, 4, False, None),
    ("pain is 8 and mood is 3", None, "log", 8, 3, False, None),
    ("PAIN 5/10", "mood", "log", 5, None, False, None),
    ("pain 15", None, "!log", None, None, False, None),
    ("6, 4", "checkin", "log", 6, 4, False, None),
    ("6 and 4", "checkin", "log", 6, 4, False, None),
    ("I'm done", None, "done", None, None, False, None),
    ("done!", "pain", "done", None, None, False, None),
    ("skip", None, "skip", None, None, False, None),
    ("PAUSE", None, "pause", None, None, False, 1),
    ("pause 3 days", None, "pause", None, None, False, 3),
    ("pause for a week", None, "pause", None, None, False, 7),
    ("pause 90", None, "pause", None, None, False, 30),
    ("RESUME", None, "resume", None, None, False, None),
    ("one more", None, "more", None, None, False, None),
    ("having a flare", None, "flare", None, None, False, None),
    ("flare up today", None, "flare", None, None, False, None),
    ("I want to kill myself", "pain", "*", None, None, True, None),
    ("pain 9 and I want to end it all", None, "log", 9, None, True, None),
    ("everyone would be better off without me", None, "*", None, None, True, None),
    ("I've been cutting myself again", None, "*", None, None, True, None),
    ("I'm dead tired", None, "note", None, None, False, None),
    ("dying to try the new stretch", None, "note", None, None, False, None),
    ("this pain is killing me", "pain", "note", None, None, False, None),
    ("dolor 6 animo 4", None, "log", 6, 4, False, None),
    ("quiero morir", None, "*", None, None, True, None),
    ("", None, "note", None, None, False, None),
    ("\U0001f44d", None, "note", None, None, False, None),
]


@pytest.mark.parametrize("row", MORE_ROWS, ids=lambda r: r[0] or "<empty>")
def test_real_world_replies(row):
    check_row(*row)


@given(st.text(max_size=300), st.sampled_from([None, "pain", "mood", "checkin"]))
@settings(max_examples=400, deadline=None)
def test_never_raises_and_never_logs_out_of_range(text, expecting):
    result = parse_reply(text, expecting)
    assert isinstance(result.intent, Intent)
    for value in (result.pain, result.mood):
        assert value is None or 0 <= value <= 10
    if result.intent != Intent.LOG:
        assert result.pain is None and result.mood is None


@given(st.integers(min_value=11, max_value=10_000), st.sampled_from(["pain", "mood", "checkin"]))
def test_numbers_above_ten_are_never_logged(number, expecting):
    result = parse_reply(str(number), expecting)
    assert result.intent != Intent.LOG
    assert result.out_of_range


@given(st.integers(min_value=0, max_value=10), st.sampled_from(["pain", "mood"]))
def test_every_value_on_the_scale_is_read(number, expecting):
    result = parse_reply(f"{number}/10", expecting)
    assert getattr(result, expecting) == number


def test_a_very_long_message_is_handled_quickly():
    result = parse_reply("pain " * 2000 + "7", "pain")
    assert result.intent in (Intent.LOG, Intent.NOTE)
