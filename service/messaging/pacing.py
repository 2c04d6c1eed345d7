"""Pacing per sender: hand Twilio no more segments a second than the sender can send.

A long code sends about 1 segment a second, toll-free 3, a short code 100. Twilio queues what
it is handed faster than that (about 10 hours' worth per sender, then error 21611), and a prompt
that waits in Twilio's queue arrives late, perhaps at night. So every worker on every host
reserves a send slot from one schedule per sender kept in Redis, before it calls Twilio.

The schedule is a virtual clock (GCRA, the "theoretical arrival time"): the key holds the time
at which the sender is next free. A reservation of `n` segments takes the slot at
max(free, now) and moves `free` on by n / MPS. Redis's own clock is used, so hosts whose
clocks differ still share one schedule, and one Lua script does it atomically.

Urgent texts (crisis replies, on-call notifications, STOP and HELP answers) never wait: they
take their slot at once and push the schedule on, so prompts and broadcasts after them wait
a little longer, and the sender's average rate still holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

# Texts that never wait behind prompts or broadcasts.
URGENT_KINDS = frozenset(
    {"crisis_reply", "crisis_alert", "crisis_followup", "opt_out_confirmation", "help"}
)
KEY = "paceline:pace:{sender}"

# KEYS[1]: the sender's next free time (seconds, float). ARGV: cost in seconds, urgent (0/1).
# Returns {wait seconds, now} as strings (Lua numbers lose precision as integers).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then free = now end
local cost = tonumber(ARGV[1])
local wait = free - now
if ARGV[2] == '1' then wait = 0 end
local after = free + cost
redis.call('SET', KEYS[1], string.format('%.6f', after), 'EX', math.ceil(after - now) + 60)
return {string.format('%.6f', wait), string.format('%.6f', now)}
"""

_BACKLOG = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then return '0' end
return string.format('%.6f', free - now)
"""


@dataclass(frozen=True)
class Slot:
    """A reserved send slot: wait this many seconds (by Redis's clock) before sending."""

    wait: float
    redis_now: float


def sender_key(messaging_service_sid: str | None, from_number: str | None) -> str:
    """The sender whose rate is shared: the Messaging Service if set, else the from number."""
    return messaging_service_sid or from_number or "default"


def reserve(connection: redis.Redis, sender: str, segments: int, mps: float, *,
            urgent: bool = False) -> Slot:  # fmt: skip
    """Reserve the next slot of `sender` for `segments` segments at `mps` segments a second."""
    cost = max(segments, 1) / mps
    wait, now = connection.eval(_RESERVE, 1, KEY.format(sender=sender), f"{cost:.6f}",
                                "1" if urgent else "0")  # fmt: skip
    return Slot(float(wait), float(now))


def backlog_seconds(connection: redis.Redis, sender: str) -> float:
    """How long the sender's schedule is already booked ahead (0 when it is free now)."""
    return float(connection.eval(_BACKLOG, 1, KEY.format(sender=sender)))
