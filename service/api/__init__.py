"""JSON API v1: bearer-token auth, JSON errors, one module per resource."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

from service.platform.db import db
from service.platform.inputs import unstorable_field
from service.staff.auth import user_for_token

api = Blueprint("api", __name__, url_prefix="/api/v1")

F = TypeVar("F", bound=Callable[..., Any])


class ApiError(Exception):
    """An error answered as JSON: {"error": message, "fields": {...}}."""

    def __init__(self, status: int, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}


@api.errorhandler(ApiError)
def _api_error(exc: ApiError) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": exc.message}
    if exc.fields:
        body["fields"] = exc.fields
    return jsonify(body), exc.status


@api.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[Response, int]:
    return jsonify(error=exc.description or exc.name), exc.code or 500


@api.before_request
def _authenticate() -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(db.session(), token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise ApiError(401, "a valid API token is required (Authorization: Bearer ...)")
    db.session().commit()  # records last_used_at
    g.user = user
    field = unstorable_field(request)
    if field is not None:
        raise ApiError(
            422,
            f"'{field}' holds a character that cannot be stored (a NUL or a broken character)",
            {field: "remove the invisible control character and try again"},
        )


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "the request body must be a JSON object")
    return data


def require_fields_ok(fields: dict[str, str]) -> None:
    """Raise a 422 listing every field error, if there are any."""
    if fields:
        raise ApiError(422, "some fields are not valid", fields)


def jsonify_list(items: list[dict[str, Any]]) -> Response:
    """A list response wrapped as {"items": [...]} so it can grow paging later."""
    return jsonify(items=items)


from service.api import (  # noqa: E402,F401
    alerts,
    audit,
    groups,
    participants,
    replies,
    research,
    schedules,
)
