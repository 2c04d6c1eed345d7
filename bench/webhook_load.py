"""The inbound webhook under gunicorn and wrk (issue 13, item 4).

Both sides run with the Procfile's gunicorn settings (2 workers x 4 threads) on loopback and
are driven by wrk with 8 connections for the same time, each request a new signed text:

- Paceline's `POST /twilio/inbound`, PostgreSQL, texts from 2,000 enrolled members who each
  have a check-in waiting ("6", "pain 5 mood 6", ...: plain log replies);
- the smallest durable webhook (`bench/bare_webhook.py`): the signature checked, the
  MessageSid and body inserted into one PostgreSQL table and committed, empty TwiML.

Reports requests/s, the ratio, p99 latency, SQL statements per text (one plain log
text, counted in process), and the web workers' resident memory after the run. Needs wrk (Debian's `wrk` package) and PostgreSQL;
otherwise it says why it did not run.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import delete, event, insert, select, text
from twilio.request_validator import RequestValidator

from service.models import Group, Participant, ParticipantStatus, Prompt, PromptStatus
from service.platform.db import db, utcnow

ROOT = Path(__file__).resolve().parent.parent
MEMBERS = 2000
REQUESTS = 60_000  # more signed texts than a 20 s run can use: none is sent twice
SECONDS = int(os.environ.get("WRK_SECONDS", "20"))
CONNECTIONS = 8
RATIO_GOAL, P99_GOAL_MS, STATEMENTS_GOAL, RSS_GOAL_MB = 0.6, 50.0, 6, 150
REPLIES = ("6", "pain 5 mood 6", "4", "7/10", "about a 5", "3", "pain 6", "mood 7", "5", "8")
LUA = """
local texts = dofile("{data}")
local counter, threads = 1, {{}}
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  step = {threads}
  i = offset
