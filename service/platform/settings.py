"""The one typed, frozen settings object, built from the environment inside `create_app`."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from messages.phone import InvalidPhoneNumber, normalize_phone

ENVIRONMENTS = ("development", "test", "production")
SMS_BACKENDS = ("console", "twilio")
TWILIO_API_DEFAULT = "https://api.twilio.com"
MAX_VALIDITY_SECONDS = 36_000  # Twilio's ceiling for ValidityPeriod
_DEV_SECRET = "dev-only-secret-key-not-for-production"  # noqa: S105 - refused in production


class SettingsError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Every knob Paceline reads from its environment. See the README's configuration table."""

    env: str
    instance_path: Path
    database_url: str
    redis_url: str | None  # None: start the embedded redis-server under instance_path
    secret_key: str
    sms_backend: str
    twilio_account_sid: str | None
    twilio_auth_token: str | None
    twilio_messaging_service_sid: str | None
    twilio_from_number: str | None
    twilio_api_base_url: str
    twilio_http_timeout: float
    sender_mps: float  # segments a second the sender may take (Twilio backend); 0: not paced
    session_idle_minutes: int  # staff are signed out after this long without a request
    require_2fa_for_admins: bool  # admins must set up TOTP before using the app
    retention_days_after_exit: int  # a departed member's data is deleted this long after
    audit_retention_days: int  # the audit trail is kept this long (six years at least)
    public_base_url: str
    org_name: str
    support_contact: str
    support_contact_es: str | None
    care_team_response: str
    care_team_response_es: str
    default_phone_region: str
    default_timezone: str
    crisis_line: str
    emergency_number: str
    crisis_alert_phone: str | None
    crisis_alert_email: str | None
    trusted_proxies: tuple[str, ...]
    crisis_escalate_minutes: int
    crisis_escalate_max: int
    facilitator_ack_kinds: frozenset[str]
    smtp_host: str | None
    smtp_port: int
    smtp_username: str | None
    smtp_password: str | None
    smtp_from: str
    smtp_starttls: bool
    send_max_attempts: int
    message_validity_seconds: int
    log_level: str

    @property
    def webhook_auth_token(self) -> str:
        """The key Twilio signs webhooks with.

        With the console backend and no Twilio token (development), a key derived from
        SECRET_KEY lets the phone simulator sign its requests exactly as Twilio would.
        """
        if self.twilio_auth_token:
            return self.twilio_auth_token
        return hmac.new(self.secret_key.encode(), b"webhook", hashlib.sha256).hexdigest()

    def public_url(self, path: str) -> str:
        """The absolute URL Twilio uses for `path` on this deployment."""
        return self.public_base_url.rstrip("/") + "/" + path.lstrip("/")

    def redacted(self) -> dict[str, object]:
        """The settings as a dict with secrets hidden, for start-up logs and diagnostics."""
        secret = {"secret_key", "twilio_auth_token", "smtp_password"}
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = "***" if f.name in secret and value else value
        return out


