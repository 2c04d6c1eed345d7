"""GET /healthz: can this process reach its database and Redis, and does anything wait in the
inbound spool (texts kept while the database was down)?"""

from __future__ import annotations

import logging

import redis
from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service.platform.db import db
from service.platform.redis_conn import get_redis
from service.platform.spool import depth as spool_depth

health = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@health.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 with {"status": "ok"} when both stores answer, 503 naming the one that does not."""
    checks: dict[str, str] = {}
    try:
        with db.engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        log.error("health check: database unreachable: %s", type(exc).__name__)
        checks["database"] = "unreachable"
    try:
        get_redis().ping()
        checks["redis"] = "ok"
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        log.error("health check: redis unreachable: %s", type(exc).__name__)
        checks["redis"] = "unreachable"
    ok = all(v == "ok" for v in checks.values())
    waiting = spool_depth(current_app._get_current_object())  # type: ignore[attr-defined]
    body = {
        "status": "ok" if ok else "degraded",
        "checks": checks,
        "spool": {
            "waiting": waiting.total,
            "in_redis": waiting.redis,
            "in_file": waiting.file,
            "last_outage": waiting.last_outage,
        },
    }
    if ok and waiting.total:
        body["status"] = "draining"  # up again; the sweep is moving spooled texts in
    return jsonify(body), 200 if ok else 503
