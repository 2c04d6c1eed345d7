"""The area-code table agrees with libphonenumber's geocoder, and a code it lacks still
gets its state."""

from __future__ import annotations

import phonenumbers

from messages import legal_hours, us_area_codes
from tests.messages.area_codes import derive


def test_the_table_agrees_with_the_geocoding_data():
    areas, exceptions = derive()
    shared = areas.keys() & us_area_codes.AREA_STATES.keys()
    assert len(shared) > 340  # every US area code of the version the table was made with
    assert {a: areas[a] for a in shared} == {a: us_area_codes.AREA_STATES[a] for a in shared}
    for prefix, state in us_area_codes.EXCHANGE_STATES.items():
        assert exceptions.get(prefix, areas.get(prefix[2:5])) == state


def test_an_area_code_missing_from_the_table_is_geocoded(monkeypatch):
    monkeypatch.delitem(us_area_codes.AREA_STATES, "305")
    number = phonenumbers.parse("+13055550100", None)
    assert legal_hours._state_of(number) == "FL"
    assert legal_hours._state_of(phonenumbers.parse("+18005550100", None)) is None  # toll-free


def test_the_web_process_does_not_load_the_geocoder():
    import subprocess
    import sys

    code = ("import sys; from messages.legal_hours import window_for; "
            "window_for('+13055550100'); window_for('+12085550143'); "
            "print('phonenumbers.geodata' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
