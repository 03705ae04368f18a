"""Backend benchmark: submissions under load from wrk, and queue positions in a long queue.

Figures, each measured in this run, on loopback:

- submissions per second and p50/p99 latency of ``POST /api/v1/declarations`` (token check,
  validation with the rules, the idempotency key, the queue, the commit) under wrk with
  CONNECTIONS connections, each request a different person's first declaration (accounts of at
  most ten people, each person with a travel document of their own, each request with an
  Idempotency-Key of its own), against a baseline FastAPI endpoint that only parses the same
  JSON body (and reads the same header), served by uvicorn in the same way and loaded by the
  same wrk script; the ratio is what the real work costs, validation included. wrk, written in
  C, is not the limit: the baseline's rate (thousands per second) shows what it drives;
- CPU per submission of the server process and of the PostgreSQL backends serving it,
  separately (from ``/proc``: the server's own, and every backend of the bench database sampled
  while it lives), and of the load generator; and the CPU ratio, the baseline's server CPU per
  request over the server's per submission, which the server's idle moments (waiting for
  PostgreSQL) do not lower;
- with QUEUE_SIZE pending declarations bulk-loaded into one consulate: p50/p99 of a position
  lookup in the database (goal p99 < 10 ms), the same through ``GET /api/v1/declarations/{id}``,
  and, for comparison, a plain ``count(*)`` of what is ahead.

Needs ``wrk`` (Debian/Ubuntu: ``apt-get install wrk``). Runs on PostgreSQL by default
(``--database-url``; a fresh database is made and dropped) or on SQLite (``--database-url
sqlite``; the database CPU is then inside the server process). Bounded: fixed durations,
timeouts on everything. The rounds alternate the two servers, so a change in the machine's load
affects both alike. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from fastapi import Body, FastAPI, Header, status  # noqa: E402
from sqlalchemy import text  # noqa: E402

from bench.load import CpuMeter, Round, prepare_people, run_wrk  # noqa: E402
from itdeclare.server.db import Database  # noqa: E402
from itdeclare.server.runtime import bind  # noqa: E402
from itdeclare.server.services import queue  # noqa: E402
from tests.server import documents  # noqa: E402
from tests.server.databases import scratch_postgres  # noqa: E402

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PHONE = "+14155550142"
QUEUE_CONSULATE = "CAN"
LOOKUPS = 2000
START_TIMEOUT = 60.0
#: Lines in the baseline's list of requests (it starts the list again when it runs out).
BASELINE_POOL = 2000


# --- the baseline: the same body, parsed, and nothing else ---------------------------------


def baseline_app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/declarations", status_code=status.HTTP_201_CREATED)
    async def submit(
        body: Annotated[dict[str, Any], Body()],
        key: Annotated[str, Header(alias="Idempotency-Key")],
    ) -> dict[str, Any]:
        return {"id": uuid.uuid4().hex, "status": "pending_review", "queue_position": 0}

    return app


def serve_baseline(port: int, workers: int) -> None:
    import uvicorn

    if workers > 1:
        uvicorn.run(
            "bench.server:baseline_app", factory=True, host="127.0.0.1", port=port, workers=workers
        )
    else:  # as ``itdeclare serve`` runs one worker: in this process
        uvicorn.run(baseline_app(), host="127.0.0.1", port=port)


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with bind() as sock:
        return int(sock.getsockname()[1])


@contextmanager
def process(
    command: list[str], env: dict[str, str], port: int, cwd: Path = ROOT
) -> Iterator[tuple[str, int]]:
    """The server's base URL and process id, once it answers."""
    child = subprocess.Popen(
        command,
        env={**os.environ, **env},
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if child.poll() is not None:
                raise RuntimeError(f"{command[2:4]} exited with {child.returncode}")
            try:
                httpx.get(f"{base}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield base, child.pid
    finally:
        os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=30)


@contextmanager
def real_server(
    url: str, data_dir: Path, workers: int, source: Path = ROOT
) -> Iterator[tuple[str, int]]:
    """``itdeclare serve`` of the checkout at ``source`` (this one unless ``--compare``)."""
    port = free_port()
    command = [sys.executable, "-m", "itdeclare", "serve", "--dev", "--database-url", url,
               "--port", str(port), "--workers", str(workers)]  # fmt: skip
    env = {"ITDECLARE_DATA_DIR": str(data_dir), "ITDECLARE_BACKEND__CODES_PER_PHONE_PER_HOUR": "50",
           "PYTHONPATH": str(source)}  # fmt: skip
    with process(command, env, port, cwd=source) as server:
        yield server


@contextmanager
def baseline_server(workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    command = [sys.executable, str(Path(__file__)), "--serve-baseline", str(port),
               "--workers", str(workers)]  # fmt: skip
    with process(command, {}, port) as server:
        yield server


@contextmanager
def fresh_database(url: str, directory: Path) -> Iterator[str]:
    if url == "sqlite":
        yield f"sqlite:///{directory / 'bench.sqlite3'}"
        return
    with scratch_postgres(url, "server_bench") as scratch:
        yield scratch


# --- load ------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def median_of(rounds: list[Round], figure: str) -> float:
    return statistics.median(getattr(r, figure) for r in rounds)


#: The rate a round prepares people for before any rate was seen (the warm-up): above what one
#: worker reaches (a warm-up that ran out of people sent some of them twice).
_FIRST_RATE = 1000


def pool_size(rate: float, args: argparse.Namespace) -> int:
    """Enough different people for a round at twice the rate seen so far."""
    return int(max(rate, _FIRST_RATE) * args.duration * 2) + 500


@dataclass
class Contender:
    """A real server under load: its name, checkout, database and rounds."""

    name: str
    source: Path
    url: str
    rounds: list[Round] = field(default_factory=list)
    rate: float = 0.0


def _load_round(contender: Contender, base: str, pid: int, number: int,
                work: Path, args: argparse.Namespace) -> Round:  # fmt: skip
    database = Database(contender.url)
    try:
        pool = prepare_people(database, pool_size(contender.rate, args),
                              work / f"{contender.name}-{number}.tsv")  # fmt: skip
    finally:
        database.dispose()
    with CpuMeter(pid, None if contender.url.startswith("sqlite") else contender.url) as cpu:
        measured = run_wrk(base, pool, "stop", args.duration, args)
    measured.charge(cpu)
    measured.require_only(201)
    contender.rounds.append(measured)
    contender.rate = max(contender.rate, measured.per_s)
    return measured


def submissions(
    contenders: list[Contender], data_dir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """The servers up side by side, loaded in turn for ROUNDS rounds, in alternating order; the
    figures are the medians of the rounds (latencies: of each round's percentile)."""
    work = data_dir / "requests"
    work.mkdir(parents=True)
    base_rounds: list[Round] = []
    with ExitStack() as stack:
        servers = [stack.enter_context(real_server(c.url, data_dir / c.name, args.workers,
                                                   c.source)) for c in contenders]  # fmt: skip
        base_base, base_pid = stack.enter_context(baseline_server(args.workers))
        database = Database(contenders[0].url)
        baseline_file = prepare_people(database, BASELINE_POOL, work / "baseline.tsv")
        database.dispose()
        loaded = list(zip(contenders, servers, strict=True))
        for contender, (url, pid) in loaded:
            _load_round(contender, url, pid, -1, work, _warming(args))
            contender.rounds.clear()
        run_wrk(base_base, baseline_file, "wrap", args.warmup, args)
        for number in range(args.rounds):
            # Every other round the other way round: loaded first, a server ran a couple of
            # per cent slower than the same code loaded second (an A/A run showed it).
            for contender, (url, pid) in loaded if number % 2 == 0 else loaded[::-1]:
                measured = _load_round(contender, url, pid, number, work, args)
                print(f"round {number + 1}: {contender.name:9} {measured.line()}")
            with CpuMeter(base_pid, None) as cpu:
                base = run_wrk(base_base, baseline_file, "wrap", args.duration, args)
            base.charge(cpu)
            base_rounds.append(base)
            print(f"round {number + 1}: {'baseline':9} {base.line()}")
    base_rate = median_of(base_rounds, "per_s")
    figures: dict[str, Any] = {
        "baseline_per_s": round(base_rate, 1),
        "baseline_p50_ms": round(median_of(base_rounds, "p50_ms"), 2),
        "baseline_p99_ms": round(median_of(base_rounds, "p99_ms"), 2),
        "baseline_server_cpu_ms_per_request": round(median_of(base_rounds, "server_cpu_ms"), 3),
    }
    print(
        f"baseline (parse the body only): {figures['baseline_per_s']}/s "
        f"(p50 {figures['baseline_p50_ms']} ms, p99 {figures['baseline_p99_ms']} ms); "
        f"server CPU per request {figures['baseline_server_cpu_ms_per_request']} ms"
    )
    for contender in contenders:
        base_cpu_ms = median_of(base_rounds, "server_cpu_ms")
        figures |= _contender_figures(contender, base_rate, base_cpu_ms, args)
    return figures


def _warming(args: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(**{**vars(args), "duration": args.warmup})


def _contender_figures(
    contender: Contender, base_rate: float, base_cpu_ms: float, args: argparse.Namespace
) -> dict[str, Any]:
    """The contender's medians; beside the ratio of rates, the ratio of the server's CPU per
    request (the baseline's over the contender's), which the machine's idle moments and its
    other load move less."""
    rounds = contender.rounds
    rate = median_of(rounds, "per_s")
    cpu_ms = median_of(rounds, "server_cpu_ms")
    figures = {
        "submissions_per_s": round(rate, 1),
        "p50_ms": round(median_of(rounds, "p50_ms"), 2),
        "p99_ms": round(median_of(rounds, "p99_ms"), 2),
        "server_cpu_ms_per_submission": round(median_of(rounds, "server_cpu_ms"), 3),
        "postgres_cpu_ms_per_submission": round(median_of(rounds, "database_cpu_ms"), 3),
        "postgres_backends": max(r.database_backends for r in rounds),
        "wrk_cpu_ms_per_submission": round(median_of(rounds, "generator_cpu_ms"), 3),
        "ratio": round(rate / base_rate, 3),
        "cpu_ratio": round(base_cpu_ms / cpu_ms, 3),
    }
    print(
        f"{contender.name}: {figures['submissions_per_s']}/s (p50 {figures['p50_ms']} ms, "
        f"p99 {figures['p99_ms']} ms) with {args.connections} connections, {args.workers} "
        f"worker(s); CPU per submission: server {figures['server_cpu_ms_per_submission']} ms, "
        f"PostgreSQL {figures['postgres_cpu_ms_per_submission']} ms (up to "
        f"{figures['postgres_backends']} backends), wrk {figures['wrk_cpu_ms_per_submission']} "
        f"ms; ratio {figures['ratio']}, CPU ratio {figures['cpu_ratio']} (median of "
        f"{args.rounds} rounds of {args.duration} s)"
    )
    prefix = "" if contender.name == "itdeclare" else f"{contender.name}_"
    return {f"{prefix}{key}": value for key, value in figures.items()}


# --- a long queue ----------------------------------------------------------------------------


def sign_in(base: str) -> tuple[dict[str, str], str]:
    """A token for the bench account and its person."""
    with httpx.Client(base_url=base, timeout=30) as http:
        code = http.post("/api/v1/auth/code", json={"phone": PHONE}).json()["dev_code"]
        token = http.post("/api/v1/auth/token", json={"phone": PHONE, "code": code}).json()
        auth = {"Authorization": f"Bearer {token['token']}"}
        person = http.post(
            "/api/v1/persons", json={"relationship": "self", "subject": documents.subject()},
            headers=auth,
        )  # fmt: skip
        return auth, person.json()["id"]


def bulk_load(database: Database, size: int, account: str, person: str) -> None:
    """``size`` pending declarations in one consulate, and its queue counter."""
    document = json.dumps(documents.declaration(residence=QUEUE_CONSULATE))
    statements = [
        "INSERT INTO declarations (id, chain_id, redeclarations_used, account_id, person_id, "
        "consulate, status, queue_seq, document, created_at, updated_at) "
        "SELECT md5('d' || g), md5('d' || g), 0, :account, :person, :consulate, "
        "'pending_review', g, CAST(:document AS jsonb), now(), now() "
        "FROM generate_series(1, :size) AS g",
        "INSERT INTO queue_counters (consulate, last_seq, waiting) VALUES (:consulate, :size, "
        ":size)",
    ]
    parameters = {"account": account, "person": person, "size": size, "document": document,
                  "consulate": QUEUE_CONSULATE}  # fmt: skip
    with database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), parameters)
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ANALYZE"))


def timed(call: Any, samples: list[Any]) -> list[float]:
    latencies = []
    for sample in samples:
        start = time.perf_counter()
        call(sample)
        latencies.append(time.perf_counter() - start)
    return latencies


def long_queue(url: str, data_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    database = Database(url)
    with real_server(url, data_dir, 1) as (base, _pid):
        auth, person = sign_in(base)
        with database.engine.connect() as connection:
            account = connection.execute(
                text("SELECT account_id FROM persons WHERE id = :p"), {"p": person}
            ).scalar_one()
        started = time.perf_counter()
        bulk_load(database, args.queue_size, account, person)
        loaded = time.perf_counter() - started
        print(f"bulk-loaded {args.queue_size} pending declarations in {loaded:.0f} s")
        seqs = [random.randint(1, args.queue_size) for _ in range(LOOKUPS)]
        count_sql = text(
            "SELECT count(*) FROM declarations WHERE consulate = :c AND queue_seq < :s AND "
            + queue.IN_QUEUE.text
        )
        with database.read() as session:
            for seq in seqs[:50]:  # warm the caches as a running server has them
                queue.position(session, QUEUE_CONSULATE, seq)
            tallied = timed(lambda s: queue.position(session, QUEUE_CONSULATE, s), seqs)
            counted = timed(
                lambda s: session.execute(count_sql, {"c": QUEUE_CONSULATE, "s": s}).scalar(),
                seqs[:200],
            )
        with httpx.Client(base_url=base, timeout=30, headers=auth) as http:

            def lookup(seq: int) -> None:
                answer = http.get(f"/api/v1/declarations/{_md5('d', seq)}")
                assert answer.json()["queue_position"] == seq - 1, answer.text

            over_http = timed(lookup, seqs)
    database.dispose()
    figures = {
        "queue_size": args.queue_size,
        "position_p50_ms": ms(statistics.median(tallied)),
        "position_p99_ms": ms(percentile(tallied, 0.99)),
        "position_http_p50_ms": ms(statistics.median(over_http)),
        "position_http_p99_ms": ms(percentile(over_http, 0.99)),
        "plain_count_p99_ms": ms(percentile(counted, 0.99)),
    }
    print(
        f"queue position among {args.queue_size} pending: p50 {figures['position_p50_ms']} ms, "
        f"p99 {figures['position_p99_ms']} ms (database); through GET /declarations/{{id}}: "
        f"p50 {figures['position_http_p50_ms']} ms, p99 {figures['position_http_p99_ms']} ms"
    )
    print(f"a plain count(*) of what is ahead instead: p99 {figures['plain_count_p99_ms']} ms")
    return figures


def _md5(prefix: str, number: int) -> str:
    import hashlib

    return hashlib.md5(f"{prefix}{number}".encode()).hexdigest()


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ITDECLARE_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="a PostgreSQL server URL (a bench database is made there), or 'sqlite'",
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2, help="seconds, each server")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--queue-size", type=int, default=1_000_000)
    parser.add_argument(
        "--compare",
        type=Path,
        metavar="CHECKOUT",
        help="also load the server of another checkout (e.g. an export of the main branch) in "
        "the same rounds: its figures are prefixed 'before_'",
    )
    parser.add_argument("--serve-baseline", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_baseline:
        serve_baseline(args.serve_baseline, args.workers)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("this benchmark needs wrk (Debian/Ubuntu: apt-get install wrk)")
    figures: dict[str, Any] = {
        "database": "sqlite" if args.database_url == "sqlite" else "postgresql"
    }
    with tempfile.TemporaryDirectory() as home, ExitStack() as databases:
        contenders = [Contender("itdeclare", ROOT, databases.enter_context(
            fresh_database(args.database_url, Path(home))))]  # fmt: skip
        if args.compare:
            contenders.append(Contender("before", args.compare.resolve(), databases.enter_context(
                fresh_database(args.database_url, Path(home) / "before"))))  # fmt: skip
        figures |= submissions(contenders, Path(home) / "a", args)
        databases.close()
        if args.queue_size and figures["database"] == "postgresql":
            with fresh_database(args.database_url, Path(home)) as url:
                figures |= long_queue(url, Path(home) / "b", args)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
