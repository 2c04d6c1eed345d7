"""Derive messages/us_area_codes.py from phonenumbers' geocoding data.

The state of a US number follows its area code; libphonenumber's geocoder names it per
prefix ("Florida", "Miami, FL") but its data weigh about 100 MB in every process that loads
them. Paceline needs only the state, so this keeps a table of about 360 area codes (and the
few exchanges whose state differs from their area code's) in the source instead.

Regenerate after upgrading phonenumbers: `python -m tests.messages.area_codes`. The test
beside this file fails where the table and the library disagree; an area code the library
knows and the table does not yet is looked up in the geocoder at run time (and tested).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
from phonenumbers.geodata import GEOCODE_DATA

from messages.legal_hours import state_of_place

TARGET = Path(__file__).resolve().parents[2] / "messages" / "us_area_codes.py"


def derive() -> tuple[dict[str, str], dict[str, str]]:
    """(area code -> state, '+1' prefix -> state where an exchange differs from its area)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    prefixes: dict[str, dict[str, str]] = defaultdict(dict)
    for prefix, names in GEOCODE_DATA.items():
        state = state_of_place(names.get("en"))
        if not prefix.startswith("1") or len(prefix) < 4 or state is None:
            continue
        counts[prefix[1:4]][state] += 1
        prefixes[prefix[1:4]][prefix] = state
    areas, exceptions = {}, {}
    for npa, seen in sorted(counts.items()):
        sample = phonenumbers.parse(f"+1{npa}2345678", None)
        if phonenumbers.region_code_for_number(sample) != "US":
            continue
        areas[npa] = seen.most_common(1)[0][0]
        exceptions.update({"+" + p: s for p, s in prefixes[npa].items() if s != areas[npa]})
    return areas, dict(sorted(exceptions.items()))


def render() -> str:
    areas, exceptions = derive()
    lines = [
        '"""The US state of each area code, derived from libphonenumber\'s geocoding data',
        f"(phonenumbers {phonenumbers.__version__}) by tests/messages/area_codes.py: do not edit.",
        "",
        "Loading the geocoder itself costs about 100 MB per process; this is the part Paceline",
        'uses (messages/legal_hours.py)."""',
        "",
        "# fmt: off",
        "AREA_STATES: dict[str, str] = {",
    ]
    items = [f'"{npa}": "{state}",' for npa, state in areas.items()]
    lines += ["    " + " ".join(items[i : i + 8]) for i in range(0, len(items), 8)]
    lines += ["}", "# Exchanges whose state is not their area code's (longest prefix wins).",
              "EXCHANGE_STATES: dict[str, str] = {"]  # fmt: skip
    lines += [f'    "{prefix}": "{state}",' for prefix, state in exceptions.items()]
    lines += ["}", "# fmt: on", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
