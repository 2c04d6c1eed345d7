"""Staff input the database could not store: a NUL or a lone surrogate anywhere in a request.

Such input gets a 422 with a clear message before any view runs, so nothing is half-written
and no request ends in a 500.
"""

from __future__ import annotations

from typing import Any

from flask import Request

from service.platform.db import has_unstorable


def unstorable_field(request: Request) -> str | None:
    """The name of the first field holding a character the database cannot store, or None."""
    for source in (request.args, request.form):
        for name, values in source.lists():
            if has_unstorable(name) or any(has_unstorable(v) for v in values):
                return name
    if request.is_json:
        data = request.get_json(silent=True)
        found = _in_json(data, "body")
        if found:
            return found
    return None


def _in_json(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        return path if has_unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if has_unstorable(str(key)):
                return path
            found = _in_json(item, str(key))
            if found:
                return found
    if isinstance(value, list):
        for item in value:
            found = _in_json(item, path)
            if found:
                return found
    return None
