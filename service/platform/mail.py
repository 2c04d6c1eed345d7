"""Sending one email through the configured SMTP server (crisis alerts, password resets)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from service.platform.settings import Settings


def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send a plain-text email; raise OSError or smtplib.SMTPException when it cannot go."""
    if not settings.smtp_host:
        raise OSError("SMTP_HOST is not set")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.smtp_from
    message["To"] = to
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
