"""Phone numbers: parsing to E.164 with `phonenumbers`, and masking for logs."""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType


class InvalidPhoneNumber(ValueError):
    """Raised when a string is not a valid, dialable phone number."""


_LANDLINE_TYPES = {PhoneNumberType.FIXED_LINE}


def normalize_phone(raw: str, region: str = "US") -> str:
    """Return `raw` as an E.164 string, or raise InvalidPhoneNumber with a readable reason."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("a phone number is required")
    if len(text) > 40:
        raise InvalidPhoneNumber("that is too long to be a phone number")
    try:
        number = phonenumbers.parse(text, region.upper())
    except NumberParseException as exc:
        raise InvalidPhoneNumber(f"'{text}' is not a phone number ({_reason(exc)})") from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhoneNumber(f"'{text}' has the wrong number of digits")
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber(f"'{text}' is not a valid number in any numbering plan")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_landline(e164: str) -> bool:
    """True when the numbering plan says the number is a fixed line (it cannot receive SMS).

    US and Canadian numbers are FIXED_LINE_OR_MOBILE in the plan, so they pass here; Twilio's
    21614 error catches the rest at send time.
    """
    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) in _LANDLINE_TYPES


def mask_phone(phone: str | None) -> str:
    """A phone number fit for logs: country code and last two digits only."""
    if not phone:
        return "-"
    digits = [c for c in phone if c.isdigit()]
    if len(digits) < 6:
        return "***"
    try:
        cc = str(phonenumbers.parse(phone, None).country_code)
    except NumberParseException:
        cc = ""
    hidden = len(digits) - len(cc) - 2
    return f"+{cc}{'*' * hidden}{''.join(digits[-2:])}"


def _reason(exc: NumberParseException) -> str:
    return {
        NumberParseException.INVALID_COUNTRY_CODE: "unknown country code",
        NumberParseException.NOT_A_NUMBER: "no digits found",
        NumberParseException.TOO_SHORT_NSN: "too short",
        NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
        NumberParseException.TOO_LONG: "too long",
    }.get(exc.error_type, "unreadable")


def display_phone(e164: str, region: str = "US") -> str:
    """A number as people write it: national format at home ('(202) 555-0143'), international
    abroad ('+44 7911 123456')."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
