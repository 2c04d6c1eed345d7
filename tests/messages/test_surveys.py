"""PEG, PHQ-2 and GAD-2 as texted: wording, answers read as numbers or words, scores, codes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from messages.schedule import (
    Person,
    ScheduleError,
    plan_slots,
    programme_from_json,
    programme_to_json,
)
from messages.segments import count_segments
from messages.surveys import GAD2, INSTRUMENTS, PEG, PHQ2, question, read_answer, reask, score

ZERO_TO_THREE = PHQ2.items[0]
ZERO_TO_TEN = PEG.items[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2", 2), (" 3 ", 3), ("0", 0), ("1️⃣", 1), ("two", 2), ("tres", 3),
        ("Several days", 1), ("several", 1), ("NEARLY EVERY DAY", 3), ("every day", 3),
        ("more than half the days", 2), ("Not at all", 0), ("never", 0),
        ("casi todos los días", 3), ("Varios días", 1), ("ningún día", 0),
        ("más de la mitad de los días", 2), ("3 - nearly every day", 3), ("1 several days", 1),
    ],
)  # fmt: skip
def test_a_frequency_item_takes_the_number_or_the_standard_words(text, value):
    assert read_answer(ZERO_TO_THREE, text).value == value


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("4", "out_of_range"), ("10", "out_of_range"), ("-1", "out_of_range"),
        ("2 or 3", "unclear"), ("2 nearly every day", "unclear"),
        ("several days, not every day", "unclear"), ("what?", "unclear"), ("", "unclear"),
    ],
)  # fmt: skip
def test_an_answer_that_does_not_fit_is_not_taken(text, problem):
    answer = read_answer(ZERO_TO_THREE, text)
    assert answer.value is None and answer.problem == problem


@pytest.mark.parametrize(
    ("text", "value"),
    [("7", 7), ("7/10", 7), ("7 out of 10", 7), ("10", 10), ("0", 0), ("no pain", 0),
     ("seven", 7), ("siete", 7)],
)  # fmt: skip
def test_a_peg_item_takes_zero_to_ten(text, value):
    assert read_answer(ZERO_TO_TEN, text).value == value


def test_out_of_range_and_halves_are_asked_again():
    assert read_answer(ZERO_TO_TEN, "11").problem == "out_of_range"
    assert read_answer(ZERO_TO_TEN, "6.5").value is None


def test_scores_follow_the_instruments():
    assert score(PEG, [6, 7, 8]).value == 7.0  # the mean
    assert score(PEG, [5, 6, 6]).value == 5.7  # to one decimal
    assert score(PHQ2, [1, 2]) == score(PHQ2, [2, 1])
    assert score(PHQ2, [1, 2]).value == 3 and score(PHQ2, [1, 2]).positive is True
    assert score(PHQ2, [1, 1]).positive is False
    assert score(GAD2, [3, 3]).value == 6 and score(GAD2, [3, 3]).positive is True
    assert score(PHQ2, [1, None]).value is None  # partial: no score
    assert score(PEG, [1, 2]).value is None
    assert PEG.score_range == (0, 10) and PHQ2.score_range == (0, 6)


def test_every_item_is_worded_in_both_languages_with_its_scale():
    for instrument in INSTRUMENTS.values():
        for index, item in enumerate(instrument.items):
            for language in ("en", "es"):
                text = question(instrument, index, language)
                assert str(item.high) in text and str(item.low) in text
                assert count_segments(text) <= 4, (instrument.key, index, language)
            assert question(instrument, index, "fr") == question(instrument, index, "en")
    assert question(PHQ2, 0, "en").startswith("2 quick questions about your mood.")
    assert "Little interest or pleasure" in PHQ2.items[0].code.display
    assert "from 0 to 3" in reask(PHQ2, 1, "en")


def test_the_codes_are_the_published_ones():
    assert (PEG.panel.code, PEG.total.code) == ("91148-7", "91147-9")
    assert [i.code.code for i in PEG.items] == ["75893-8", "91145-3", "91146-1"]
    assert (PHQ2.panel.code, PHQ2.total.code) == ("55757-9", "55758-7")
    assert [i.code.code for i in PHQ2.items] == ["44250-9", "44255-8"]
    assert [i.code.code for i in GAD2.items] == ["69725-0", "68509-9"]
    # 70274-6 is the GAD-7 total in LOINC, not a GAD-2 one: not used for the GAD-2 sum.
    assert GAD2.panel is None and GAD2.total.system.startswith("https://paceline")
    assert ZERO_TO_THREE.answer_codes == ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")


def test_a_survey_is_scheduled_weekly_or_around_the_groups_sessions():
    data = {"items": [
        {"kind": "survey_peg", "days": ["mon"], "at": "10:00"},
        {"kind": "survey_phq2", "session": "before", "offset_minutes": 90},
        {"kind": "survey_gad2", "session": "after", "offset_minutes": 1440},
    ]}  # fmt: skip
    programme = programme_from_json(data)
    assert programme_from_json(programme_to_json(programme)) == programme
    person = Person(id=1, timezone="America/New_York")
    start = datetime(2026, 12, 6, 5, tzinfo=UTC)  # Sunday night in New York
    session = datetime(2026, 12, 9, 23, tzinfo=UTC)  # Wednesday 18:00 in New York
    slots = plan_slots(programme, person, start, start + timedelta(days=7), [session])
    kinds = [(s.kind, s.local.strftime("%a %H:%M")) for s in slots
             if s.kind.startswith("survey")]  # fmt: skip
    assert kinds == [("survey_peg", "Mon 10:00"), ("survey_phq2", "Wed 16:30"),
                     ("survey_gad2", "Thu 18:00")]  # fmt: skip
    for bad, field in (
        ({"kind": "survey_phq2", "session": "during"}, "items[0].session"),
        ({"kind": "survey_phq2", "session": "before", "offset_minutes": -5}, "items[0].offset_minutes"),
        ({"kind": "survey_phq2", "session": "before", "at": "10:00"}, "items[0]"),
    ):  # fmt: skip
        with pytest.raises(ScheduleError) as caught:
            programme_from_json({"items": [bad]})
        assert field in caught.value.reasons


def test_a_session_survey_in_quiet_hours_is_not_planned():
    programme = programme_from_json(
        {"items": [{"kind": "survey_phq2", "session": "before", "offset_minutes": 600}]}
    )
    person = Person(id=1, timezone="America/New_York")
    session = datetime(2026, 12, 9, 12, tzinfo=UTC)  # 07:00 New York: 10 h before is 21:00
    start = session - timedelta(days=1)
    assert plan_slots(programme, person, start, session, [session]) == []
    assert time(21) == programme.quiet_start