end
function request()
  local t = texts[i]
  i = i + step
  if i > #texts then i = offset end
  return wrk.format("POST", "/twilio/inbound",
    {{["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = t[2]}},
    t[1])
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(app_path: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The Procfile's web command (its workers, threads and timeout), on loopback."""
    procfile = (ROOT / "Procfile").read_text()
    web = next(line for line in procfile.splitlines() if line.startswith("web:"))
    workers = re.search(r"--workers \$\{WEB_CONCURRENCY:-(\d+)\}", web).group(1)
    threads = re.search(r"--threads (\d+)", web).group(1)
    timeout = re.search(r"--timeout (\d+)", web).group(1)
    argv = [sys.executable, "-m", "gunicorn", "--workers", workers, "--threads", threads,
            "--timeout", timeout, "--bind", f"127.0.0.1:{port}", app_path]  # fmt: skip
    proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            time.sleep(1.0)  # the workers boot after the master binds
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"gunicorn for {app_path} did not start")


def _rss_mb(master: int) -> float:
    """The largest resident set among the master's worker processes, in MB."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return max(sizes) if sizes else 0.0


def _wrk(port: int, script: Path) -> tuple[float, float, int]:
    """requests/s, p99 in ms, and non-2xx responses of one wrk run."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=SECONDS + 60, check=True,
    ).stdout  # fmt: skip
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, p99, int(bad.group(1)) if bad else 0


def _script(folder: Path, name: str, url: str, token: str, first_sid: int) -> Path:
    """A wrk script cycling through REQUESTS signed texts, split between wrk's two threads."""
    validator = RequestValidator(token)
    rows = []
    for i in range(REQUESTS):
        params = {"MessageSid": f"SM{first_sid + i:032x}", "AccountSid": "AC" + "0" * 32,
                  "From": f"+1208555{i % MEMBERS:04d}", "To": "+15005550006",
                  "Body": REPLIES[i % len(REPLIES)], "NumMedia": "0"}  # fmt: skip
        signature = validator.compute_signature(url, params)
        rows.append(f'{{"{urlencode(params)}","{signature}"}}')
    data = folder / f"{name}.lua.data"
    data.write_text("return {" + ",\n".join(rows) + "}\n")
    script = folder / f"{name}.lua"
    script.write_text(LUA.format(data=data, threads=2))
    return script


def _seed(now) -> None:
    """MEMBERS enrolled members, each with a check-in sent five minutes ago."""
    session = db.session()
    session.execute(delete(Participant))
    session.commit()
    group = session.scalars(select(Group)).first() or Group(name="bench", timezone="America/Boise")
    session.add(group)
    session.flush()
    session.execute(
        insert(Participant),
        [{"group_id": group.id, "phone": f"+1208555{i:04d}", "status": ParticipantStatus.ACTIVE,
          "language": "en", "consent_at": now - timedelta(days=10)} for i in range(MEMBERS)],
    )  # fmt: skip
    ids = session.scalars(select(Participant.id).where(Participant.group_id == group.id)).all()
    session.execute(
        insert(Prompt),
        [{"participant_id": pid, "slot_key": "bench", "kind": "checkin_both",
          "expecting": "checkin", "scheduled_for": now - timedelta(minutes=5),
          "sent_at": now - timedelta(minutes=5), "status": PromptStatus.SENT,
          "window_ends_at": now + timedelta(hours=3)} for pid in ids],
    )  # fmt: skip
    session.commit()
    with session.get_bind().connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        connection.execute(text("VACUUM ANALYZE participants, prompts"))


def _statements_per_text(app, base: str, token: str) -> int:
    """SQL statements of one plain log reply, in process (the test suite holds it to 6)."""
    counted: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT")):
            counted.append(statement)

    params = {"MessageSid": "SM" + "f" * 32, "AccountSid": "AC" + "0" * 32,
              "From": f"+1208555{MEMBERS - 1:04d}", "To": "+15005550006", "Body": "6",
              "NumMedia": "0"}  # fmt: skip
    signature = RequestValidator(token).compute_signature(base + "/twilio/inbound", params)
    app.extensions["paceline.sms"].stream = open(os.devnull, "w")
    engine = db.engine(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = app.test_client().post("/twilio/inbound", data=params, base_url=base,
                                          headers={"X-Twilio-Signature": signature})  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.status_code
    return len(counted)


def rows(app, env: dict[str, str]) -> list[str]:
    """Run both sides and return the table rows (or one row saying why not)."""
    database_url = env["DATABASE_URL"]
    if not database_url.startswith("postgresql"):
        return [
            "| webhook under gunicorn and wrk | - | not run: needs PostgreSQL (DATABASE_URL) | |"
        ]
    if shutil.which("wrk") is None:
        return ["| webhook under gunicorn and wrk | - | not run: wrk is not installed "
                "(Debian: apt-get install wrk) | |"]  # fmt: skip
    base, token = env["PUBLIC_BASE_URL"], env["TWILIO_AUTH_TOKEN"]
    folder = Path(tempfile.mkdtemp(prefix="plb-wrk-"))
    web_env = {**env, "LOG_LEVEL": "ERROR", "SMS_BACKEND": "console", "PYTHONPATH": str(ROOT)}
    try:
        _seed(utcnow())
        statements = _statements_per_text(app, base, token)
        _seed(utcnow())
        with db.engine(app).begin() as connection:  # the bare webhook's one table, fresh
            connection.execute(text("DROP TABLE IF EXISTS bench_bare_inbound"))
            connection.execute(text("CREATE TABLE bench_bare_inbound (sid text PRIMARY KEY, "
                                    "body text, received_at timestamptz DEFAULT now())"))  # fmt: skip
        results = {}
        for name, app_path in (("bare", "bench.bare_webhook:app"), ("paceline", "wsgi:app")):
            script = _script(folder, name, base + "/twilio/inbound", token,
                             first_sid=1 if name == "bare" else 10**9)  # fmt: skip
            port = _free_port()
            server = _gunicorn(app_path, port, web_env)
            try:
                rate, p99, bad = _wrk(port, script)
                rss = _rss_mb(server.pid)
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(30)
            results[name] = (rate, p99, bad, rss)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    (bare, bare_p99, bare_bad, _), (ours, p99, bad, rss) = results["bare"], results["paceline"]
    ratio = ours / bare if bare else 0.0
    return [
        f"| webhook under gunicorn (Procfile: 2 workers x 4 threads), wrk {CONNECTIONS} "
        f"connections, {SECONDS} s | signed plain log replies from {MEMBERS:,} members | "
        f"{ours:,.0f} requests/s, p99 {p99:.1f} ms ({bad} errors) against the bare durable "
        f"webhook's {bare:,.0f} requests/s, p99 {bare_p99:.1f} ms ({bare_bad} errors): ratio "
        f"{ratio:.2f} (goal >= {RATIO_GOAL}, p99 < {P99_GOAL_MS:.0f} ms) | |",
        f"| SQL statements for one plain log reply | answering an open check-in | "
        f"{statements} (goal <= {STATEMENTS_GOAL}) | |",
        f"| web worker memory after the run | {ours * SECONDS:,.0f} requests | largest "
        f"worker {rss:.0f} MB resident (goal < {RSS_GOAL_MB} MB) | |",
    ]
