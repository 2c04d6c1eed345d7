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
    org = Org("X", "y")
    first, second = system_text("crisis", "en", org), system_text("crisis_followup", "en", org)
    assert "988" in first and "911" in first and "24/7" in first and "988lifeline.org" in first
    # this line is not watched, and 988 is: never readable as 988 being unstaffed
    assert "not watched around the clock, but 988 always is" in second
    assert org.care_team_response in second


def test_spanish_crisis_text_says_how_to_reach_spanish_speaking_counsellors():
    text = system_text("crisis", "es", Org("X", "y"))
    assert "marque 2" in text and "AYUDA al 988" in text and "911" in text


def test_spanish_texts_name_spanish_keywords_and_never_call_a_flare_a_crisis():
    org = Org("X", "y")
    assert "SI" in system_text("invitation", "es", org)
    assert "LISTO" in system_text("welcome", "es", org)
    assert "crisis" not in system_text("ack_flare", "es", org).lower()
    assert "tarifas" in system_text("invitation", "es", org)  # the same rates line as English
    for content in LIBRARY:
        assert "DONE" not in content.text("es") and "PAUSE " not in content.text("es")
        assert "crisis" not in content.text("es").lower()


def test_support_contact_has_a_spanish_value():
    org = Org("X", "call us", support_contact_es="llame al 555-0100")
    assert "llame al 555-0100" in system_text("help", "es", org)
    assert "call us" in system_text("help", "en", org)


def test_no_plural_placeholders():
    for key in system_keys():
        for lang in LANGUAGES:
            assert "(s)" not in system_text(key, lang, ORG, **LONG_VALUES)
    assert (
        system_text("ack_pause", "en", ORG, days=1)
        == "Paused: no texts for 1 day. Reply RESUME to restart sooner."
    )


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
        ("(208) 555-0143", "US", "+12085550143"),
        ("+44 7911 123456", "US", "+447911123456"),
        ("07911 123456", "GB", "+447911123456"),
        ("208.555.0178", "US", "+12085550178"),
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
    assert mask_phone("+12085550143") == "+1********43"
    assert mask_phone(None) == "-"


def test_a_csv_cell_is_never_a_formula():
    from messages.text import spreadsheet_safe
    from service.care.research import csv_line

    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("-2") == "'-2" and spreadsheet_safe("ok") == "ok"
    assert csv_line(["=1+1", -2, None, True]) == "'=1+1,-2,,1\r\n"  # numbers stay numbers
