"""The Paceline Flask application factory."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect

from service.platform.settings import Settings, load_settings

# Created unbound, bound to each app in create_app (no app or config at import time).
csrf = CSRFProtect()


def create_app(overrides: Mapping[str, str] | None = None) -> Flask:
    """Build the app: settings, logging, extensions, blueprints, error handlers, CLI."""
    import os

    environ: dict[str, str] = dict(os.environ)
    environ.update(overrides or {})
    settings = load_settings(environ)

    app = Flask(__name__, instance_path=str(settings.instance_path))
    _configure(app, settings)
    _register_extensions(app)
    _register_blueprints(app)
    from service.staff.audit import init_app as init_audit

    init_audit(app)
    _register_cli(app)
    app.after_request(_security_headers)
    return app


# No inline script (app.js is the only script); inline styles stay allowed for the server-drawn
# SVG charts. Nothing may frame the app.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    return response


def _configure(app: Flask, settings: Settings) -> None:
    from service.platform.logs import configure_logging

    configure_logging(settings.log_level)
    app.extensions["paceline.settings"] = settings
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.env == "test",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.public_base_url.startswith("https://"),
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        JSON_SORT_KEYS=False,
    )


def _register_extensions(app: Flask) -> None:
    from service.messaging.sms import build_backend
    from service.platform.db import db
    from service.platform.redis_conn import init_redis

    db.init_app(app)
    init_redis(app)
    app.extensions["paceline.sms"] = build_backend(app.extensions["paceline.settings"])
    csrf.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from service.api import api
    from service.platform.health import health
    from service.ui import ui
    from service.webhooks import webhooks

    app.register_blueprint(health)
    # Twilio signs its webhooks and the API uses bearer tokens: neither carries a CSRF token.
    csrf.exempt(webhooks)
    csrf.exempt(api)
    app.register_blueprint(webhooks)
    app.register_blueprint(api)
    app.register_blueprint(ui)


def _register_cli(app: Flask) -> None:
    from service.commands.cli import register_cli

    register_cli(app)
