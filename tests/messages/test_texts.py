"""Every fixed text and library prompt fits two GSM-7 segments; segment arithmetic; phones."""

from __future__ import annotations

import pytest

from messages.library import LIBRARY, choose
from messages.phone import InvalidPhoneNumber, mask_phone, normalize_phone
from messages.segments import count_segments, is_gsm7, non_gsm7_chars, segment_info
from messages.system import LANGUAGES, Org, system_keys, system_text

ORG = Org(name="Riverside Community Pain Service", support_contact="call 555-0100 Mon-Fri 9-5")
LONG_VALUES = {"values": "pain 10/10 and mood 10/10", "days": 30, "group": "x" * 40, "alert": 99999}


@pytest.mark.parametrize("key", system_keys())
@pytest.mark.parametrize("lang", LANGUAGES)
def test_system_texts_are_gsm7_and_at_most_two_segments(key, lang):
    text = system_text(key, lang, ORG, **LONG_VALUES)
    assert is_gsm7(text), f"{key}/{lang} has non-GSM-7 characters {non_gsm7_chars(text)}"
    assert count_segments(text) <= 2, f"{key}/{lang} is {count_segments(text)} segments"


@pytest.mark.parametrize("content", LIBRARY, ids=lambda c: c.key)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_library_texts_are_gsm7_and_at_most_two_segments(content, lang):
    text = content.text(lang)
    assert is_gsm7(text), f"{content.key}/{lang}: {non_gsm7_chars(text)}"
    assert count_segments(text) <= 2


def test_help_and_invitation_name_the_organisation_and_how_to_stop():
    for key in ("help", "invitation"):
        for lang in LANGUAGES:
            text = system_text(key, lang, ORG)
            assert ORG.name in text and "STOP" in text


def test_crisis_text_has_the_lifeline_emergency_number_and_unwatched_notice():
    text = system_text("crisis", "en", Org("X", "y"))
    assert "988" in text and "911" in text and "not watched around the clock" in text


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("{" * 80, "GSM-7", 1),  # extension characters cost two septets
        ("{" * 81, "GSM-7", 2),
        ("é" * 160, "GSM-7", 1),
        ("a" * 69 + "’", "UCS-2", 1),  # one curly quote turns it all UCS-2
        ("a" * 70 + "’", "UCS-2", 2),
        ("\U0001f600" * 35, "UCS-2", 1),  # an emoji is two UTF-16 units
        ("\U0001f600" * 36, "UCS-2", 2),
    ],
)
def test_segment_arithmetic(text, encoding, segments):
    info = segment_info(text)
    assert (info.encoding, info.segments) == (encoding, segments)


def test_least_recently_used_rotation():
    kinds = ("breathing",)
    keys = [c.key for c in LIBRARY if c.kind == "breathing"]
    first = choose(kinds, [])
    assert first.key == keys[0]
    recent = list(reversed(keys))  # newest first: keys[-1] newest ... keys[0] oldest
    assert choose(kinds, recent).key == keys[0]
    assert choose(kinds, keys[:1]).key == keys[1]


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("(202) 555-0143", "US", "+12025550143"),
        ("+44 7911 123456", "US", "+447911123456"),
        ("07911 123456", "GB", "+447911123456"),
        ("202.555.0178", "US", "+12025550178"),
    ],
)
def test_phone_numbers_normalise_to_e164(raw, region, e164):
    assert normalize_phone(raw, region) == e164


@pytest.mark.parametrize(
    "raw", ["", "12345", "not a number", "+1 555 0100", "+999 1234567", "1" * 50]
)
def test_bad_phone_numbers_are_refused_with_a_reason(raw):
    with pytest.raises(InvalidPhoneNumber) as info:
        normalize_phone(raw)
    assert str(info.value)


def test_masking_keeps_only_country_code_and_last_two_digits():
    assert mask_phone("+12025550143") == "+1********43"
    assert mask_phone(None) == "-"
