"""The checks REDCap's Data Dictionary upload and Data Import Tool apply, written down so a test
can hold an export to them (REDCap's own validation messages, in the order they are applied).

Dictionary: the exact 18-column header; the first field is the record id field; variable names
start with a lower-case letter and hold only lower-case letters, digits and underscores (at most
100 characters, 26 recommended); form names the same; a form's fields are contiguous; a field
type REDCap knows; choices "code, label | code, label" for radio, dropdown and checkbox, with
unique codes; text validation types REDCap ships; numeric min <= max; no duplicate names.

Data: the first column is the record id; every other column is a dictionary field or one of
redcap_event_name, redcap_repeat_instrument, redcap_repeat_instance; a repeating row names a
form of the dictionary and carries a positive whole instance number; a non-repeating row has
both empty; (record, event, instrument, instance) is unique; each value fits its field: choice
codes, yesno 0/1, integer, number and datetime validations, min and max.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

HEADER = [
    "Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label",
    "Choices, Calculations, OR Slider Labels", "Field Note",
    "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max",
    "Identifier?", "Branching Logic (Show field only if...)", "Required Field?",
    "Custom Alignment", "Question Number (surveys only)", "Matrix Group Name", "Matrix Ranking?",
    "Field Annotation",
]  # fmt: skip
FIELD_TYPES = {"text", "notes", "dropdown", "radio", "checkbox", "calc", "file", "yesno",
               "truefalse", "descriptive", "slider", "sql"}  # fmt: skip
VALIDATIONS = {"", "date_ymd", "date_mdy", "date_dmy", "datetime_ymd", "datetime_seconds_ymd",
               "time", "integer", "number", "email", "phone", "zipcode", "alpha_only"}  # fmt: skip
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
CHOICE = re.compile(r"^\s*([A-Za-z0-9_\-.]+)\s*,\s*(.+?)\s*$")
SPECIAL = ("redcap_event_name", "redcap_repeat_instrument", "redcap_repeat_instance")
EVENT = re.compile(r"^[a-z0-9_]+_arm_\d+$")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def check_dictionary(text: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """Problems in a data dictionary, and its fields by name."""
    rows = _rows(text)
    problems: list[str] = []
    if not rows or rows[0] != HEADER:
        return ["the header is not REDCap's 18 dictionary columns"], {}
    fields: dict[str, dict[str, str]] = {}
    forms_seen: list[str] = []
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(HEADER):
            problems.append(f"row {n}: {len(row)} columns")
            continue
        f = dict(zip(HEADER, row, strict=True))
        name, form, kind = f["Variable / Field Name"], f["Form Name"], f["Field Type"]
        if not NAME.match(name) or len(name) > 100:
            problems.append(f"row {n}: variable name '{name}'")
        if len(name) > 26:
            problems.append(f"row {n}: variable name '{name}' over 26 characters")
        if not NAME.match(form):
            problems.append(f"row {n}: form name '{form}'")
        if forms_seen and form != forms_seen[-1] and form in forms_seen:
            problems.append(f"row {n}: the fields of form '{form}' are not together")
        if not forms_seen or forms_seen[-1] != form:
            forms_seen.append(form)
        if name in fields:
            problems.append(f"row {n}: '{name}' twice")
        if kind not in FIELD_TYPES:
            problems.append(f"row {n}: field type '{kind}'")
        if not f["Field Label"]:
            problems.append(f"row {n}: no label")
        validation = f["Text Validation Type OR Show Slider Number"]
        if validation not in VALIDATIONS or (validation and kind != "text"):
            problems.append(f"row {n}: validation '{validation}' on a {kind} field")
        if kind in ("radio", "dropdown", "checkbox"):
            codes = []
            for choice in f["Choices, Calculations, OR Slider Labels"].split("|"):
                m = CHOICE.match(choice)
                if not m:
                    problems.append(f"row {n}: choice '{choice.strip()}'")
                else:
                    codes.append(m.group(1))
            if len(codes) != len(set(codes)):
                problems.append(f"row {n}: a choice code twice")
        low, high = f["Text Validation Min"], f["Text Validation Max"]
        if low and high and validation in ("integer", "number") and float(low) > float(high):
            problems.append(f"row {n}: min above max")
        fields[name] = f
    if rows[1:] and rows[1][0] != "record_id":
        problems.append("the first field is not the record id")
    return problems, fields


def _fits(value: str, f: dict[str, str]) -> bool:
    kind, validation = f["Field Type"], f["Text Validation Type OR Show Slider Number"]
    if kind in ("radio", "dropdown", "checkbox"):
        codes = {CHOICE.match(c).group(1) for c in f["Choices, Calculations, OR Slider Labels"].split("|")}  # type: ignore[union-attr]  # fmt: skip
        return value in codes
    if kind in ("yesno", "truefalse"):
        return value in ("0", "1")
    if validation == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return False
    elif validation == "number":
        if not re.fullmatch(r"-?\d+(\.\d+)?", value):
            return False
    elif validation == "datetime_seconds_ymd":
        try:
            datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return False
        return True
    if validation in ("integer", "number"):
        low, high = f["Text Validation Min"], f["Text Validation Max"]
        if (low and float(value) < float(low)) or (high and float(value) > float(high)):
            return False
    return True


def check_data(text: str, fields: dict[str, dict[str, str]]) -> list[str]:
    """Problems REDCap's Data Import Tool would report for this file."""
    rows = _rows(text)
    if not rows:
        return ["empty file"]
    header, problems = rows[0], []
    if header[0] != "record_id":
        problems.append("the first column is not the record id")
    for column in header:
        if column not in fields and column not in SPECIAL:
            problems.append(f"column '{column}' is not in the dictionary")
    forms = {f["Form Name"] for f in fields.values()}
    seen: set[tuple[str, str, str, str]] = set()
    for n, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, row, strict=True))
        event = cells.get("redcap_event_name", "")
        if "redcap_event_name" in header and not EVENT.match(event):
            problems.append(f"row {n}: event '{event}'")
        instrument, instance = (
            cells.get("redcap_repeat_instrument", ""),
            cells.get("redcap_repeat_instance", ""),
        )
        if instrument:
            if instrument not in forms:
                problems.append(f"row {n}: repeating instrument '{instrument}' is not a form")
            if not re.fullmatch(r"[1-9]\d*", instance):
                problems.append(f"row {n}: repeat instance '{instance}'")
        elif instance:
            problems.append(f"row {n}: an instance without an instrument")
        key = (cells["record_id"], event, instrument, instance)
        if key in seen:
            problems.append(f"row {n}: {key} twice")
        seen.add(key)
        for column, value in cells.items():
            if column in SPECIAL or column == "record_id" or value == "":
                continue
            f = fields[column]
            if instrument and f["Form Name"] != instrument:
                problems.append(f"row {n}: '{column}' is not on form '{instrument}'")
            if not _fits(value, f):
                problems.append(f"row {n}: '{value}' does not fit '{column}'")
    return problems
