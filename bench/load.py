"""Load for ``bench/server.py``: people to file for, wrk to send their declarations, and the CPU
the server, the database and wrk spend on them (read from ``/proc``)."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import insert

from itdeclare.server import credentials
from itdeclare.server.db import Database
from itdeclare.server.tables import Account, Person, Token, new_id
from tests.server import documents

SCRIPT = Path(__file__).with_name("submit.lua")
#: At most this many people per account, within any cap an operator sets on persons.
PEOPLE_PER_ACCOUNT = 10
_TICKS = os.sysconf("SC_CLK_TCK")
_SAMPLE_EVERY_S = 0.2
_WRK_GRACE_S = 60


# --- people ----------------------------------------------------------------------------------


_numbers = iter(range(10**8))


def prepare_people(database: Database, count: int, path: Path) -> Path:
    """``count`` people, each with a name and a passport of their own, in accounts of at most
    PEOPLE_PER_ACCOUNT; ``path`` gets one line per person: token, a new idempotency key, and
    the body of their first declaration. Written straight into the tables (setting up is not
    what is measured)."""
    now = datetime.now(UTC)
    declaration = documents.declaration()
    accounts, tokens, persons, lines = [], [], [], []
    token = ""
    account_id = ""
    for index in range(count):
        if index % PEOPLE_PER_ACCOUNT == 0:
            account_id, token = new_id(), credentials.new_token()
            accounts.append({"id": account_id, "kind": "traveller", "created_at": now})
            tokens.append({"token_hash": credentials.token_hash(token), "account_id": account_id,
                           "created_at": now, "expires_at": now + timedelta(days=1)})  # fmt: skip
        number = next(_numbers)
        subject = documents.subject(
            given_name=documents.fresh_given_name(),  # one traveller per person of an account
            document={"type": "passport", "number": f"E{number:08d}", "expires_on": "2035-05-01"},
        )
        person_id = new_id()
        persons.append({"id": person_id, "account_id": account_id, "relationship": "self",
                        "subject": subject, "created_at": now})  # fmt: skip
        body = {"person_id": person_id, "declaration": {**declaration, "subject": subject}}
        lines.append(f"{token}\t{uuid.uuid4().hex}\t{json.dumps(body, ensure_ascii=False)}\n")
    with database.engine.begin() as connection:
        connection.execute(insert(Account), accounts)
        connection.execute(insert(Token), tokens)
        connection.execute(insert(Person), persons)
    path.write_text("".join(lines), "utf-8")
    return path


# --- CPU -------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU of a process (all its threads) so far; ``None`` once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class CpuMeter:
    """CPU spent while it is entered by the server process and by the PostgreSQL backends
    connected to the database of ``database_url`` (listed every _SAMPLE_EVERY_S, so one that
    connects and leaves in between is missed; the server keeps a pool, so they stay)."""

    def __init__(self, server_pid: int, database_url: str | None) -> None:
        self.server_pid = server_pid
        self.database_url = database_url
        self.server_s = 0.0
        self.database_s = 0.0
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._server_start = 0.0

    def __enter__(self) -> CpuMeter:
        self._server_start = cpu_seconds(self.server_pid) or 0.0
        if self.database_url is not None:
            self._backends_now(initial=True)
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server_s = (cpu_seconds(self.server_pid) or 0.0) - self._server_start
        if self.database_url is not None:
            self._stop.set()
            self._thread.join(timeout=10)
            self._backends_now(initial=False)
            self.database_s = sum(last - self._first.get(pid, 0.0)
                                  for pid, last in self._last.items())  # fmt: skip

    @property
    def backends_seen(self) -> int:
        """How many PostgreSQL backends served the database: more than the server's pool
        means connections were opened and closed during the round."""
        return len(self._last)

    def _sample(self) -> None:
        while not self._stop.wait(_SAMPLE_EVERY_S):
            self._backends_now(initial=False)

    def _backends_now(self, *, initial: bool) -> None:
        for pid in _backends(self.database_url or ""):
            seconds = cpu_seconds(pid)
            if seconds is None:
                continue
            if initial:
                self._first[pid] = seconds
            self._last[pid] = seconds


def _backends(database_url: str) -> list[int]:
    """The PostgreSQL server processes serving that database (one per connection)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (url.database,),
        ).fetchall()
    return [row[0] for row in rows]


# --- wrk -------------------------------------------------------------------------------------


@dataclass
class Round:
    """One wrk run: its counts, rate and latencies, and the CPU charged to each request."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]
    exhausted: int
    socket_errors: int
    generator_cpu_ms: float
    server_cpu_ms: float = 0.0
    database_cpu_ms: float = 0.0
    database_backends: int = 0

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds

    def charge(self, meter: CpuMeter) -> None:
        self.server_cpu_ms = meter.server_s * 1000 / max(self.requests, 1)
        self.database_cpu_ms = meter.database_s * 1000 / max(self.requests, 1)
        self.database_backends = meter.backends_seen

    def require_only(self, code: int) -> None:
        """Refuse a round in which anything but ``code`` came back, or a request was sent twice."""
        others = {s: n for s, n in self.statuses.items() if s != str(code)}
        if others or self.exhausted or self.socket_errors:
            raise SystemExit(
                f"the round is not valid: answers {self.statuses}, {self.exhausted} requests "
                f"beyond the prepared people, {self.socket_errors} socket errors"
            )

    def line(self) -> str:
        return (
            f"{self.per_s:.0f}/s p50 {self.p50_ms:.1f} ms p99 {self.p99_ms:.1f} ms, "
            f"CPU/request server {self.server_cpu_ms:.2f} ms db {self.database_cpu_ms:.2f} ms "
            f"({self.database_backends} backends) wrk {self.generator_cpu_ms:.2f} ms"
        )


def run_wrk(base: str, requests: Path, mode: str, seconds: int, args: Any) -> Round:
    """wrk for ``seconds`` against ``base`` with the requests in that file (``mode``: "wrap"
    to send them again from the start when they run out, "stop" to count the lack)."""
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(SCRIPT), f"{base}/api/v1/declarations",
               "--", str(requests), mode, str(args.threads)]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + _WRK_GRACE_S, check=True
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if not found:
        raise SystemExit(f"wrk gave no figures:\n{done.stdout}\n{done.stderr}")
    figures = json.loads(found[-1].removeprefix("BENCH "))
    requests_made = max(figures["requests"], 1)
    generator_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return Round(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        statuses=figures["statuses"],
        exhausted=figures["exhausted"],
        socket_errors=figures["socket_errors"],
        generator_cpu_ms=generator_s * 1000 / requests_made,
    )
