"""Scale-out across hosts (issue 13, item 6): three hosts as network namespaces on this machine.

- `plb-db` runs its own PostgreSQL (initdb in a scratch folder), Redis, and the loopback
  Twilio (150 ms per message, 429 / 20429 to a sender handed more than its rate in a second);
- `plb-a` and `plb-b` each run the Procfile's processes: gunicorn (2 workers x 4 threads),
  WORKERS RQ workers and a clock. Two clocks tick at once, as two hosts' would.

Each worker host reaches the database host over its own veth pair (10.77.1.0/24 and
10.77.2.0/24); no namespace has a route anywhere else.

The compressed day: 100,000 members in 24 groups, one per whole-hour zone (UTC-11 to UTC+12),
so every local hour of a day, the nights included, is somewhere at once. DUE of them, spread
evenly over the zones, have a prompt falling due over one minute; about half of those are in
their night (21:00-08:00) and must not be texted. Signed replies reach both web hosts. When
40% of the expected texts have reached Twilio, every process on `plb-b` is killed with
SIGKILL (the host dies mid-send); `plb-a` carries on alone.

What is checked, from what Twilio saw and what the database holds: 0 texts handed to Twilio
twice, 0 texts at night where the member is, every due daytime prompt sent, the rate never
above the configured MPS (0 rate errors) and near it while there is work, every reply that was
answered stored, none lost to the dead host.

Needs root (ip netns), iproute2 and PostgreSQL's server binaries (the fault tests' own
PostgreSQL and Redis servers are reused); otherwise it prints one row saying why it did not run. Bounded: the run stops at DEADLINE seconds.
`python -m bench.scale_out` runs it alone; `make bench` runs it last.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from tests.faults.conftest import PostgresCluster, RedisServer

ROOT = Path(__file__).resolve().parent.parent
NAMESPACES = ("plb-db", "plb-a", "plb-b")
HOSTS = {"a": 1, "b": 2}  # worker host -> its veth subnet 10.77.N.0/24 to the database host
MEMBERS = int(os.environ.get("SCALE_OUT_MEMBERS", "100000"))
DUE = int(os.environ.get("SCALE_OUT_DUE", "4800"))
MPS = float(os.environ.get("SCALE_OUT_MPS", "20"))
WORKERS = int(os.environ.get("SCALE_OUT_WORKERS", "6"))  # per worker host
REPLAN = int(os.environ.get("SCALE_OUT_REPLAN", "2000"))  # members both clocks must plan
SLOT_KEY = "scale-out"  # the seeded prompts' slot
REPLIES = 1200  # signed texts, alternating between the two web hosts
SPREAD = 60  # seconds over which the prompts fall due
KILL_AT = 0.4  # share of the expected texts sent when plb-b dies
DEADLINE = 600  # seconds from the first due prompt
LATENCY = 0.150
TOKEN = "0123456789abcdef0123456789abcdef"
ACCOUNT_SID = "AC" + "0" * 31 + "1"
FROM = "+15005550006"
BASE = "https://scale.example.org"
QUIET_START, QUIET_END = 21, 8  # the programme's default quiet hours, local time
# UTC-11 .. UTC+12 (POSIX sign: Etc/GMT+11 is eleven hours behind UTC).
ZONES = [f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT" for offset in range(-11, 13)]


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def _kill_namespace(name: str) -> int:
    """SIGKILL every process in namespace `name`; how many there were."""
    out = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True).stdout
    pids = [int(pid) for pid in out.split()]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(pids)


def teardown() -> None:
    existing = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for name in NAMESPACES:
        if name in existing:
            _kill_namespace(name)
            time.sleep(0.2)
            subprocess.run(["ip", "netns", "del", name], capture_output=True)


def setup_network() -> None:
    """Three namespaces; a veth pair from each worker host to the database host."""
    teardown()
    for name in NAMESPACES:
        _ip("netns", "add", name)
        _ip("-n", name, "link", "set", "lo", "up")
    for host, net in HOSTS.items():
        _ip("link", "add", f"plb-{host}0", "netns", "plb-db", "type", "veth",
            "peer", "name", f"plb-{host}1", "netns", f"plb-{host}")  # fmt: skip
        _ip("-n", "plb-db", "addr", "add", f"10.77.{net}.1/24", "dev", f"plb-{host}0")
        _ip("-n", "plb-db", "link", "set", f"plb-{host}0", "up")
        _ip("-n", f"plb-{host}", "addr", "add", f"10.77.{net}.2/24", "dev", f"plb-{host}1")
        _ip("-n", f"plb-{host}", "link", "set", f"plb-{host}1", "up")


def why_not() -> str | None:
    """Why this machine cannot run the bench, or None."""
    if os.geteuid() != 0:
        return "needs root (ip netns)"
    from tests.faults.conftest import PG_BIN

    if shutil.which("ip") is None or shutil.which("runuser") is None:
        return "iproute2 and runuser are needed"
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL's server binaries are not in {PG_BIN}"
    return None


def rows() -> list[str]:
    """Set up the namespaces, run the bench inside `plb-db`, and return its table rows."""
    reason = why_not()
    if reason:
        return [f"| scale-out across three hosts (network namespaces) | - | not run: {reason} | |"]
    try:
        setup_network()
        done = subprocess.run(
            ["ip", "netns", "exec", "plb-db", sys.executable, "-m", "bench.scale_out", "--inside"],
            cwd=ROOT, capture_output=True, text=True, timeout=DEADLINE + 600,
        )  # fmt: skip
    finally:
        teardown()
    if os.environ.get("SCALE_OUT_KEEP"):
        sys.stderr.write(done.stderr)  # the run's profile and where its logs are
    lines = [line for line in done.stdout.splitlines() if line.startswith("|")]
    if done.returncode != 0 or not lines:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])[-300:]
        return [f"| scale-out across three hosts | - | FAILED to run: {tail} | |"]
    return lines


# --- inside plb-db ---------------------------------------------------------------------------


class Cluster:
    """The database host's servers and the worker hosts' processes, all stopped by close()."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.procs: list[subprocess.Popen[bytes]] = []
        self.postgres: PostgresCluster | None = None
        self.redis: RedisServer | None = None

    def start(self, argv: list[str], log: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        out = open(self.scratch / log, "ab")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)  # fmt: skip
        self.procs.append(proc)
        return proc

    def servers(self) -> tuple[str, str]:
        """The database host's PostgreSQL and Redis (the fault tests' own), serving the worker
        hosts' network; their URLs with `{host}` for the address to reach them at."""
        import psycopg

        from tests.faults.conftest import PostgresCluster, RedisServer

        folder = self.scratch / "db-servers"
        folder.mkdir()
        self.postgres = PostgresCluster(folder, port=5432, listen="0.0.0.0",
                                        trust="10.77.0.0/16", options="-c max_connections=200")  # fmt: skip
        with psycopg.connect(self.postgres.url, autocommit=True) as connection:
            connection.execute("CREATE DATABASE paceline")
        self.redis = RedisServer(folder, bind="0.0.0.0", port=6379)
        return "postgresql+psycopg://postgres@{host}:5432/paceline", "redis://{host}:6379/0"

    def worker_host(self, host: str, env: dict[str, str]) -> None:
        """The Procfile's web, worker and clock processes, in namespace plb-`host`."""
        inside = ["ip", "netns", "exec", f"plb-{host}", sys.executable]
        self.start([*inside, "-m", "gunicorn", "--workers", "2", "--threads", "4", "--timeout",
                    "15", "--bind", "0.0.0.0:5000", "wsgi:app"], f"{host}-web.log", env)  # fmt: skip
        for i in range(WORKERS):
            self.start([*inside, "-m", "flask", "--app", "wsgi", "worker"],
                       f"{host}-worker{i}.log", env)  # fmt: skip
        self.start([*inside, "-m", "flask", "--app", "wsgi", "clock"], f"{host}-clock.log", env)

    def close(self) -> None:
        """The hosts' processes first, then the Redis and the PostgreSQL they were using."""
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if self.redis is not None:
            self.redis.kill()
        if self.postgres is not None:
            self.postgres.stop()


