"""Two-step sign-in: a TOTP code (RFC 6238, any authenticator app) or a one-time recovery code.

The QR code that carries the secret to the phone is drawn here as SVG (`segno`), never by a
web service, so the secret does not leave the server except to the person setting it up.
Recovery codes are shown once and kept only as SHA-256 digests; each works once.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

import pyotp
import segno
from markupsafe import Markup

from service.models import StaffUser

ISSUER = "Paceline"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud, typed from paper


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str, issuer: str = ISSUER) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str, title: str) -> Markup:
    """The otpauth:// URI as an inline SVG QR code (no script, allowed by the CSP)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=2, title=title)
    return Markup(svg)  # noqa: S704 - segno's own markup, the title is escaped by segno


def code_ok(secret: str, code: str) -> bool:
    """A current TOTP code (the one before and after too, for clocks a little out)."""
    digits = "".join(ch for ch in code if ch.isdigit())
    return len(digits) == 6 and pyotp.TOTP(secret).verify(digits, valid_window=1)


def _digest(code: str) -> str:
    return hashlib.sha256(
        code.strip().lower().replace("-", "").replace(" ", "").encode()
    ).hexdigest()


def new_recovery_codes(user: StaffUser) -> list[str]:
    """Ten fresh codes (replacing any before); returned once, stored as digests."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    user.recovery_codes = json.dumps([_digest(c) for c in codes])
    return codes


def recovery_left(user: StaffUser) -> list[str]:
    return json.loads(user.recovery_codes) if user.recovery_codes else []


def enable(user: StaffUser, secret: str, now: datetime) -> list[str]:
    user.totp_secret = secret
    user.totp_enabled_at = now
    return new_recovery_codes(user)


def disable(user: StaffUser) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.recovery_codes = None


def check_code(user: StaffUser, code: str) -> str | None:
    """'authenticator code' or 'recovery code' when `code` lets `user` in (a recovery code is
    then used up), else None."""
    if user.totp_secret and code_ok(user.totp_secret, code):
        return "authenticator code"
    left = recovery_left(user)
    digest = _digest(code)
    if digest in left:
        left.remove(digest)
        user.recovery_codes = json.dumps(left)
        return "recovery code"
    return None
