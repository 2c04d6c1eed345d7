"""Choosing a staff password: long enough, not a common one, not easy to guess.

Follows NIST SP 800-63B: a length floor, a check against passwords known from breaches
(the 30,000 most common, shipped by `zxcvbn` with its estimator, so nothing is downloaded or
sent anywhere), no composition rules. zxcvbn's estimate also catches keyboard walks, dates,
names and l33t variants of dictionary words.
"""

from __future__ import annotations

from functools import cache

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable" against an online attack and more


@cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why `password` may not be chosen, in words for the person choosing it; None if fine."""
    if len(password) < MIN_LENGTH:
        return f"use at least {MIN_LENGTH} characters (a few words in a row is easiest)"
    if len(password) > MAX_LENGTH:
        return f"use at most {MAX_LENGTH} characters"
    if password.lower() in _common():
        return "that is one of the most common passwords, known from breaches; choose another"
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in password.lower():
        return "do not use your email address in your password"
    result = zxcvbn(password[:100], user_inputs=[v for v in (email, local, name) if v])
    if result["score"] < MIN_SCORE:
        feedback = result["feedback"]
        hint = feedback.get("warning") or " ".join(feedback.get("suggestions", []))
        return "that is too easy to guess" + (f" ({hint.rstrip('.')})" if hint else "")
    return None