def _phone(i: int) -> str:
    return f"+1303{200 + i // 10_000:03d}{i % 10_000:04d}"  # Colorado: no stricter law


def _zone_of(phone: str) -> str:
    """The zone of member `_phone(i)`."""
    i = (int(phone[5:8]) - 200) * 10_000 + int(phone[8:12])
    return ZONES[i % len(ZONES)]


def _seed(start: datetime) -> dict[str, str]:
    """MEMBERS members across the zones; DUE prompts due over SPREAD seconds from `start`;
    the last REPLAN members due for planning at `start`. Returns each due member's zone, by
    phone."""
    from sqlalchemy import insert, select

    from service.models import (
        Group,
        NumberStatus,
        Participant,
        ParticipantStatus,
        Prompt,
        PromptStatus,
    )
    from service.platform.db import db

    session = db.session()
    groups = [Group(name=f"zone {zone}", timezone=zone) for zone in ZONES]
    session.add_all(groups)
    session.commit()
    later = start + timedelta(days=3)  # planned already: the bench is about what falls due
    for first in range(0, MEMBERS, 20_000):
        session.execute(insert(Participant), [
            {"group_id": groups[i % len(ZONES)].id, "phone": _phone(i), "name": "",
             "timezone": ZONES[i % len(ZONES)], "language": "en",
             "status": ParticipantStatus.ACTIVE, "number_status": NumberStatus.OK,
             "consent_at": start - timedelta(days=7), "plan_epoch": 0,
             "next_plan_at": start if i >= MEMBERS - REPLAN else later}
            for i in range(first, min(MEMBERS, first + 20_000))
        ])  # fmt: skip
        session.commit()
    due = session.execute(
        select(Participant.id, Participant.phone, Participant.timezone)
        .order_by(Participant.id)
        .limit(DUE)
    ).all()
    session.execute(insert(Prompt), [
        {"participant_id": pid, "slot_key": SLOT_KEY, "kind": "pacing",
         "status": PromptStatus.PLANNED,
         "scheduled_for": start + timedelta(seconds=SPREAD * k / len(due))}
        for k, (pid, _phone_, _zone) in enumerate(due)
    ])  # fmt: skip
    session.commit()
    return {phone: zone for _pid, phone, zone in due}


