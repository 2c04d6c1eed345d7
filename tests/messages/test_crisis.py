"""The crisis detector's layers, each on its own: normalisation, slips, guards, negation,
third parties, levels and reasons."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from messages.crisis import CONCERN, CRISIS, detect, normalise
from messages.fuzzy import edit_distance, near


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("I’m NOT ok!!!", "i am not ok"),
        ("dont wanna", "do not want to"),
        ("thinkin bout it", "thinking about it"),
        ("killmyself", "kill myself"),
        ("Sooo tired", "soo tired"),
        ("su1c1de", "suicide"),
        ("kms", "kill myself"),
        ("Estarían mejor sin mí", "estarian mejor sin mi"),
        ("i want 2 die", "i want to die"),
        ("took 2 advil at 3pm", "took 2 advil at 3pm"),
    ],
)
def test_normalise(raw, normal):
    assert normalise(raw) == normal


def test_edit_distance_and_near():
    assert edit_distance("doen", "done") == 1  # swapped neighbours count once
    assert edit_distance("kitten", "sitting", limit=5) == 3
    assert near("sucidal", "suicidal") and near("myslef", "myself")
    assert not near("will", "kill")  # the first letter must match
    assert not near("die", "dye")  # short words must match exactly


def test_common_words_are_never_corrected():
    assert normalise("i cut myself shaving") == "i cut myself shaving"  # not "saving"
    assert normalise("i went to bed") == "i went to bed"  # not "want"


@pytest.mark.parametrize(
    ("text", "level", "reason"),
    [
        ("I hope I don't wake up", CRISIS, "wish_dead"),
        ("thinkin bout ending it all", CRISIS, "thoughts"),
        ("saving up my pills", CRISIS, "method"),
        ("got it all planned for friday", CRISIS, "plan"),
        ("gave away my things", CRISIS, "preparing"),
        ("nobody would miss me", CRISIS, "burden"),
        ("there's no point in living", CRISIS, "no_reason"),
        ("i feel trapped, no way out", CRISIS, "trapped"),
        ("cut myself again", CRISIS, "self_harm"),
        ("me quiero matar", CRISIS, "thoughts"),
        ("I'm not suicidal", CONCERN, "thoughts"),
        ("my friend died by suicide", CONCERN, "thoughts"),
        ("this pain is killing me", None, None),
        ("career suicide", None, None),
        ("cut myself a slice of pie", None, None),
        ("did I take my pills?", None, None),
    ],
)
def test_levels_and_reasons(text, level, reason):
    result = detect(text)
    assert (result.level, result.reason) == (level, reason)


def test_a_negation_only_lowers_its_own_clause():
    assert detect("I'm not suicidal. but I wish I was dead").level == CRISIS
    assert detect("I can't stop thinking about killing myself").level == CRISIS
    assert detect("I would never kill myself").level == CONCERN


def test_a_guard_reads_meaning_not_sentences():
    # an accident is an accident whatever the object...
    assert detect("I cut myself on a broken glass").level is None
    # ...and on purpose is on purpose, even with the same verb
    assert detect("I cut myself on purpose").level == CRISIS
    assert detect("i burned my arm with a lighter").level == CRISIS
    assert detect("burned my hand on the kettle").level is None


@given(st.text(max_size=400))
@settings(max_examples=300, deadline=None)
def test_never_raises(text):
    result = detect(text)
    assert result.level in (None, CONCERN, CRISIS)
