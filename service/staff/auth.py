"""Staff authentication (hashed passwords, hashed API tokens) and group-level access rules."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from service.models import ApiToken, Group, Role, StaffUser
from service.platform.db import utcnow

TOKEN_PREFIX = "pl_"  # noqa: S105 - a public prefix, not a secret
MIN_PASSWORD_LENGTH = 10


class AuthError(ValueError):
    """Bad credentials or a refused account change; the message is safe to show."""


def hash_password(password: str) -> str:
    """A salted scrypt hash of `password`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
    return generate_password_hash(password, method="scrypt")


def verify_password(user: StaffUser | None, password: str) -> bool:
    """True when `user` is active and `password` matches (constant time either way)."""
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return user.active and check_password_hash(user.password_hash, password)


_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def token_digest(token: str) -> str:
    """The SHA-256 hex digest stored in place of a secret token (API, session, reset link)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: StaffUser) -> str:
    """Create an API token for `user`; the plain token is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user=user, token_hash=token_digest(token), prefix=token[:10]))
    return token


def user_for_token(session: Session, token: str, now: datetime | None = None) -> StaffUser | None:
    """The active user a bearer token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    )
    if row is None or not row.user.active:
        return None
    row.last_used_at = now or utcnow()
    return row.user


def can_read_group(user: StaffUser, group: Group) -> bool:
    """Admins read every group; facilitators and clinicians only the groups assigned to them."""
    return user.role == Role.ADMIN or user in group.staff


def can_write_group(user: StaffUser, group: Group) -> bool:
    """Admins and the group's own facilitators change a group; clinicians only read."""
    return user.role == Role.ADMIN or (user.role == Role.FACILITATOR and user in group.staff)


def create_user(
    session: Session, email: str, role: str, password: str, name: str = ""
) -> StaffUser:
    """Add a staff user; raise AuthError on a bad role, weak password or taken email."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AuthError(f"'{email}' is not an email address")
    try:
        role_value = Role(role)
    except ValueError:
        raise AuthError(f"role must be one of {', '.join(r.value for r in Role)}") from None
    if session.scalar(select(StaffUser).where(StaffUser.email == email)):
        raise AuthError(f"a user with email {email} already exists")
    user = StaffUser(email=email, role=role_value, password_hash=hash_password(password), name=name)
    session.add(user)
    session.flush()
    return user