def _quiet(at: datetime, zone: str) -> bool:
    hour = at.astimezone(ZoneInfo(zone)).hour
    return hour >= QUIET_START or hour < QUIET_END


class Replies:
    """Signed texts from daytime members, alternating between the web hosts; a text whose host
    is gone is retried on the other, as Twilio's retry through a load balancer would."""

    def __init__(self, phones: list[str]) -> None:
        from twilio.request_validator import RequestValidator

        validator = RequestValidator(TOKEN)
        self.texts = []
        for i in range(REPLIES):
            params = {"MessageSid": f"SM{i + 7 * 10**12:032x}", "AccountSid": ACCOUNT_SID,
                      "From": phones[i % len(phones)], "To": FROM, "Body": "pain 5 mood 6",
                      "NumMedia": "0"}  # fmt: skip
            signature = validator.compute_signature(BASE + "/twilio/inbound", params)
            self.texts.append((params, signature))
        self.answered: set[str] = set()
        self.failed_over = 0
        self.unanswered = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _post(self, host: str, params: dict[str, str], signature: str) -> bool:
        request = urllib.request.Request(
            f"http://10.77.{HOSTS[host]}.2:5000/twilio/inbound", data=urlencode(params).encode(),
            headers={"X-Twilio-Signature": signature,
                     "Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _run(self) -> None:
        for i, (params, signature) in enumerate(self.texts):
            first, other = ("a", "b") if i % 2 == 0 else ("b", "a")
            if self._post(first, params, signature):
                self.answered.add(params["MessageSid"])
            elif self._post(other, params, signature):
                self.failed_over += 1
                self.answered.add(params["MessageSid"])
            else:
                self.unanswered += 1
            time.sleep(0.1)  # about 10 texts a second: the run lasts past the kill


def inside() -> None:
    """The bench proper, run in plb-db: prints the table rows."""
    from service import create_app
    from service.commands.cli import upgrade_database
    from service.platform.db import utcnow
    from tests.twilio_fake import FakeTwilio, created

    scratch = Path(tempfile.mkdtemp(prefix="plb-scale-"))
    os.chmod(scratch, 0o755)
    cluster = Cluster(scratch)
    fake = FakeTwilio(carrier_mps=MPS, host="0.0.0.0")
    fake.respond((*created("auto"), LATENCY))
    try:
        database, broker = cluster.servers()
        common = {"PACELINE_ENV": "test", "LOG_LEVEL": os.environ.get("SCALE_OUT_LOG_LEVEL", "WARNING"), "TWILIO_AUTH_TOKEN": TOKEN,
                  "PUBLIC_BASE_URL": BASE, "SMS_BACKEND": "twilio",
                  "TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_FROM_NUMBER": FROM,
                  "TWILIO_SENDER_MPS": f"{MPS:g}"}  # fmt: skip
        here = {**common, "DATABASE_URL": database.format(host="127.0.0.1"),
                "REDIS_URL": broker.format(host="127.0.0.1"),
                "INSTANCE_PATH": str(scratch / "db-host")}  # fmt: skip
        app = create_app(here)
        upgrade_database(app)
        with app.app_context():
            seed_started = time.monotonic()
            start = utcnow() + timedelta(seconds=25)  # the hosts boot first
            zones = _seed(start)
            seeded = time.monotonic() - seed_started
        # Day or night for the whole run; the zones at dusk or dawn are checked only for no
        # text at night.
        end = start + timedelta(seconds=DEADLINE)
        daytime = [p for p, z in zones.items() if not _quiet(start, z) and not _quiet(end, z)]
        night = [p for p, z in zones.items() if _quiet(start, z) and _quiet(end, z)]
        for host, net in HOSTS.items():
            folder = scratch / f"{host}-host"
            folder.mkdir()
            cluster.worker_host(host, {
                **os.environ, **common, "PYTHONPATH": str(ROOT), "INSTANCE_PATH": str(folder),
                "HOME": str(folder),  # gunicorn's control socket, one per host
                "DATABASE_URL": database.format(host=f"10.77.{net}.1"),
                "REDIS_URL": broker.format(host=f"10.77.{net}.1"),
                "TWILIO_API_BASE_URL": f"http://10.77.{net}.1:{fake.port}",
            })  # fmt: skip
        time.sleep(max(0.0, (start - utcnow()).total_seconds()))
        replies = Replies(daytime)
        replies.thread.start()
        run = _watch(app, fake, replies, len(daytime))
        with app.app_context():
            replanned = _replanned(start)
            stored = _stored(replies.answered)
        _report(run, fake, replies, stored, replanned, zones, daytime, night, seeded)
        if os.environ.get("SCALE_OUT_KEEP"):
            print(f"logs kept in {scratch}", file=sys.stderr)
    finally:
        fake.close()
        cluster.close()
        if not os.environ.get("SCALE_OUT_KEEP"):
            shutil.rmtree(scratch, ignore_errors=True)


class Run:
    """What the watcher saw: when host b died, how much work was waiting each second, the
    prompts' end states."""

    def __init__(self) -> None:
        self.killed_at: float | None = None
        self.killed = 0
        self.samples: list[tuple[float, int]] = []  # (monotonic, seeded texts queued to send)
        self.ended = 0.0
        self.statuses: dict[str, int] = {}


def _watch(app, fake, replies: Replies, daytime: int) -> Run:  # type: ignore[no-untyped-def]
    """Kill host b at KILL_AT of the daytime texts; return when nothing is left to send."""
    from sqlalchemy import func, select

    from service.models import MessageStatus, OutboundMessage, Prompt, PromptStatus
    from service.platform.db import db

    run = Run()
    deadline = time.monotonic() + DEADLINE
    with app.app_context():
        session = db.session()
        while time.monotonic() < deadline:
            time.sleep(1.0)
            if run.killed_at is None and len(fake.accepted) >= KILL_AT * daytime:
                run.killed_at = time.monotonic()
                run.killed = _kill_namespace("plb-b")
            session.rollback()  # a fresh transaction each second, none held open
            # The seeded work (the clocks' own plans keep falling due every minute).
            seeded = Prompt.slot_key == SLOT_KEY
            due = session.scalar(select(func.count(Prompt.id)).where(
                seeded, Prompt.status == PromptStatus.PLANNED))  # fmt: skip
            in_flight = {status: n for status, n in session.execute(
                select(OutboundMessage.status, func.count(OutboundMessage.id))
                .join(Prompt, OutboundMessage.prompt_id == Prompt.id)
                .where(seeded, OutboundMessage.status.in_((MessageStatus.QUEUED,
                                                            MessageStatus.SENDING)))
                .group_by(OutboundMessage.status))}  # fmt: skip
            run.samples.append((time.monotonic(), in_flight.get(MessageStatus.QUEUED, 0)))
            idle = not (due or in_flight or replies.thread.is_alive())
            if run.killed_at is not None and idle:
                break
        replies.thread.join(60)
        run.ended = time.monotonic()
        counts = session.execute(select(Prompt.status, func.count()).group_by(Prompt.status))
        run.statuses = {str(status): n for status, n in counts}
    return run


def _replanned(start: datetime) -> dict[str, int]:
    """How the REPLAN members due for planning at `start` came out of two clocks' ticks."""
    from sqlalchemy import func, select

    from service.models import Participant, Prompt
    from service.platform.db import db

    session = db.session()
    members = select(Participant.id).order_by(Participant.id.desc()).limit(REPLAN).subquery()
    mine = Participant.id.in_(select(members.c.id))
    waiting = session.scalar(
        select(func.count(Participant.id)).where(mine, Participant.next_plan_at <= start)
    )
    slots = session.execute(
        select(Prompt.participant_id, Prompt.slot_key, Prompt.scheduled_for, Participant.timezone)
        .join(Participant, Prompt.participant_id == Participant.id)
        .where(mine)
    ).all()
    twice = sum(n - 1 for n in Counter((p, key) for p, key, _at, _z in slots).values() if n > 1)
    at_night = sum(1 for _p, _key, at, zone in slots if _quiet(at, zone))
    return {"members": REPLAN, "not planned": waiting, "slots": len(slots),
            "slots twice": twice, "slots at night": at_night}  # fmt: skip


def _stored(answered: set[str]) -> set[str]:
    """Which of the answered replies' MessageSids the database holds."""
    from sqlalchemy import select

    from service.models import InboundMessage
    from service.platform.db import db

    sids = sorted(answered)
    stored: set[str] = set()
    for first in range(0, len(sids), 1000):
        stored.update(db.session().scalars(select(InboundMessage.message_sid).where(
            InboundMessage.message_sid.in_(sids[first:first + 1000]))))  # fmt: skip
    return stored


def _report(run: Run, fake, replies: Replies, stored: set[str], replanned: dict[str, int],  # type: ignore[no-untyped-def]
            zones: dict[str, str], daytime: list[str], night: list[str], seeded: float) -> None:  # fmt: skip
    """Print the three table rows."""
    with fake.lock:
        accepted = list(fake.accepted)
        # When each text to a seeded member reached Twilio (requests and arrivals pair up); the
        # clocks' own plans for the 2,000 keep adding a few a minute and are left out here.
        arrivals = sorted(t for t, form in zip(fake.arrivals, fake.requests, strict=True)
                          if form.get("To", [""])[0] in zones)  # fmt: skip
    per_message = Counter(m["status_callback"] for m in accepted)
    sent_to = Counter(m["to"] for m in accepted)
    # Twice: one outbox row handed over again, or a member with one prompt texted twice.
    twice = sum(n - 1 for n in per_message.values() if n > 1) + sum(
        n - 1 for to, n in sent_to.items() if n > 1 and to in zones
    )
    # Every text, whoever planned it (the seeded prompts and the clocks' own plans).
    at_night = sum(1 for m in accepted
                   if _quiet(parsedate_to_datetime(m["date_created"]), _zone_of(m["to"])))  # fmt: skip
    day_missing = sum(1 for p in daytime if p not in sent_to)
    night_sent = sum(1 for p in night if p in sent_to)
    lost_replies = len(replies.answered - stored)
    killed_at = run.killed_at
    ok = (twice == 0 and at_night == 0 and day_missing == 0 and night_sent == 0
          and fake.rate_errors == 0 and lost_replies == 0 and killed_at is not None
          and replies.unanswered == 0 and replanned["not planned"] == 0
          and replanned["slots twice"] == 0 and replanned["slots at night"] == 0)  # fmt: skip
    print(
        f"| scale-out: 3 hosts (network namespaces), PostgreSQL + Redis on one, web + "
        f"{WORKERS} workers + a clock on each of two | {MEMBERS:,} members in 24 zones, "
        f"{len(zones):,} prompts due over {SPREAD} s ({len(daytime):,} in daytime, "
        f"{len(night):,} at night), {REPLAN:,} members due for planning, "
        f"TWILIO_SENDER_MPS={MPS:g}, host b killed (SIGKILL, {run.killed} processes) at "
        f"{KILL_AT:.0%} of the texts | {'passed' if ok else 'FAILED'}: {len(accepted):,} sent, "
        f"{twice} twice, {at_night} at night, {day_missing} daytime prompts not sent, "
        f"{night_sent} night prompts sent, {fake.rate_errors} rate errors; prompts "
        f"{dict(sorted(run.statuses.items()))}; planning: {replanned['not planned']} of "
        f"{REPLAN:,} left waiting, {replanned['slots']:,} slots, {replanned['slots twice']} "
        f"twice, {replanned['slots at night']} at night | seeded in {seeded:.0f} s; "
        f"{(arrivals[-1] - arrivals[0]) if arrivals else 0:.0f} s from the first text to the "
        f"last |"
    )
    # The rate while texts were queued to send (at least a second's worth): the rate the
    # hosts achieved when the sender's rate, not the planner's minute, was the limit.
    busy_until = max((t for t, waiting in run.samples if waiting >= MPS), default=0.0)
    both = [t for t in arrivals if killed_at is None or t < killed_at]
    alone = [t for t in arrivals if killed_at is not None and killed_at <= t <= busy_until]
    last = (arrivals[-1] - killed_at) if arrivals and killed_at else 0.0
    if os.environ.get("SCALE_OUT_KEEP") and arrivals:  # the run's profile, to read by eye
        first = arrivals[0]
        per_5s = Counter(int((t - first) // 5) * 5 for t in arrivals)
        print("texts per 5 s:", dict(sorted(per_5s.items())), file=sys.stderr)
        print("kill at", round((killed_at or first) - first, 1), "s; queued samples:",
              [(round(t - first), n) for t, n in run.samples], file=sys.stderr)  # fmt: skip
    print(
        f"| scale-out: send rate while texts waited | the same run | {_rate(both):.2f} "
        f"texts/s with both hosts, {_rate(alone):.2f} with host a alone "
        f"({_rate(both) / MPS:.3f}x and {_rate(alone) / MPS:.3f}x the configured {MPS:g}); "
        f"the last text {last:.0f} s after the kill | the bucket is one Redis key, shared "
        f"by both hosts |"
    )
    print(
        f"| scale-out: replies through both web hosts | {REPLIES:,} signed texts, ~10/s "
        f"| {len(replies.answered):,} answered ({replies.failed_over} after their host "
        f"died, on the other), {len(stored):,} stored, {lost_replies} lost, "
        f"{replies.unanswered} unanswered | |"
    )


def _rate(arrivals: list[float]) -> float:
    """Texts a second between the first and the last of `arrivals`."""
    return (len(arrivals) - 1) / (arrivals[-1] - arrivals[0]) if len(arrivals) > 1 else 0.0


if __name__ == "__main__":
    if sys.argv[1:] == ["--inside"]:
        inside()
    else:
        print("\n".join(rows()))