# HIPAA keeps audit records six years (45 CFR 164.316(b)(2)); the setting cannot go lower.
AUDIT_MINIMUM_DAYS = 6 * 365 + 2


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from `environ` (default: os.environ); raise SettingsError on bad input."""
    env = dict(os.environ if environ is None else environ)
    reader = _Reader(env)

    mode = reader.choice("PACELINE_ENV", ENVIRONMENTS, "development")
    instance_path = Path(reader.text("INSTANCE_PATH", "instance")).resolve()
    default_db = f"sqlite:///{instance_path / 'paceline.sqlite3'}"
    database_url = reader.text("DATABASE_URL", default_db)
    if not re.match(r"^(sqlite|postgresql)(\+\w+)?://", database_url):
        raise SettingsError("DATABASE_URL must be a sqlite:// or postgresql:// URL")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")

    redis_url = reader.optional("REDIS_URL")
    if redis_url and not re.match(r"^(redis|rediss|unix)://", redis_url):
        raise SettingsError("REDIS_URL must start with redis://, rediss:// or unix://")

    secret_key = reader.optional("SECRET_KEY")
    if mode == "production":
        if not secret_key or len(secret_key) < 32:
            raise SettingsError("SECRET_KEY is required in production (at least 32 characters)")
        if not redis_url:
            raise SettingsError("REDIS_URL is required in production")
    secret_key = secret_key or _DEV_SECRET

    sms_backend = reader.choice("SMS_BACKEND", SMS_BACKENDS, "console")
    region = reader.text("DEFAULT_PHONE_REGION", "US").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise SettingsError(f"DEFAULT_PHONE_REGION '{region}' is not a known region code")

    account_sid = reader.optional("TWILIO_ACCOUNT_SID")
    auth_token = reader.optional("TWILIO_AUTH_TOKEN")
    service_sid = reader.optional("TWILIO_MESSAGING_SERVICE_SID")
    from_number = reader.optional("TWILIO_FROM_NUMBER")
    if account_sid and not re.fullmatch(r"AC[0-9a-fA-F]{32}", account_sid):
        raise SettingsError("TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits")
    if service_sid and not re.fullmatch(r"MG[0-9a-fA-F]{32}", service_sid):
        raise SettingsError(
            "TWILIO_MESSAGING_SERVICE_SID must look like MG followed by 32 hex digits"
        )
    if from_number:
        from_number = reader.phone("TWILIO_FROM_NUMBER", from_number, region)

    public_base_url = reader.url("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    if sms_backend == "twilio":
        missing = [
            name
            for name, value in (
                ("TWILIO_ACCOUNT_SID", account_sid),
                ("TWILIO_AUTH_TOKEN", auth_token),
                ("PUBLIC_BASE_URL", env.get("PUBLIC_BASE_URL")),
            )
            if not value
        ]
        if not (service_sid or from_number):
            missing.append("TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER")
        if missing:
            raise SettingsError("SMS_BACKEND=twilio needs " + ", ".join(missing))

    default_tz = reader.text("DEFAULT_TIMEZONE", "America/New_York")
    try:
        ZoneInfo(default_tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"DEFAULT_TIMEZONE '{default_tz}' is not an IANA time zone") from None

    alert_phone = reader.optional("CRISIS_ALERT_PHONE")
    if alert_phone:
        alert_phone = reader.phone("CRISIS_ALERT_PHONE", alert_phone, region)
    alert_email = reader.optional("CRISIS_ALERT_EMAIL")
    if alert_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", alert_email):
        raise SettingsError("CRISIS_ALERT_EMAIL is not an email address")
    smtp_host = reader.optional("SMTP_HOST")
    if alert_email and not smtp_host:
        raise SettingsError("CRISIS_ALERT_EMAIL needs SMTP_HOST to send through")

    validity = reader.integer("MESSAGE_VALIDITY_SECONDS", 4 * 3600, 1, MAX_VALIDITY_SECONDS)

    return Settings(
        env=mode,
        instance_path=instance_path,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret_key,
        sms_backend=sms_backend,
        twilio_account_sid=account_sid,
        twilio_auth_token=auth_token,
        twilio_messaging_service_sid=service_sid,
        twilio_from_number=from_number,
        twilio_api_base_url=reader.url("TWILIO_API_BASE_URL", TWILIO_API_DEFAULT),
        twilio_http_timeout=reader.number("TWILIO_HTTP_TIMEOUT", 10.0, 0.5, 60.0),
        sender_mps=reader.number("TWILIO_SENDER_MPS", 1.0, 0.0, 10_000.0),
        session_idle_minutes=reader.integer("SESSION_IDLE_MINUTES", 30, 5, 720),
        require_2fa_for_admins=reader.boolean("REQUIRE_2FA_FOR_ADMINS", False),
        retention_days_after_exit=reader.integer("RETENTION_DAYS_AFTER_EXIT", 365, 1, 36_500),
        audit_retention_days=reader.integer(
            "AUDIT_RETENTION_DAYS", AUDIT_MINIMUM_DAYS, AUDIT_MINIMUM_DAYS, 36_500
        ),
        public_base_url=public_base_url,
        org_name=reader.text("ORG_NAME", "Paceline"),
        support_contact=reader.text("SUPPORT_CONTACT", "your group facilitator"),
        support_contact_es=reader.optional("SUPPORT_CONTACT_ES"),
        care_team_response=reader.text("CARE_TEAM_RESPONSE", "by the next working day"),
        care_team_response_es=reader.text(
            "CARE_TEAM_RESPONSE_ES", "en la siguiente jornada laboral"
        ),
        default_phone_region=region,
        default_timezone=default_tz,
        crisis_line=reader.text("CRISIS_LINE", "988"),
        emergency_number=reader.text("EMERGENCY_NUMBER", "911"),
        crisis_alert_phone=alert_phone,
        crisis_alert_email=alert_email,
        trusted_proxies=_networks(reader.text("TRUSTED_PROXIES", "")),
        crisis_escalate_minutes=reader.integer("CRISIS_ESCALATE_MINUTES", 15, 1, 240),
        crisis_escalate_max=reader.integer("CRISIS_ESCALATE_MAX", 3, 0, 10),
        facilitator_ack_kinds=_ack_kinds(reader.text("FACILITATOR_ACK_KINDS", "flare,no_reply")),
        smtp_host=smtp_host,
        smtp_port=reader.integer("SMTP_PORT", 587, 1, 65535),
        smtp_username=reader.optional("SMTP_USERNAME"),
        smtp_password=reader.optional("SMTP_PASSWORD"),
        smtp_from=reader.text("SMTP_FROM", "paceline@localhost"),
        smtp_starttls=reader.boolean("SMTP_STARTTLS", True),
        send_max_attempts=reader.integer("SEND_MAX_ATTEMPTS", 6, 1, 20),
        message_validity_seconds=validity,
        log_level=reader.choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
    )


class _Reader:
    """Typed reads of environment variables; every error names the variable."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def optional(self, name: str) -> str | None:
        value = self.env.get(name, "").strip()
        return value or None

    def text(self, name: str, default: str) -> str:
        return self.optional(name) or default

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name, default)
        normalised = value.upper() if allowed[0].isupper() else value.lower()
        if normalised not in allowed:
            raise SettingsError(f"{name} must be one of {', '.join(allowed)} (got '{value}')")
        return normalised

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        raw = self.optional(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number (got '{raw}')") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high} (got {value})")
        return value

    def number(self, name: str, default: float, low: float, high: float) -> float:
        raw = self.optional(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a number (got '{raw}')") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high} (got {value})")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        raw = self.optional(name)
        if raw is None:
            return default
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name} must be true or false (got '{raw}')")

    def url(self, name: str, default: str) -> str:
        value = self.text(name, default).rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SettingsError(f"{name} must be an absolute http(s) URL (got '{value}')")
        return value

    def phone(self, name: str, value: str, region: str) -> str:
        try:
            return normalize_phone(value, region)
        except InvalidPhoneNumber as exc:
            raise SettingsError(f"{name}: {exc}") from None


_FACILITATOR_MAY = ("flare", "high_pain", "change", "no_reply")


def _ack_kinds(raw: str) -> frozenset[str]:
    """The alert kinds facilitators may acknowledge; crisis and concern stay clinicians'."""
    kinds = frozenset(k.strip().lower() for k in raw.split(",") if k.strip())
    unknown = kinds - set(_FACILITATOR_MAY)
    if unknown:
        raise SettingsError(
            "FACILITATOR_ACK_KINDS may name only "
            + ", ".join(_FACILITATOR_MAY)
            + f" (crisis and concern alerts are for clinicians); got {', '.join(sorted(unknown))}"
        )
    return kinds


def _networks(raw: str) -> tuple[str, ...]:
    """TRUSTED_PROXIES: addresses or CIDR blocks whose X-Forwarded-For is believed."""
    import ipaddress

    found = []
    for item in (p.strip() for p in raw.split(",")):
        if not item:
            continue
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise SettingsError(
                f"TRUSTED_PROXIES: '{item}' is not an address or a CIDR block"
            ) from None
    return tuple(found)
