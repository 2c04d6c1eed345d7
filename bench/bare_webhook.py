"""The smallest durable Twilio webhook, the yardstick for Paceline's (bench/webhook_load.py):
check the signature, insert the MessageSid and body into one PostgreSQL table, commit, and
answer empty TwiML. One connection per gunicorn thread, kept open."""

from __future__ import annotations

import os
import threading

import psycopg
from flask import Flask, Response, abort, request
from twilio.request_validator import RequestValidator

app = Flask(__name__)
_validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
_url = os.environ["PUBLIC_BASE_URL"].rstrip("/") + "/twilio/inbound"
_dsn = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
_local = threading.local()
_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response />'


def _connection() -> psycopg.Connection:
    # The table is made by the bench before the server starts (bench/webhook_load.py).
    if getattr(_local, "connection", None) is None:
        _local.connection = psycopg.connect(_dsn, autocommit=True)
    return _local.connection


@app.post("/twilio/inbound")
def inbound() -> Response:
    if not _validator.validate(_url, request.form, request.headers.get("X-Twilio-Signature", "")):
        abort(403)
    connection = _connection()
    with connection.transaction():  # committed when the block ends
        connection.execute(
            "INSERT INTO bench_bare_inbound (sid, body) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (request.form["MessageSid"], request.form.get("Body", "")),
        )
    return Response(_EMPTY, mimetype="application/xml")
