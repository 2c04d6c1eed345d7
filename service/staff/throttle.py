"""Login throttling that cannot be turned against colleagues.

Failures are counted per account and per (account, address), never per address alone: a
clinic's staff share one proxy address, and one person typing wrong passwords must not lock
everyone else out. Each count buys a growing delay (1 s doubling, at most 15 minutes) before
the next attempt, rather than a lockout. When Redis is down the counts live in this process,
so the throttle fails closed to growing delays, never to no limit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import threading
import time
from collections.abc import Iterable

import redis
from flask import Flask, Request

from service.platform.redis_conn import get_redis

log = logging.getLogger(__name__)

WINDOW_SECONDS = 15 * 60
MAX_DELAY_SECONDS = 15 * 60
FREE_PAIR_FAILURES = 3  # an address may mistype an account's password this often for free
FREE_ACCOUNT_FAILURES = 10  # all addresses together, against one account


def _delay(failures: int, free: int) -> float:
    return 0.0 if failures <= free else float(min(2 ** (failures - free - 1), MAX_DELAY_SECONDS))


def client_address(request: Request, trusted_proxies: Iterable[str]) -> str:
    """The client's address: X-Forwarded-For is believed only when the hop is a trusted proxy,
    and then the nearest address that is not one of them."""
    networks = [ipaddress.ip_network(p, strict=False) for p in trusted_proxies]

    def trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(ip in net for net in networks)

    remote = request.remote_addr or "unknown"
    if not networks or not trusted(remote):
        return remote
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop
    return remote


def _keys(email: str, address: str) -> tuple[str, str]:
    account = hashlib.sha256(email.encode()).hexdigest()[:24]  # no address book in Redis
    return f"login:acct:{account}", f"login:pair:{account}:{address}"


class _Local:
    """The fallback when Redis is down: the same counts, in this process's memory."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: dict[str, tuple[int, float]] = {}

    def get(self, key: str, now: float) -> tuple[int, float]:
        with self.lock:
            return self._current(key, now)

    def add(self, key: str, now: float) -> None:
        with self.lock:
            count, _ = self._current(key, now)
            self.counts[key] = (count + 1, now)
            if len(self.counts) > 100_000:  # bounded: forget the oldest half
                for old in sorted(self.counts, key=lambda k: self.counts[k][1])[:50_000]:
                    del self.counts[old]

    def _current(self, key: str, now: float) -> tuple[int, float]:
        count, last = self.counts.get(key, (0, 0.0))
        return (0, 0.0) if now - last > WINDOW_SECONDS else (count, last)

    def clear(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                self.counts.pop(key, None)


_local = _Local()


def wait_seconds(app: Flask, email: str, address: str) -> float:
    """How long this (account, address) must wait before it may try again (0: it may now)."""
    now = time.time()
    account_key, pair_key = _keys(email, address)
    try:
        connection = get_redis(app)
        raw = connection.mget([account_key, pair_key, account_key + ":t", pair_key + ":t"])
        counts = [int(v or 0) for v in raw[:2]]
        lasts = [float(v or 0) for v in raw[2:]]
    except redis.RedisError:
        counts, lasts = [], []
        for key in (account_key, pair_key):
            count, last = _local.get(key, now)
            counts.append(count)
            lasts.append(last)
    waits = [
        lasts[0] + _delay(counts[0], FREE_ACCOUNT_FAILURES) - now,
        lasts[1] + _delay(counts[1], FREE_PAIR_FAILURES) - now,
    ]
    return max(0.0, *waits)


def record_failure(app: Flask, email: str, address: str) -> None:
    """Count one wrong password for the account and for this address's tries at it."""
    now = time.time()
    keys = _keys(email, address)
    try:
        with get_redis(app).pipeline() as pipe:
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, WINDOW_SECONDS)
                pipe.set(key + ":t", str(now), ex=WINDOW_SECONDS)
            pipe.execute()
    except redis.RedisError as exc:
        log.warning("login throttle kept in memory, Redis unavailable: %s", type(exc).__name__)
        for key in keys:
            _local.add(key, now)


def record_success(app: Flask, email: str, address: str) -> None:
    """A correct password from this address clears its own count (not the account's)."""
    _, pair_key = _keys(email, address)
    try:
        get_redis(app).delete(pair_key, pair_key + ":t")
    except redis.RedisError:
        pass
    _local.clear([pair_key])
